#pragma once

#include "HistoryPolicy.h"
#include "StreamKey.h"
#include "metrics/Metrics.h"
#include "protocol/StreamPosition.h"
#include "stream/EncodedMessage.h"

#include <QList>
#include <QObject>
#include <functional>
#include <optional>

namespace herald {

// One notification a stream keeps: its offset, and the frame every client of the stream was sent.
struct KeptNotification {
    quint64 offset = 0;
    EncodedMessage frame;

    QByteArray payload() const { return frame.payload(); }
};

// What a look into one stream found.
struct HistoryRead {
    enum class Outcome {
        Complete,     // everything after the given position (or a page of it)
        NotKept,      // the stream keeps nothing (HISTORY_SIZE, HISTORY_TTL, HISTORY_CHANNELS)
        EpochChanged, // the position is of a history that is gone
        TooOld,       // the history no longer reaches back to the position
        TooMany,      // more than the limit were missed
        Unavailable   // the history could not be read (Redis is away)
    };
    Outcome outcome = Outcome::Complete;
    StreamPosition position;               // the stream's newest
    QList<KeptNotification> notifications; // after the position asked about, oldest first
    bool more = false;                     // a page: more came after the last one

    bool isComplete() const { return outcome == Outcome::Complete; }
    // For the wire: why a recovery was not complete ("epoch_changed", "too_old", "too_many", "not_kept",
    // "unavailable").
    static QString reasonName(Outcome outcome);
};

// The kept notifications of every stream: what a reconnecting client missed and what GET
// /channels/{name}/history pages through. Appended to by the publishing thread in publishing order; read from
// any worker's thread.
class History : public QObject
{
    Q_OBJECT
public:
    History(HistoryPolicy policy, QObject *parent = nullptr)
        : QObject(parent)
        , m_policy(std::move(policy))
    {}

    const HistoryPolicy &policy() const { return m_policy; }

    // A notification for a stream policy() keeps: entryId and audience as the broker carries them, and the head
    // of its wire form (see NotificationRequest::encodeHead), which its position completes.
    struct Entry {
        QString entryId;
        Audience audience;
        QByteArray head;
    };
    struct Placed {
        StreamPosition position;
        EncodedMessage frame; // the complete notification
    };
    // nullopt: it could not be placed now (Redis is away) and goes out without a position; it is kept when it can be.
    using PlacedCallback = std::function<void(const std::optional<Placed> &)>;
    // Keeps entry at its stream's next position and calls placed once: at once in memory, when Redis answers with
    // REDIS_URL, in the order of the calls. A history the instances share also carries it to the other instances,
    // in the same step, so that every instance sends each position once and in order. Returns what became of it
    // for the cluster, as Broker::publish says it.
    virtual QString append(const StreamKey &stream, const Entry &entry, PlacedCallback placed) = 0;
    // The stream's newest position as this instance knows it now, from any thread; nullopt when it keeps nothing
    // or the position is not known here yet (then recover() without since asks). Any position it gives may be
    // a little behind: every notification after it still reaches a client that joins now.
    virtual std::optional<StreamPosition> position(const StreamKey &stream) = 0;
    // Recovery, from any thread: everything after since if it is all still kept and at most limit, else why not;
    // without since only the position. done runs later in context's thread (never within the call), and not at
    // all if context is gone.
    virtual void recover(const StreamKey &stream, const std::optional<StreamPosition> &since, int limit,
                         QObject *context, std::function<void(const HistoryRead &)> done) = 0;
    // A page for the HTTP API: up to limit notifications after offset (0: from the oldest kept).
    virtual HistoryRead page(const StreamKey &stream, quint64 afterOffset, int limit) = 0;
    // What it keeps now, for /metrics.
    virtual HistoryFigures figures() const = 0;

private:
    HistoryPolicy m_policy;
};

} // namespace herald
