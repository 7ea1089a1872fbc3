#include "RedisReceipts.h"

#include "RedisConnection.h"

#include <hiredis/hiredis.h>

namespace herald {

namespace {
// One connection's acknowledgement, once; a user-targeted notification's only from its users.
// KEYS: hash, acknowledging connections, users who acknowledged, targeted users. ARGV: client id, user, age ms.
const QByteArray AcknowledgeScript = R"lua(
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('EXISTS', KEYS[4]) == 1 and redis.call('SISMEMBER', KEYS[4], ARGV[2]) == 0 then return 0 end
if redis.call('SADD', KEYS[2], ARGV[1]) == 1 then
  redis.call('HINCRBY', KEYS[1], 'acknowledged', 1)
  if ARGV[2] ~= '' then redis.call('SADD', KEYS[3], ARGV[2]) end
  redis.call('PEXPIRE', KEYS[2], ARGV[3])
  redis.call('PEXPIRE', KEYS[3], ARGV[3])
end
return 1
)lua";

// The receipt at once: {hash fields and values, targeted, reached, users who acknowledged}.
const QByteArray CountsScript = R"lua(
return {redis.call('HGETALL', KEYS[1]), redis.call('SMEMBERS', KEYS[2]), redis.call('SMEMBERS', KEYS[3]),
        redis.call('SMEMBERS', KEYS[4])}
)lua";

QSet<QString> namesIn(const redisReply *set)
{
    QSet<QString> names;
    for (size_t i = 0; set && i < set->elements; ++i)
        names.insert(QString::fromUtf8(RedisConnection::text(set->element[i])));
    return names;
}
} // namespace

RedisReceipts::RedisReceipts(const QUrl &redisUrl, const QByteArray &prefix, qint64 retentionSeconds, QObject *parent)
    : QObject(parent)
    , m_url(redisUrl)
    , m_prefix(prefix)
    , m_retentionMs(QByteArray::number(retentionSeconds * 1000))
    , m_reads(redisUrl, TimeoutMs)
{}

void RedisReceipts::command(const QList<QByteArray> &arguments, std::function<void(const redisReply *)> done)
{
    if (!m_writes) {
        m_writes = new RedisConnection(m_url.host(), m_url.port(6379), m_url.password(), this);
        connect(
            m_writes, &RedisConnection::disconnected, this,
            [this] {
                m_writes->deleteLater();
                m_writes = nullptr;
            },
            Qt::QueuedConnection);
        m_writes->open();
    }
    m_writes->command(arguments, [done = std::move(done)](const redisReply *reply) {
        if (done)
            done(reply);
    });
}

void RedisReceipts::opened(const QString &id, const Audience &audience, const QString &createdAt)
{
    const QLatin1StringView to = audience.fieldName();
    command({"HSET", key(id), "to", QByteArray(to.data(), to.size()), "created_at", createdAt.toUtf8()});
    command({"PEXPIRE", key(id), m_retentionMs});
    if (audience.kind == Audience::Kind::Users) {
        QList<QByteArray> add{"SADD", key(id) + ":targets"};
        for (const QString &user : audience.names)
            add.append(user.toUtf8());
        command(add);
        command({"PEXPIRE", key(id) + ":targets", m_retentionMs});
    }
}

void RedisReceipts::delivered(const QString &id, int connections, const QString &user)
{
    // Not waiting for opened(): another instance may read the notification before its origin's receipt is there.
    command({"HINCRBY", key(id), "sent", QByteArray::number(connections)});
    command({"PEXPIRE", key(id), m_retentionMs});
    if (!user.isEmpty() && connections > 0) {
        command({"SADD", key(id) + ":reached", user.toUtf8()});
        command({"PEXPIRE", key(id) + ":reached", m_retentionMs});
    }
}

void RedisReceipts::acknowledged(const QString &id, const QString &clientId, const QString &user)
{
    command({"EVAL", AcknowledgeScript, "4", key(id), key(id) + ":acked", key(id) + ":users_acked",
             key(id) + ":targets", clientId.toUtf8(), user.toUtf8(), m_retentionMs});
}

QList<QByteArray> RedisReceipts::countsCommand(const QString &id) const
{
    return {"EVAL", CountsScript, "4", key(id), key(id) + ":targets", key(id) + ":reached", key(id) + ":users_acked"};
}

std::optional<RedisReceipts::Counts> RedisReceipts::countsFrom(const redisReply *reply)
{
    if (!reply || reply->type != REDIS_REPLY_ARRAY || reply->elements != 4 || reply->element[0]->elements == 0)
        return std::nullopt;
    Counts counts;
    const redisReply *fields = reply->element[0];
    for (size_t i = 0; i + 1 < fields->elements; i += 2) {
        const QByteArray name = RedisConnection::text(fields->element[i]);
        const QByteArray value = RedisConnection::text(fields->element[i + 1]);
        if (name == "to")
            counts.to = QString::fromUtf8(value);
        else if (name == "created_at")
            counts.createdAt = QString::fromUtf8(value);
        else if (name == "sent")
            counts.sent = value.toInt();
        else if (name == "acknowledged")
            counts.acknowledged = value.toInt();
    }
    if (counts.to.isEmpty())
        return std::nullopt; // deliveries were counted, but the origin never opened it: not a receipt
    counts.targeted = namesIn(reply->element[1]);
    counts.reached = namesIn(reply->element[2]);
    counts.usersAcknowledged = namesIn(reply->element[3]);
    return counts;
}

std::optional<RedisReceipts::Counts> RedisReceipts::counts(const QString &id)
{
    return countsFrom(m_reads.command(countsCommand(id)).get());
}

void RedisReceipts::countsLater(const QString &id, std::function<void(const Counts &)> done)
{
    command(countsCommand(id), [done = std::move(done)](const redisReply *reply) {
        if (const std::optional<Counts> counts = countsFrom(reply))
            done(*counts);
    });
}

} // namespace herald
