#include "RedisBackplane.h"

#include "RedisConnection.h"
#include "RedisPresence.h"
#include "logging/Logger.h"
#include "notification/NotificationRequest.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMetaEnum>
#include <QTimer>
#include <QUuid>

#include <hiredis/hiredis.h>

namespace herald {

namespace {
constexpr int RecentIdsKept = 20000;
constexpr int WatchdogMs = 250;

// An entry's "targets": the audience's names as a JSON array (user ids may hold any character).
QByteArray encodeTargets(const Audience &audience)
{
    return QJsonDocument(QJsonArray::fromStringList(audience.names)).toJson(QJsonDocument::Compact);
}

// The audience of an entry; none when "to" names no kind this instance knows (an entry from an older Herald
// has no "to": it was for everyone).
std::optional<Audience> decodeAudience(const QByteArray &to, const QByteArray &targets)
{
    const std::optional<Audience::Kind> kind =
        to.isEmpty() ? Audience::Kind::Everyone : Audience::kindNamed(QString::fromUtf8(to));
    if (!kind)
        return std::nullopt;
    QStringList names;
    for (const QJsonValue &name : QJsonDocument::fromJson(targets).array())
        names.append(name.toString());
    if (*kind != Audience::Kind::Everyone && names.isEmpty())
        return std::nullopt;
    return Audience::of(*kind, names);
}

QString errorOf(const redisReply *reply)
{
    return QString::fromUtf8(reply->str, qsizetype(reply->len));
}

// Appends a notification to its stream's history at the next offset and to the backplane stream, atomically, and
// answers "offset:epoch". An entry placed before (a write re-sent after a lost answer) answers its first place.
// What completes the head is NotificationRequest::withPosition(), byte for byte.
// KEYS: backplane stream, history meta hash, history stream, placed marker.
// ARGV: head, new epoch, size, age ms, meta age ms, backplane length, origin, seq, id, to, targets, stream id.
const QByteArray AppendScript = R"lua(
local placed = redis.call('GET', KEYS[4])
if placed then return placed end
local epoch = redis.call('HGET', KEYS[2], 'epoch')
if not epoch then
  epoch = ARGV[2]
  redis.call('HSET', KEYS[2], 'epoch', epoch)
end
local offset = redis.call('HINCRBY', KEYS[2], 'offset', 1)
local body = ARGV[1] .. offset .. ',"epoch":"' .. epoch .. '"}'
redis.call('XADD', KEYS[3], 'MAXLEN', ARGV[3], '*', 'o', offset, 'd', body)
local now = redis.call('TIME')
local oldest = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) - tonumber(ARGV[4])
if oldest > 0 then redis.call('XTRIM', KEYS[3], 'MINID', oldest) end
redis.call('PEXPIRE', KEYS[3], ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[6], '*', 'origin', ARGV[7], 'seq', ARGV[8], 'id', ARGV[9],
  'to', ARGV[10], 'targets', ARGV[11], 'notification', body, 'stream', ARGV[12], 'offset', offset, 'epoch', epoch)
local answer = offset .. ':' .. epoch
redis.call('SET', KEYS[4], answer, 'PX', 60000)
return answer
)lua";

// "offset:epoch" as the scripts answer it.
std::optional<StreamPosition> positionFrom(const QByteArray &answer)
{
    const qsizetype colon = answer.indexOf(':');
    bool ok = false;
    const quint64 offset = answer.left(colon).toULongLong(&ok);
    const QString epoch = QString::fromLatin1(answer.mid(colon + 1));
    if (colon <= 0 || !ok || !StreamPosition::isValidEpoch(epoch))
        return std::nullopt;
    return StreamPosition{offset, epoch};
}

} // namespace

