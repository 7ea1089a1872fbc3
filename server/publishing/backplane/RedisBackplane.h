#pragma once

#include "history/History.h"
#include "publish/Broker.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QMap>
#include <QObject>
#include <QSet>
#include <QUrl>
#include <optional>

class QTimer;
struct redisReply;

namespace herald {

class Logger;
class RedisConnection;
class RedisPresence;

// Fans notifications out across Herald instances through a Redis stream. Each instance delivers its own
// notifications locally at once and appends them to the stream (XADD); a reader per instance follows the
// stream (XREAD BLOCK from the last entry it saw) and delivers what other instances wrote, skipping its own,
// so every client receives each notification exactly once.
//
// A stream, not pub/sub, because an outage must not lose anything: while Redis is away, refuses writes or does
// not answer, local delivery goes on, the backplane says it is degraded, and notifications wait in an ordered
// outbox (up to OutboxLimit) until Redis acknowledges them. When it is back, every reader resumes from the last
// entry it saw, so nothing appended meanwhile is missed, whichever instance reconnects first; an instance that
// starts while Redis is away reads from the moment it started (stream ids are times). Receivers remember recent
// notification ids, so an entry re-sent after a lost acknowledgement is delivered once. Each entry carries its
// origin's sequence number, so a reader that falls behind the stream's cap (or meets a Redis restarted empty)
// knows how many it missed and says so. It is the Publisher's broker with REDIS_URL.
class RedisBackplane : public Broker
{
    Q_OBJECT
public:
    enum class State { Connecting, Connected, Degraded };
    Q_ENUM(State)

    RedisBackplane(const QUrl &redisUrl, const QString &stream, Logger *logger, QObject *parent = nullptr);

    void start() override;
    // At the end of a shutdown: no more retries; acknowledgements on their way get up to AckWaitMs, then what
    // Redis never acknowledged is reported as an error (count and ids), since the other instances will not see
    // it. stopped() follows.
    void stop() override;
    State state() const { return m_state; }
    QString stateName() const override;
    bool reachesCluster() const override { return m_state == State::Connected; }
    QString instanceId() const { return m_instanceId; }
    // "published" when sent to Redis now, "queued" while Redis is away, "dropped" when the outbox is full.
    QString publish(const QString &entryId, const Audience &audience, const QByteArray &notification) override;
    QJsonObject statusJson() const override;
    void sharePresence(const QByteArray &snapshot) override;
    bool sharesPresence() const override { return true; }

    // A notification for a stream that keeps history (see RedisHistory): one script appends it to the stream's
    // history at the next offset and to the backplane stream, so that offsets and the order every instance
    // reads are the same. placed runs with its position once Redis answers; at once with none while Redis is
    // away (it goes out locally now, and into the history and to the cluster when Redis is back); once a request
    // goes unanswered, with none, too.
    QString publishKept(const QString &entryId, const Audience &audience, const StreamKey &stream,
                        const QByteArray &head, const HistoryLimits &limits, History::PlacedCallback placed);
    // Redis keys of a stream's history, shared with the reads.
    QByteArray historyKey(const StreamKey &stream) const;
    QByteArray historyMetaKey(const StreamKey &stream) const;
    // A stream's history is forgotten this long after its last notification (its epoch too).
    static constexpr qint64 HistoryMetaTtlMs = 24LL * 3600 * 1000;

    static constexpr int OutboxLimit = 10000;
    static constexpr int StreamLength = 10000; // entries Redis keeps (approximately) for readers catching up
    static constexpr int FirstRetryMs = 250;
    static constexpr int LongestRetryMs = 5000;
    static constexpr int ReadBlockMs = 2000;
    // How long past its due time an answer may be late before Redis counts as unreachable (a frozen server or a
    // silent partition keeps the TCP connection open and says nothing).
    static constexpr int AnswerMarginMs = 3000;
    // Entries read at a time; a full batch means the reader is catching up, and the next waits PaceMs, so that a
    // replay after an outage reaches clients at a pace their queues absorb.
    static constexpr int ReadBatch = 100;
    static constexpr int PaceMs = 10;
    static constexpr int AckWaitMs = 2000;

signals:
    void stateChanged(herald::RedisBackplane::State state);
    // A stream's position as a script answered it or an entry of the stream said: before the notification at it
    // is delivered here.
    void positionSeen(const QString &streamId, const herald::StreamPosition &position);

private:
    struct Kept {
        StreamKey stream;
        HistoryLimits limits;
        History::PlacedCallback placed; // emptied once it has run
    };
    struct Entry {
        QString id;
        Audience audience;
        QByteArray notification; // for a kept one, the head its position completes
        std::optional<Kept> kept;
    };
    // Runs a kept entry's placed callback, once.
    void place(quint64 tag, const std::optional<History::Placed> &placed);
    QString enqueue(Entry entry);
    void connectBoth();
    // Anything that keeps notifications from the cluster: a lost connection, an error Redis answered, an answer
    // that never came. Degraded, and a fresh connection after a back-off that grows until Redis is healthy.
    void fault(const QString &error);
    void onConnected();
    // Redis answers again: reading resumes; healthy at once, or after the first write Redis takes when
    // notifications are waiting (Redis may be refusing writes).
    void resume();
    void becomeConnected();
    void send(quint64 tag);
    void readNext();
    void onEntries(const redisReply *entries);
    void deliver(const QString &origin, quint64 sequence, const QString &id, const std::optional<Audience> &audience,
                 const QByteArray &notification, quint64 offset);
    void checkAnswersArrive();
    void finishStop();

    QUrl m_url;
    QByteArray m_stream;
    Logger *m_logger;
    QString m_instanceId;
    qint64 m_startedAtMs; // on this host's clock, for where the first read begins
    RedisConnection *m_writer = nullptr;
    RedisConnection *m_reader = nullptr;
    // Where this instance's reader is in the stream; empty until the first connection has placed it.
    QByteArray m_lastEntry;
    QTimer *m_retryTimer;
    QTimer *m_watchdog;
    QTimer *m_stopTimer;
    RedisPresence *m_presence;
    int m_retryMs = FirstRetryMs;
    State m_state = State::Connecting;
    QString m_lastError;
    bool m_stopping = false;
    // Goes up with every new connection and every fault: an answer from an earlier round is history.
    quint64 m_round = 0;

    QElapsedTimer m_clock;             // monotonic, for the answers' deadlines
    qint64 m_readDueMs = -1;           // when the reader's outstanding command must have been answered; -1: none
    QMap<quint64, Entry> m_outbox;     // in publish order, until Redis acknowledges the XADD
    QHash<quint64, qint64> m_inFlight; // sent on the current connection, no answer yet: tag -> when sent
    QList<QString> m_recentIds;        // delivered recently, oldest first, for duplicate suppression
    QSet<QString> m_recentIdSet;
    QHash<QString, quint64> m_lastSequenceOf; // origin -> the highest sequence number read from it
    quint64 m_nextTag = 1;                    // also the sequence number of the next entry this instance writes
    quint64 m_published = 0;
    quint64 m_received = 0;
    quint64 m_duplicates = 0;
    quint64 m_dropped = 0;
    quint64 m_missed = 0;
    quint64 m_reconnects = 0;
};

} // namespace herald
