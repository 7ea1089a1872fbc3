#include "RedisHistory.h"

#include "RedisBackplane.h"
#include "RedisConnection.h"

#include <QMutexLocker>
#include <QTimer>

#include <hiredis/hiredis.h>

namespace herald {

namespace {
// What both reads begin with: where the stream stands (giving it an epoch if it has none yet, so that a client
// can come back to it), and the oldest entry id its age keeps. KEYS: history meta hash, history stream. ARGV:
// new epoch, meta age ms, then the read's own, the age in ms fifth.
const QByteArray StreamStands = R"lua(
redis.call('HSETNX', KEYS[1], 'epoch', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
local epoch = redis.call('HGET', KEYS[1], 'epoch')
local newest = tonumber(redis.call('HGET', KEYS[1], 'offset') or '0')
local now = redis.call('TIME')
local oldest = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) - tonumber(ARGV[5])
if oldest < 0 then oldest = 0 end
)lua";

// A recovery: with since (ARGV[3], -1: none), the notifications after it, newest first, when they are at most
// the limit (ARGV[4]); answers {epoch, newest offset, entries}.
const QByteArray ReadScript = StreamStands + R"lua(
local since = tonumber(ARGV[3])
local entries = {}
if since >= 0 and since < newest and newest - since <= tonumber(ARGV[4]) then
  entries = redis.call('XREVRANGE', KEYS[2], '+', oldest, 'COUNT', newest - since)
end
return {epoch, newest, entries}
)lua";

// A page: up to limit (ARGV[4]) notifications after an offset (ARGV[3]), oldest first; answers {epoch, newest,
// {offset, body, ...}, more}.
const QByteArray PageScript = StreamStands + R"lua(
local after = tonumber(ARGV[3])
local limit = tonumber(ARGV[4])
local out = {}
local more = 0
for _, entry in ipairs(redis.call('XRANGE', KEYS[2], oldest, '+')) do
  local offset = tonumber(entry[2][2])
  if offset > after then
    if #out >= 2 * limit then more = 1 break end
    table.insert(out, offset)
    table.insert(out, entry[2][4])
  end
end
return {epoch, newest, out, more}
)lua";

bool isPositionAnswer(const redisReply *reply, size_t elements)
{
    return reply && reply->type == REDIS_REPLY_ARRAY && reply->elements == elements &&
           reply->element[0]->type == REDIS_REPLY_STRING && reply->element[1]->type == REDIS_REPLY_INTEGER &&
           reply->element[2]->type == REDIS_REPLY_ARRAY;
}

StreamPosition positionOf(const redisReply *reply)
{
    return {quint64(std::max<long long>(0, reply->element[1]->integer)),
            QString::fromLatin1(RedisConnection::text(reply->element[0]))};
}
} // namespace

RedisHistory::RedisHistory(HistoryPolicy policy, RedisBackplane *backplane, const QUrl &redisUrl, QObject *parent)
    : History(std::move(policy), parent)
    , m_backplane(backplane)
    , m_url(redisUrl)
    , m_pages(redisUrl, PageTimeoutMs)
    , m_watchdog(new QTimer(this))
{
    m_clock.start();
    connect(backplane, &RedisBackplane::positionSeen, this, &RedisHistory::remember);
    m_watchdog->setInterval(250);
    connect(m_watchdog, &QTimer::timeout, this, &RedisHistory::checkAnswersArrive);
}

QString RedisHistory::append(const StreamKey &stream, const Entry &entry, PlacedCallback placed)
{
    return m_backplane->publishKept(entry.entryId, entry.audience, stream, entry.head, policy().limitsOf(stream),
                                    std::move(placed));
}

void RedisHistory::remember(const QString &streamId, const StreamPosition &position)
{
    QMutexLocker lock(&m_mutex);
    StreamPosition &known = m_positions[streamId];
    // Only forward within an epoch; a new epoch replaces the old (its offsets start again).
    if (known.epoch != position.epoch || position.offset > known.offset)
        known = position;
}

std::optional<StreamPosition> RedisHistory::position(const StreamKey &stream)
{
    if (!policy().keeps(stream))
        return std::nullopt;
    QMutexLocker lock(&m_mutex);
    const auto known = m_positions.constFind(stream.id());
    if (known == m_positions.cend())
        return std::nullopt;
    return *known;
}

void RedisHistory::recover(const StreamKey &stream, const std::optional<StreamPosition> &since, int limit,
                           QObject *context, std::function<void(const HistoryRead &)> done)
{
    const auto answer = [context, done = std::move(done)](const HistoryRead &read) {
        QMetaObject::invokeMethod(
            context, [done, read] { done(read); }, Qt::QueuedConnection);
    };
    if (!policy().keeps(stream)) {
        HistoryRead read;
        read.outcome = HistoryRead::Outcome::NotKept;
        answer(read);
        return;
    }
    // The connection lives in this object's thread; a worker's request goes there first.
    QMetaObject::invokeMethod(
        this, [this, stream, since, limit, answer] { read(stream, since, limit, answer); }, Qt::QueuedConnection);
}