RedisBackplane::RedisBackplane(const QUrl &redisUrl, const QString &stream, Logger *logger, QObject *parent)
    : Broker(parent)
    , m_url(redisUrl)
    , m_stream(stream.toUtf8())
    , m_logger(logger)
    , m_instanceId(QUuid::createUuid().toString(QUuid::WithoutBraces))
    , m_startedAtMs(QDateTime::currentMSecsSinceEpoch())
    , m_retryTimer(new QTimer(this))
    , m_watchdog(new QTimer(this))
    , m_stopTimer(new QTimer(this))
    , m_presence(new RedisPresence(m_stream, m_instanceId, this))
{
    m_clock.start();
    m_retryTimer->setSingleShot(true);
    connect(m_retryTimer, &QTimer::timeout, this, &RedisBackplane::connectBoth);
    m_watchdog->setInterval(WatchdogMs);
    connect(m_watchdog, &QTimer::timeout, this, &RedisBackplane::checkAnswersArrive);
    m_stopTimer->setSingleShot(true);
    m_stopTimer->setInterval(AckWaitMs);
    connect(m_stopTimer, &QTimer::timeout, this, &RedisBackplane::finishStop);
    connect(m_presence, &RedisPresence::received, this, &Broker::presenceReceived);
    connect(m_presence, &RedisPresence::left, this, &Broker::instanceLeft);
}

QString RedisBackplane::stateName() const
{
    return QString::fromLatin1(QMetaEnum::fromType<State>().valueToKey(int(m_state))).toLower();
}

void RedisBackplane::start()
{
    m_watchdog->start();
    connectBoth();
}

void RedisBackplane::stop()
{
    m_stopping = true;
    m_retryTimer->stop();
    m_presence->stop();
    // Acknowledgements already on their way are worth a short wait: reporting those as undelivered would
    // invite re-sends of what every instance already has.
    if (m_state == State::Connected && !m_inFlight.isEmpty())
        m_stopTimer->start();
    else
        finishStop();
}

void RedisBackplane::finishStop()
{
    m_stopTimer->stop();
    m_watchdog->stop();
    for (RedisConnection *connection : {m_writer, m_reader}) {
        if (connection)
            disconnect(connection, nullptr, this, nullptr);
    }
    if (!m_outbox.isEmpty()) {
        QJsonArray ids;
        for (const Entry &entry : std::as_const(m_outbox))
            ids.append(entry.id);
        m_logger->error(
            QStringLiteral("backplane_undelivered"),
            QStringLiteral("Stopped before Redis acknowledged these notifications; other instances "
                           "did not receive them"),
            {{QStringLiteral("count"), qint64(m_outbox.size())}, {QStringLiteral("notification_ids"), ids}});
        m_outbox.clear();
    }
    emit stopped();
}

void RedisBackplane::connectBoth()
{
    // Fresh connections each round: a hiredis context is done once it has disconnected. The old ones may still
    // be unwinding a callback, and nothing they say now concerns the new round.
    for (RedisConnection *old : {m_writer, m_reader}) {
        if (old) {
            disconnect(old, nullptr, this, nullptr);
            old->deleteLater();
        }
    }
    m_inFlight.clear();
    // Connecting and the first answers together get the margin (a silent partition never completes the TCP
    // handshake, and hiredis sets no timeout of its own here).
    m_readDueMs = m_clock.elapsed() + AnswerMarginMs;
    ++m_round;
    const QString host = m_url.host();
    const int port = m_url.port(6379);
    m_writer = new RedisConnection(host, port, m_url.password(), this);
    m_reader = new RedisConnection(host, port, m_url.password(), this);
    for (RedisConnection *connection : {m_writer, m_reader}) {
        connect(connection, &RedisConnection::connected, this, &RedisBackplane::onConnected);
        // Queued: never tear a connection down from inside its own callback.
        connect(connection, &RedisConnection::disconnected, this, &RedisBackplane::fault, Qt::QueuedConnection);
        connection->open();
    }
}

