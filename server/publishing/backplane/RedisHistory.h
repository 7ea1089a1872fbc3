#pragma once

#include "RedisBlockingClient.h"
#include "history/History.h"

#include <QElapsedTimer>
#include <QHash>
#include <QMutex>
#include <QUrl>

class QTimer;
struct redisReply;

namespace herald {

class RedisBackplane;
class RedisConnection;

// History in Redis (with REDIS_URL), shared by every instance and kept across their restarts: each stream is a
// Redis stream of its last notifications (trimmed to its size and age) and a hash with its newest offset and its
// epoch. The backplane appends (one script puts a notification in its history and on the backplane stream, so
// every instance meets the offsets in the same order); reads go over a connection of their own. This instance's
// knowledge of each stream's newest position comes from what it appended and read, for the welcome and
// subscribe answers without a round trip.
class RedisHistory : public History
{
    Q_OBJECT
public:
    RedisHistory(HistoryPolicy policy, RedisBackplane *backplane, const QUrl &redisUrl, QObject *parent = nullptr);

    QString append(const StreamKey &stream, const Entry &entry, PlacedCallback placed) override;
    std::optional<StreamPosition> position(const StreamKey &stream) override;
    void recover(const StreamKey &stream, const std::optional<StreamPosition> &since, int limit, QObject *context,
                 std::function<void(const HistoryRead &)> done) override;
    // Asks Redis and waits (at most PageTimeoutMs): for the HTTP API, whose answers are synchronous.
    HistoryRead page(const StreamKey &stream, quint64 afterOffset, int limit) override;
    HistoryFigures figures() const override;

    static constexpr int ReadTimeoutMs = 3000;
    static constexpr int PageTimeoutMs = 1000;

private:
    struct Pending {
        qint64 sentAtMs;
        std::function<void(const HistoryRead &)> answer;
    };
    void read(const StreamKey &stream, const std::optional<StreamPosition> &since, int limit,
              std::function<void(const HistoryRead &)> answer);
    HistoryRead outcomeOf(const redisReply *reply, const std::optional<StreamPosition> &since, int limit,
                          const StreamKey &stream);
    void remember(const QString &streamId, const StreamPosition &position);
    void dropConnection();
    void checkAnswersArrive();

    RedisBackplane *m_backplane;
    QUrl m_url;
    RedisConnection *m_reads = nullptr;
    RedisBlockingClient m_pages;
    quint64 m_nextRead = 1;
    QHash<quint64, Pending> m_pending;
    QElapsedTimer m_clock;
    QTimer *m_watchdog;
    mutable QMutex m_mutex; // guards m_positions, which the workers read
    QHash<QString, StreamPosition> m_positions;
};

} // namespace herald