void RedisHistory::read(const StreamKey &stream, const std::optional<StreamPosition> &since, int limit,
                        std::function<void(const HistoryRead &)> answer)
{
    if (!m_reads) {
        m_reads = new RedisConnection(m_url.host(), m_url.port(6379), m_url.password(), this);
        connect(m_reads, &RedisConnection::disconnected, this, &RedisHistory::dropConnection, Qt::QueuedConnection);
        m_reads->open();
        m_watchdog->start();
    }
    const quint64 id = m_nextRead++;
    m_pending.insert(id, {m_clock.elapsed(), std::move(answer)});
    const HistoryLimits limits = policy().limitsOf(stream);
    m_reads->command({"EVAL", ReadScript, "2", m_backplane->historyMetaKey(stream), m_backplane->historyKey(stream),
                      StreamPosition::newEpoch().toLatin1(), QByteArray::number(RedisBackplane::HistoryMetaTtlMs),
                      since ? QByteArray::number(since->offset) : QByteArray("-1"), QByteArray::number(limit),
                      QByteArray::number(limits.ttlSeconds * 1000)},
                     [this, id, since, limit, stream](const redisReply *reply) {
                         const Pending pending = m_pending.take(id);
                         if (!pending.answer)
                             return; // answered as unavailable already
                         pending.answer(outcomeOf(reply, since, limit, stream));
                     });
}

HistoryRead RedisHistory::outcomeOf(const redisReply *reply, const std::optional<StreamPosition> &since, int limit,
                                    const StreamKey &stream)
{
    HistoryRead read;
    if (!isPositionAnswer(reply, 3)) {
        read.outcome = HistoryRead::Outcome::Unavailable;
        return read;
    }
    read.position = positionOf(reply);
    remember(stream.id(), read.position);
    if (!since)
        return read;
    if (since->epoch != read.position.epoch || since->offset > read.position.offset) {
        read.outcome = HistoryRead::Outcome::EpochChanged;
        return read;
    }
    const quint64 missed = read.position.offset - since->offset;
    if (missed == 0)
        return read;
    if (missed > quint64(limit)) {
        read.outcome = HistoryRead::Outcome::TooMany;
        return read;
    }
    // Newest first: [[id, ["o", offset, "d", body]], ...]
    const redisReply *entries = reply->element[2];
    for (size_t i = entries->elements; i-- > 0;) {
        const redisReply *fields = entries->element[i]->element[1];
        if (fields->elements != 4)
            continue;
        read.notifications.append({RedisConnection::text(fields->element[1]).toULongLong(),
                                   EncodedMessage::keptNotification(RedisConnection::text(fields->element[3]))});
    }
    // Whole only if every offset after since is still there (the size or the age may have taken the oldest).
    if (quint64(read.notifications.size()) != missed || read.notifications.first().offset != since->offset + 1) {
        read.notifications.clear();
        read.outcome = HistoryRead::Outcome::TooOld;
    }
    return read;
}

HistoryRead RedisHistory::page(const StreamKey &stream, quint64 afterOffset, int limit)
{
    HistoryRead read;
    if (!policy().keeps(stream)) {
        read.outcome = HistoryRead::Outcome::NotKept;
        return read;
    }
    const HistoryLimits limits = policy().limitsOf(stream);
    const RedisBlockingClient::Reply reply = m_pages.command(
        {"EVAL", PageScript, "2", m_backplane->historyMetaKey(stream), m_backplane->historyKey(stream),
         StreamPosition::newEpoch().toLatin1(), QByteArray::number(RedisBackplane::HistoryMetaTtlMs),
         QByteArray::number(afterOffset), QByteArray::number(limit), QByteArray::number(limits.ttlSeconds * 1000)});
    if (!isPositionAnswer(reply.get(), 4)) {
        read.outcome = HistoryRead::Outcome::Unavailable;
        return read;
    }
    read.position = positionOf(reply.get());
    remember(stream.id(), read.position);
    const redisReply *out = reply->element[2];
    for (size_t i = 0; i + 1 < out->elements; i += 2)
        read.notifications.append({quint64(out->element[i]->integer),
                                   EncodedMessage::keptNotification(RedisConnection::text(out->element[i + 1]))});
    read.more = reply->element[3]->integer != 0;
    return read;
}

HistoryFigures RedisHistory::figures() const
{
    QMutexLocker lock(&m_mutex);
    // The notifications themselves are in Redis (its INFO memory tells their bytes); the streams are the ones
    // this instance knows of.
    return {m_positions.size(), 0, 0};
}

void RedisHistory::dropConnection()
{
    if (m_reads) {
        disconnect(m_reads, nullptr, this, nullptr);
        m_reads->deleteLater();
        m_reads = nullptr;
    }
    // Whatever was asked on it is answered: the history is not there now.
    HistoryRead unavailable;
    unavailable.outcome = HistoryRead::Outcome::Unavailable;
    const QHash<quint64, Pending> pending = std::exchange(m_pending, {});
    for (const Pending &request : pending)
        request.answer(unavailable);
    m_watchdog->stop();
}

void RedisHistory::checkAnswersArrive()
{
    const qint64 now = m_clock.elapsed();
    for (const Pending &request : std::as_const(m_pending))
        if (now - request.sentAtMs > ReadTimeoutMs)
            return dropConnection(); // a frozen Redis keeps the connection and says nothing
}

} // namespace herald