void RedisBackplane::fault(const QString &error)
{
    if (m_stopping || m_retryTimer->isActive())
        return; // both connections report the same outage, or several answers the same refusal
    const bool wasHealthy = m_state != State::Degraded;
    const bool sameTrouble = error == m_lastError;
    m_lastError = error;
    m_readDueMs = -1;
    // What local clients were waiting for goes out to them now; the cluster and the history get it when Redis is
    // back.
    for (auto it = m_inFlight.cbegin(); it != m_inFlight.cend(); ++it)
        place(it.key(), std::nullopt);
    m_inFlight.clear();
    ++m_round;
    m_presence->setConnection(nullptr);
    if (wasHealthy) {
        m_state = State::Degraded;
        emit stateChanged(m_state);
    }
    // Said once per outage, and again only if the trouble changes; every retry of the same is a debug line.
    m_logger->log(wasHealthy || !sameTrouble ? LogLevel::Warning : LogLevel::Debug,
                  QStringLiteral("backplane_degraded"),
                  QStringLiteral("Redis backplane unavailable; serving local clients only: %1").arg(error),
                  {{QStringLiteral("error"), error},
                   {QStringLiteral("retry_ms"), m_retryMs},
                   {QStringLiteral("pending"), qint64(m_outbox.size())}});
    m_retryTimer->start(m_retryMs);
    m_retryMs = std::min(m_retryMs * 2, LongestRetryMs);
    ++m_reconnects;
}

void RedisBackplane::onConnected()
{
    if (!m_writer->isConnected() || !m_reader->isConnected())
        return;
    // A TCP connection proves little (a frozen Redis still accepts them): the first answers do. TYPE finds a key
    // of another type before anything is read or written; TIME places the first read at this instance's start,
    // on Redis's clock.
    RedisConnection *reader = m_reader;
    const quint64 round = m_round;
    m_readDueMs = m_clock.elapsed() + AnswerMarginMs;
    reader->command({"TYPE", m_stream}, [this, round](const redisReply *reply) {
        if (!reply || round != m_round)
            return;
        const QByteArray type = RedisConnection::text(reply);
        if (reply->type == REDIS_REPLY_ERROR)
            return fault(errorOf(reply));
        if (type != "stream" && type != "none")
            return fault(QStringLiteral("Redis key %1 is a %2, not a stream; REDIS_CHANNEL names the stream the "
                                        "instances share")
                             .arg(QString::fromUtf8(m_stream), QString::fromUtf8(type)));
    });
    const qint64 askedAtMs = QDateTime::currentMSecsSinceEpoch();
    reader->command({"TIME"}, [this, round, askedAtMs](const redisReply *reply) {
        if (!reply || round != m_round)
            return;
        m_readDueMs = -1;
        if (reply->type != REDIS_REPLY_ARRAY || reply->elements != 2)
            return fault(reply->type == REDIS_REPLY_ERROR ? errorOf(reply) : QStringLiteral("unexpected TIME answer"));
        if (m_lastEntry.isEmpty()) {
            const qint64 redisNowMs = RedisConnection::text(reply->element[0]).toLongLong() * 1000 +
                                      RedisConnection::text(reply->element[1]).toLongLong() / 1000;
            const qint64 offsetMs = redisNowMs - askedAtMs;
            m_lastEntry = QByteArray::number(std::max<qint64>(0, m_startedAtMs + offsetMs)) + "-0";
        }
        resume();
    });
}

void RedisBackplane::resume()
{
    readNext();
    m_presence->setConnection(m_writer);
    if (m_state == State::Degraded && !m_outbox.isEmpty()) {
        send(m_outbox.firstKey()); // the oldest first, alone; its acknowledgement makes the backplane healthy
        return;
    }
    becomeConnected();
}

void RedisBackplane::becomeConnected()
{
    // Only now, with the reader's position in the stream known and Redis taking writes, can this instance promise
    // its clients every notification appended from here on; before that it is "connecting" or "degraded".
    const bool recovered = m_state == State::Degraded;
    m_state = State::Connected;
    emit stateChanged(m_state);
    m_logger->info(recovered ? QStringLiteral("backplane_recovered") : QStringLiteral("backplane_connected"),
                   QStringLiteral("Redis backplane connected"),
                   {{QStringLiteral("stream"), QString::fromUtf8(m_stream)},
                    {QStringLiteral("pending"), qint64(m_outbox.size())}});
    for (auto it = m_outbox.cbegin(); it != m_outbox.cend(); ++it) // in order
        send(it.key());
}

