#include "RedisPresence.h"

#include "RedisConnection.h"

#include <QDateTime>
#include <QSet>
#include <QTimer>

#include <hiredis/hiredis.h>

namespace herald {

RedisPresence::RedisPresence(const QByteArray &stream, const QString &instanceId, QObject *parent)
    : QObject(parent)
    , m_hash(stream + ":presence")
    , m_keyPrefix(stream + ":presence:")
    , m_instanceId(instanceId)
    , m_timer(new QTimer(this))
{
    m_timer->setInterval(TickMs);
    connect(m_timer, &QTimer::timeout, this, &RedisPresence::tick);
    m_timer->start();
}

void RedisPresence::setConnection(RedisConnection *connection)
{
    m_connection = connection;
    m_writtenVersion = 0; // Redis may have restarted empty: write it all again
    if (connection)
        tick();
}

void RedisPresence::share(const QByteArray &snapshot)
{
    if (snapshot == m_snapshot && m_version != 0)
        return;
    m_snapshot = snapshot;
    ++m_version;
}

void RedisPresence::stop()
{
    m_timer->stop();
    if (m_connection && m_connection->isConnected()) {
        m_connection->command({"HDEL", m_hash, m_instanceId.toUtf8()}, [](const redisReply *) {});
        m_connection->command({"DEL", m_keyPrefix + m_instanceId.toUtf8()}, [](const redisReply *) {});
    }
}

void RedisPresence::tick()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    // Whatever Redis says or not: an instance not heard from within the expiry is gone.
    for (const QString &instance : m_others.keys())
        if (now - m_others.value(instance).heardAtMs > ExpiryMs)
            forget(instance);
    if (!m_connection || !m_connection->isConnected())
        return;
    write(now);
    read(now);
}

void RedisPresence::write(qint64 nowMs)
{
    const QByteArray id = m_instanceId.toUtf8();
    const QByteArray beat = QByteArray::number(m_version) + ' ' + QByteArray::number(nowMs);
    if (m_version != 0 && m_version != m_writtenVersion) {
        m_connection->command({"SET", m_keyPrefix + id, m_snapshot, "PX", QByteArray::number(ExpiryMs)},
                              [](const redisReply *) {});
        m_writtenVersion = m_version;
    } else if (nowMs - m_lastBeatMs < HeartbeatMs) {
        return;
    } else {
        m_connection->command({"PEXPIRE", m_keyPrefix + id, QByteArray::number(ExpiryMs)}, [](const redisReply *) {});
    }
    m_connection->command({"HSET", m_hash, id, beat}, [](const redisReply *) {});
    m_lastBeatMs = nowMs;
}

void RedisPresence::read(qint64 nowMs)
{
    const QPointer<RedisConnection> asked = m_connection;
    m_connection->command({"HGETALL", m_hash}, [this, nowMs, asked](const redisReply *reply) {
        // A lost connection or a key of another type: the backplane reports those. An answer on a connection
        // given up on since is history.
        if (!reply || reply->type != REDIS_REPLY_ARRAY || asked != m_connection || !m_connection)
            return;
        QSet<QString> listed;
        for (size_t i = 0; i + 1 < reply->elements; i += 2) {
            const QString instance = QString::fromUtf8(RedisConnection::text(reply->element[i]));
            if (instance == m_instanceId)
                continue;
            const QList<QByteArray> beat = RedisConnection::text(reply->element[i + 1]).split(' ');
            const quint64 version = beat.value(0).toULongLong();
            const qint64 beatMs = beat.value(1).toLongLong();
            if (beatMs <= 0)
                continue;
            if (nowMs - beatMs > 3 * ExpiryMs) { // long dead and never removed: tidy up
                m_connection->command({"HDEL", m_hash, instance.toUtf8()}, [](const redisReply *) {});
                continue;
            }
            listed.insert(instance);
            Known &known = m_others[instance];
            if (beatMs != known.seenBeatMs) {
                known.seenBeatMs = beatMs;
                known.heardAtMs = nowMs;
            }
            if (version != known.version)
                fetch(instance, version);
        }
        for (const QString &instance : m_others.keys())
            if (!listed.contains(instance))
                forget(instance); // it removed itself at shutdown
    });
}

void RedisPresence::fetch(const QString &instance, quint64 version)
{
    m_connection->command({"GET", m_keyPrefix + instance.toUtf8()}, [this, instance, version](const redisReply *reply) {
        const auto known = m_others.find(instance);
        if (!reply || reply->type != REDIS_REPLY_STRING || known == m_others.end())
            return;
        known->version = version;
        emit received(instance, RedisConnection::text(reply));
    });
}

void RedisPresence::forget(const QString &instance)
{
    if (m_others.remove(instance))
        emit left(instance);
}

} // namespace herald
