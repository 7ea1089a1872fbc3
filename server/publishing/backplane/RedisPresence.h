#pragma once

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QString>

class QTimer;

namespace herald {

class RedisConnection;

// Who is connected where, shared through Redis. Each instance keeps its latest presence snapshot in a key of
// its own (<stream>:presence:<instance>, expiring after ExpiryMs) and its version and heartbeat in one hash
// (<stream>:presence); once a second it writes its snapshot if it changed (else, every HeartbeatMs, only the
// heartbeat), and reads the hash to fetch the snapshots of others that changed. An instance that stops beating
// (crashed, partitioned) is dropped after ExpiryMs, so presence is never staler than that.
class RedisPresence : public QObject
{
    Q_OBJECT
public:
    RedisPresence(const QByteArray &stream, const QString &instanceId, QObject *parent = nullptr);

    // The connection to use while Redis is reachable; nullptr while it is not.
    void setConnection(RedisConnection *connection);
    // This instance's newest snapshot; written within a second.
    void share(const QByteArray &snapshot);
    // At shutdown: this instance's entry is removed, so others drop it at once.
    void stop();

    static constexpr int TickMs = 1000;
    static constexpr int HeartbeatMs = 5000;
    static constexpr int ExpiryMs = 15000;

signals:
    void received(const QString &instance, const QByteArray &snapshot);
    void left(const QString &instance);

private:
    void tick();
    void write(qint64 nowMs);
    void read(qint64 nowMs);
    void fetch(const QString &instance, quint64 version);
    void forget(const QString &instance);

    QByteArray m_hash;
    QByteArray m_keyPrefix;
    QString m_instanceId;
    QPointer<RedisConnection> m_connection;
    QTimer *m_timer;
    QByteArray m_snapshot;
    quint64 m_version = 0;
    quint64 m_writtenVersion = 0;
    qint64 m_lastBeatMs = 0;
    struct Known {
        quint64 version = 0;
        qint64 seenBeatMs = 0; // the newest heartbeat it wrote, on its clock
        qint64 heardAtMs = 0;  // when that heartbeat was new to us, on ours
    };
    QHash<QString, Known> m_others;
};

} // namespace herald