QString RedisBackplane::publish(const QString &notificationId, const Audience &audience, const QByteArray &notification)
{
    return enqueue({notificationId, audience, notification, std::nullopt});
}

QString RedisBackplane::publishKept(const QString &entryId, const Audience &audience, const StreamKey &stream,
                                    const QByteArray &head, const HistoryLimits &limits, History::PlacedCallback placed)
{
    return enqueue({entryId, audience, head, Kept{stream, limits, std::move(placed)}});
}

QString RedisBackplane::enqueue(Entry entry)
{
    if (m_outbox.size() >= OutboxLimit) {
        ++m_dropped;
        m_logger->error(QStringLiteral("backplane_dropped"),
                        QStringLiteral("Backplane outbox full; notification reached local clients only"),
                        {{QStringLiteral("notification_id"), entry.id}, {QStringLiteral("outbox_limit"), OutboxLimit}});
        if (entry.kept)
            entry.kept->placed(std::nullopt);
        return QStringLiteral("dropped");
    }
    const quint64 tag = m_nextTag++;
    const bool kept = entry.kept.has_value();
    m_outbox.insert(tag, std::move(entry));
    if (m_state != State::Connected || m_stopping) {
        if (kept)
            place(tag, std::nullopt); // local clients do not wait for Redis
        return QStringLiteral("queued");
    }
    send(tag);
    return QStringLiteral("published");
}

void RedisBackplane::place(quint64 tag, const std::optional<History::Placed> &placed)
{
    const auto entry = m_outbox.find(tag);
    if (entry == m_outbox.end() || !entry->kept || !entry->kept->placed)
        return;
    const History::PlacedCallback callback = std::exchange(entry->kept->placed, nullptr);
    callback(placed);
}

QByteArray RedisBackplane::historyKey(const StreamKey &stream) const
{
    return m_stream + ":history:" + stream.id().toUtf8();
}

QByteArray RedisBackplane::historyMetaKey(const StreamKey &stream) const
{
    return historyKey(stream) + ":meta";
}

void RedisBackplane::send(quint64 tag)
{
    if (m_inFlight.contains(tag))
        return;
    const Entry &entry = *m_outbox.constFind(tag);
    m_inFlight.insert(tag, m_clock.elapsed());
    const quint64 round = m_round;
    const QLatin1StringView to = entry.audience.fieldName();
    const QByteArray toName(to.data(), to.size());
    QList<QByteArray> command;
    if (entry.kept) {
        const StreamKey &stream = entry.kept->stream;
        command = {"EVAL",
                   AppendScript,
                   "4",
                   m_stream,
                   historyMetaKey(stream),
                   historyKey(stream),
                   m_stream + ":history:placed:" + entry.id.toUtf8(),
                   entry.notification,
                   StreamPosition::newEpoch().toLatin1(),
                   QByteArray::number(entry.kept->limits.size),
                   QByteArray::number(entry.kept->limits.ttlSeconds * 1000),
                   QByteArray::number(HistoryMetaTtlMs),
                   QByteArray::number(StreamLength),
                   m_instanceId.toUtf8(),
                   QByteArray::number(tag),
                   entry.id.toUtf8(),
                   toName,
                   encodeTargets(entry.audience),
                   stream.id().toUtf8()};
    } else {
        command = {"XADD",
                   m_stream,
                   "MAXLEN",
                   "~",
                   QByteArray::number(StreamLength),
                   "*",
                   "origin",
                   m_instanceId.toUtf8(),
                   "seq",
                   QByteArray::number(tag),
                   "id",
                   entry.id.toUtf8(),
                   "to",
                   toName,
                   "targets",
                   encodeTargets(entry.audience),
                   "notification",
                   entry.notification};
    }
    m_writer->command(command, [this, tag, round](const redisReply *reply) {
        if (round != m_round)
            return; // an answer for a connection given up on: the entry goes again
        m_inFlight.remove(tag);
        if (reply && reply->type == REDIS_REPLY_STRING) {
            const Entry &sent = *m_outbox.constFind(tag);
            if (sent.kept) {
                if (const auto position = positionFrom(RedisConnection::text(reply))) {
                    emit positionSeen(sent.kept->stream.id(), *position);
                    place(tag,
                          History::Placed{*position, EncodedMessage::keptNotification(NotificationRequest::withPosition(
                                                         sent.notification, *position))});
                }
            }
            m_outbox.remove(tag);
            ++m_published;
            m_retryMs = FirstRetryMs; // Redis takes writes: the next outage starts afresh
            if (m_stopping) {
                if (m_inFlight.isEmpty() && m_stopTimer->isActive())
                    finishStop();
            } else if (m_state != State::Connected) {
                becomeConnected();
            }
        } else if (reply && reply->type == REDIS_REPLY_ERROR) {
            // Out of memory, a key of another type, a read-only replica: the entry stays in
            // the outbox and goes again after the back-off, while /health says degraded.
            fault(QStringLiteral("Redis refused a notification for stream %1: %2")
                      .arg(QString::fromUtf8(m_stream), errorOf(reply)));
        } // no reply: the connection went; the entry stays for the next one
    });
}

