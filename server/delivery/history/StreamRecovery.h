#pragma once

#include "History.h"
#include "StreamKey.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPair>
#include <functional>

class QTimer;

namespace herald {

class ClientSession;
class SessionRegistry;

// What one stream of a recovery came to, for the client's answer.
struct StreamRecoveryResult {
    StreamKey stream;
    HistoryRead::Outcome outcome = HistoryRead::Outcome::Complete;
    StreamPosition position; // the stream's newest when the history answered
    int replayed = 0;
    bool asked = true; // the client gave a position to recover from; else it only learns where the stream is
};

// Catches a reconnecting client up on the streams it names, in its worker's thread. From start() on, what the
// worker delivers to the client on those streams waits here; when the history has answered, the client gets what it
// missed, then what waited (each notification once: the history's newest offset is the seam), then finished runs
// and the stream is live again. A recovery that is not complete replays nothing and lets through everything that
// waited: the client is told to refetch, and nothing that reached the worker after it joined is lost.
class StreamRecovery : public QObject
{
    Q_OBJECT
public:
    // limit: notifications one recovery replays at most, over all its streams (RECOVERY_LIMIT).
    StreamRecovery(History *history, SessionRegistry *sessions, int limit, QObject *parent = nullptr);

    struct Request {
        StreamKey stream;
        std::optional<StreamPosition> since; // none: only where the stream stands (not known to this instance yet)
    };
    using Finished = std::function<void(ClientSession *, const QList<StreamRecoveryResult> &)>;
    // Recovers session on streams (none of which it is recovering already); finished runs once all have answered,
    // unless the session is gone.
    void start(ClientSession *session, const QList<Request> &streams, Finished finished);
    // The client left the stream (unsubscribed) before its recovery was done: nothing more of it is replayed,
    // held or answered.
    void cancel(ClientSession *session, const StreamKey &stream);

    // For the worker's fan-out: whether frame, at offset on stream, is held for session (false when it is not
    // recovering that stream, and the frame should go out now).
    bool holds(ClientSession *session, const StreamKey &stream, quint64 offset, const EncodedMessage &frame);
    bool isIdle() const { return m_recoveries.isEmpty() && m_floors.isEmpty(); }

    // After a replay, what reaches the worker at or below its newest offset is what the replay held already: it can
    // come late from another instance through the backplane, which the history answered ahead of. It is dropped
    // until the first notification past it arrives, or for FloorMs at most.
    static constexpr int FloorMs = 30000;
    // Live notifications one stream of a recovery holds at most while the history answers; past it they go out
    // at once and the recovery is answered incomplete (too_many), rather than holding without bound for a slow
    // history.
    static constexpr int MaxWaiting = 10000;
    // Notifications replayed in one turn of the loop at most (whole recoveries: one may go past it).
    static constexpr int ReplaySlice = 2000;

private:
    struct Waiting {
        quint64 offset;
        EncodedMessage frame;
    };
    struct StreamState {
        Request request;
        bool answered = false;
        bool cancelled = false;
        bool overflowed = false; // held too much: let through, and the answer says too_many
        HistoryRead read;
        QList<Waiting> waiting;
    };
    struct Recovery {
        quint64 id = 0;
        QList<StreamState> streams;
        Finished finished;
    };
    void answered(ClientSession *session, quint64 id, int index, const HistoryRead &read);
    void replaySome();
    void finish(ClientSession *session, Recovery recovery);

    struct Floor {
        quint64 offset;
        qint64 untilMs;
    };
    void dropExpiredFloors();

    History *m_history;
    int m_limit;
    QHash<ClientSession *, QHash<StreamKey, Floor>> m_floors;
    QElapsedTimer m_clock;
    QTimer *m_floorSweep;
    QTimer *m_replayTimer;
    QList<QPair<ClientSession *, quint64>> m_ready; // answered in full, replayed in order, a slice a turn
    quint64 m_nextId = 1;
    QHash<ClientSession *, QList<Recovery>> m_recoveries;
};

} // namespace herald
