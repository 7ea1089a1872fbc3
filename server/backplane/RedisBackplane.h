#pragma once

#include "publish/Broker.h"

#include <QJsonObject>
#include <QMap>
#include <QObject>
#include <QSet>
#include <QUrl>
#include <optional>

class QTimer;

namespace herald {

class Logger;
class RedisConnection;
class RedisPresence;

// Fans notifications out across Herald instances through a Redis stream. Each instance delivers its own
// notifications locally at once and appends them to the stream (XADD); a reader per instance follows the
// stream (XREAD BLOCK from the last entry it saw) and delivers what other instances wrote, skipping its own,
// so every client receives each notification exactly once.
//
// A stream, not pub/sub, because an outage must not lose anything: while Redis is away, local delivery goes
// on, the backplane says it is degraded, and notifications wait in an ordered outbox (up to OutboxLimit) until
// Redis acknowledges them. When it is back, every reader resumes from the last entry it saw, so nothing
// appended meanwhile is missed, whichever instance reconnects first. Receivers remember recent notification
// ids, so an entry re-sent after a lost acknowledgement is delivered once. It is the Publisher's broker with
// REDIS_URL.
class RedisBackplane : public Broker
{
    Q_OBJECT
public:
    enum class State { Connecting, Connected, Degraded };
    Q_ENUM(State)

    RedisBackplane(const QUrl &redisUrl, const QString &stream, Logger *logger, QObject *parent = nullptr);

    void start() override;
    // At the end of a shutdown: no more retries, and whatever Redis never acknowledged is reported as an error
    // (count and ids), since the other instances will not see it.
    void stop() override;
    State state() const { return m_state; }
    QString stateName() const override;
    bool reachesCluster() const override { return m_state == State::Connected; }
    QString instanceId() const { return m_instanceId; }
    // "published" when sent to Redis now, "queued" while Redis is away, "dropped" when the outbox is full.
    QString publish(const QString &entryId, const Audience &audience, const QByteArray &notification) override;
    QJsonObject statusJson() const override;
    void sharePresence(const QByteArray &snapshot) override;

    static constexpr int OutboxLimit = 10000;
    static constexpr int StreamLength = 10000; // entries Redis keeps (approximately) for readers catching up
    static constexpr int FirstRetryMs = 250;
    static constexpr int LongestRetryMs = 5000;
    static constexpr int ReadBlockMs = 5000;

signals:
    void stateChanged(herald::RedisBackplane::State state);

private:
    struct Entry {
        QString id;
        Audience audience;
        QByteArray notification;
    };
    void connectBoth();
    void onConnectionLost(const QString &error);
    void onConnected();
    void becomeConnected();
    void send(quint64 tag);
    void readNext();
    void findStreamEnd();
    void deliver(const QString &origin, const QString &id, const std::optional<Audience> &audience,
                 const QByteArray &notification);

    QUrl m_url;
    QByteArray m_stream;
    Logger *m_logger;
    QString m_instanceId;
    RedisConnection *m_writer = nullptr;
    RedisConnection *m_reader = nullptr;
    // Where this instance's reader is in the stream; empty until the first connection finds the stream's end.
    QByteArray m_lastEntry;
    QTimer *m_retryTimer;
    RedisPresence *m_presence;
    int m_retryMs = FirstRetryMs;
    State m_state = State::Connecting;
    QString m_lastError;

    quint64 m_nextTag = 1;
    QMap<quint64, Entry> m_outbox; // in publish order, until Redis acknowledges the XADD
    QSet<quint64> m_inFlight;      // sent on the current connection, no answer yet
    QList<QString> m_recentIds;    // delivered recently, oldest first, for duplicate suppression
    QSet<QString> m_recentIdSet;
    quint64 m_published = 0;
    quint64 m_received = 0;
    quint64 m_duplicates = 0;
    quint64 m_dropped = 0;
    quint64 m_reconnects = 0;
};

} // namespace herald