void RedisBackplane::readNext()
{
    const quint64 round = m_round;
    m_readDueMs = m_clock.elapsed() + ReadBlockMs + AnswerMarginMs;
    m_reader->command(
        {"XREAD", "COUNT", QByteArray::number(ReadBatch), "BLOCK", QByteArray::number(ReadBlockMs), "STREAMS", m_stream,
         m_lastEntry},
        [this, round](const redisReply *reply) {
            if (!reply || round != m_round)
                return; // connection lost: the next round reads on from m_lastEntry
            m_readDueMs = -1;
            if (reply->type == REDIS_REPLY_ERROR) {
                const QString error = errorOf(reply);
                return fault(error.startsWith(QLatin1StringView("WRONGTYPE"))
                                 ? QStringLiteral("Redis key %1 is not a stream (REDIS_CHANNEL names it): %2")
                                       .arg(QString::fromUtf8(m_stream), error)
                                 : error);
            }
            m_retryMs = FirstRetryMs; // Redis answers reads: the next outage starts afresh
            // [[stream, [[entry id, [field, value, ...]], ...]]], or nil when the block timed out
            size_t read = 0;
            if (reply->type == REDIS_REPLY_ARRAY && reply->elements > 0 && reply->element[0]->elements == 2) {
                read = reply->element[0]->element[1]->elements;
                onEntries(reply->element[0]->element[1]);
            }
            if (round != m_round || m_stopping)
                return;
            if (read >= size_t(ReadBatch))
                QTimer::singleShot(PaceMs, this, [this, round] {
                    if (round == m_round && !m_stopping)
                        readNext();
                });
            else
                readNext();
        });
}

void RedisBackplane::onEntries(const redisReply *entries)
{
    for (size_t i = 0; i < entries->elements; ++i) {
        const redisReply *entry = entries->element[i];
        m_lastEntry = RedisConnection::text(entry->element[0]);
        QByteArray origin, sequence, id, to, targets, notification, stream, offset, epoch;
        const redisReply *fields = entry->element[1];
        for (size_t f = 0; f + 1 < fields->elements; f += 2) {
            const QByteArray name = RedisConnection::text(fields->element[f]);
            const QByteArray value = RedisConnection::text(fields->element[f + 1]);
            if (name == "origin")
                origin = value;
            else if (name == "seq")
                sequence = value;
            else if (name == "id")
                id = value;
            else if (name == "to")
                to = value;
            else if (name == "targets")
                targets = value;
            else if (name == "notification")
                notification = value;
            else if (name == "stream")
                stream = value;
            else if (name == "offset")
                offset = value;
            else if (name == "epoch")
                epoch = value;
        }
        const std::optional<StreamPosition> position = positionFrom(offset + ':' + epoch);
        if (position && !stream.isEmpty())
            emit positionSeen(QString::fromUtf8(stream), *position);
        deliver(QString::fromUtf8(origin), sequence.toULongLong(), QString::fromUtf8(id), decodeAudience(to, targets),
                notification, position ? position->offset : 0);
    }
}

void RedisBackplane::deliver(const QString &origin, quint64 sequence, const QString &id,
                             const std::optional<Audience> &audience, const QByteArray &notification, quint64 offset)
{
    if (origin == m_instanceId)
        return; // ours, delivered locally when it was sent
    if (id.isEmpty() || notification.isEmpty() || !audience) {
        m_logger->warning(QStringLiteral("backplane_entry_ignored"), QStringLiteral("Not a Herald notification"),
                          {{QStringLiteral("stream"), QString::fromUtf8(m_stream)}});
        return;
    }
    // A gap in an origin's numbers: entries this reader never saw (trimmed by the stream's cap while it was
    // behind, or lost with a Redis that restarted empty). Said, counted, and, with history, recoverable.
    if (sequence > 0) {
        quint64 &last = m_lastSequenceOf[origin];
        if (last > 0 && sequence > last + 1) {
            const quint64 missed = sequence - last - 1;
            m_missed += missed;
            m_logger->error(QStringLiteral("backplane_gap"),
                            QStringLiteral("Missed %1 notification(s) from another instance: the stream no longer "
                                           "held them when this instance read it")
                                .arg(missed),
                            {{QStringLiteral("origin"), origin},
                             {QStringLiteral("missed"), qint64(missed)},
                             {QStringLiteral("after_sequence"), qint64(last)},
                             {QStringLiteral("next_sequence"), qint64(sequence)},
                             {QStringLiteral("stream_length"), StreamLength}});
        }
        last = std::max(last, sequence);
    }
    if (m_recentIdSet.contains(id)) {
        ++m_duplicates;
        return;
    }
    m_recentIds.append(id);
    m_recentIdSet.insert(id);
    if (m_recentIds.size() > RecentIdsKept)
        m_recentIdSet.remove(m_recentIds.takeFirst());
    ++m_received;
    emit notificationReceived(*audience, notification, offset);
}

void RedisBackplane::checkAnswersArrive()
{
    if (m_retryTimer->isActive() || !m_writer)
        return;
    const qint64 now = m_clock.elapsed();
    if (m_readDueMs >= 0 && now > m_readDueMs)
        return fault(QStringLiteral("Redis did not answer within %1 s").arg((ReadBlockMs + AnswerMarginMs) / 1000.0));
    for (const qint64 sentAt : std::as_const(m_inFlight))
        if (now - sentAt > AnswerMarginMs)
            return fault(
                QStringLiteral("Redis did not acknowledge a notification within %1 s").arg(AnswerMarginMs / 1000.0));
}

void RedisBackplane::sharePresence(const QByteArray &snapshot)
{
    m_presence->share(snapshot);
}

QJsonObject RedisBackplane::statusJson() const
{
    QUrl shown = m_url;
    if (!shown.password().isEmpty())
        shown.setPassword(QStringLiteral("***"));
    return {{QStringLiteral("enabled"), true},
            {QStringLiteral("state"), stateName()},
            {QStringLiteral("url"), shown.toString()},
            {QStringLiteral("stream"), QString::fromUtf8(m_stream)},
            {QStringLiteral("instance_id"), m_instanceId},
            {QStringLiteral("published"), qint64(m_published)},
            {QStringLiteral("received"), qint64(m_received)},
            {QStringLiteral("pending"), qint64(m_outbox.size())},
            {QStringLiteral("dropped"), qint64(m_dropped)},
            {QStringLiteral("missed"), qint64(m_missed)},
            {QStringLiteral("duplicates_skipped"), qint64(m_duplicates)},
            {QStringLiteral("reconnects"), qint64(m_reconnects)},
            {QStringLiteral("last_error"), m_lastError}};
}

} // namespace herald
