#include "RedisBackplane.h"

#include "RedisConnection.h"
#include "RedisPresence.h"
#include "logging/Logger.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMetaEnum>
#include <QTimer>
#include <QUuid>

#include <hiredis/hiredis.h>

namespace herald {

namespace {
constexpr int RecentIdsKept = 20000;

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

QByteArray text(const redisReply *reply)
{
    return reply && (reply->type == REDIS_REPLY_STRING || reply->type == REDIS_REPLY_STATUS)
               ? QByteArray(reply->str, qsizetype(reply->len))
               : QByteArray();
}
} // namespace

RedisBackplane::RedisBackplane(const QUrl &redisUrl, const QString &stream, Logger *logger, QObject *parent)
    : Broker(parent)
    , m_url(redisUrl)
    , m_stream(stream.toUtf8())
    , m_logger(logger)
    , m_instanceId(QUuid::createUuid().toString(QUuid::WithoutBraces))
    , m_retryTimer(new QTimer(this))
    , m_presence(new RedisPresence(m_stream, m_instanceId, this))
{
    connect(m_presence, &RedisPresence::received, this, &Broker::presenceReceived);
    connect(m_presence, &RedisPresence::left, this, &Broker::instanceLeft);
    m_retryTimer->setSingleShot(true);
    connect(m_retryTimer, &QTimer::timeout, this, &RedisBackplane::connectBoth);
}

QString RedisBackplane::stateName() const
{
    return QString::fromLatin1(QMetaEnum::fromType<State>().valueToKey(int(m_state))).toLower();
}

void RedisBackplane::start()
{
    connectBoth();
}

void RedisBackplane::stop()
{
    m_retryTimer->stop();
    m_presence->stop();
    for (RedisConnection *connection : {m_writer, m_reader}) {
        if (connection)
            disconnect(connection, nullptr, this, nullptr);
    }
    if (m_outbox.isEmpty())
        return;
    QJsonArray ids;
    for (const Entry &entry : std::as_const(m_outbox))
        ids.append(entry.id);
    m_logger->error(QStringLiteral("backplane_undelivered"),
                    QStringLiteral("Stopped before Redis acknowledged these notifications; other instances "
                                   "did not receive them"),
                    {{QStringLiteral("count"), qint64(m_outbox.size())}, {QStringLiteral("notification_ids"), ids}});
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
    const QString host = m_url.host();
    const int port = m_url.port(6379);
    m_writer = new RedisConnection(host, port, m_url.password(), this);
    m_reader = new RedisConnection(host, port, m_url.password(), this);
    for (RedisConnection *connection : {m_writer, m_reader}) {
        connect(connection, &RedisConnection::connected, this, &RedisBackplane::onConnected);
        // Queued: never tear a connection down from inside its own callback.
        connect(connection, &RedisConnection::disconnected, this, &RedisBackplane::onConnectionLost,
                Qt::QueuedConnection);
        connection->open();
    }
}

void RedisBackplane::onConnectionLost(const QString &error)
{
    if (m_retryTimer->isActive())
        return; // both connections report the same outage
    m_lastError = error;
    m_state = State::Degraded;
    emit stateChanged(m_state);
    m_logger->warning(QStringLiteral("backplane_degraded"),
                      QStringLiteral("Redis unreachable; serving local clients only"),
                      {{QStringLiteral("error"), error},
                       {QStringLiteral("retry_ms"), m_retryMs},
                       {QStringLiteral("pending"), qint64(m_outbox.size())}});
    m_presence->setConnection(nullptr);
    m_retryTimer->start(m_retryMs);
    m_retryMs = std::min(m_retryMs * 2, LongestRetryMs);
    ++m_reconnects;
}

void RedisBackplane::onConnected()
{
    if (!m_writer->isConnected() || !m_reader->isConnected())
        return;
    if (m_lastEntry.isEmpty())
        findStreamEnd(); // then becomeConnected()
    else
        becomeConnected();
}

void RedisBackplane::becomeConnected()
{
    // Only now, with the reader's position in the stream known, can this instance promise its clients every
    // notification appended from here on; before that it stays "connecting" and publishes nothing.
    const bool recovered = m_state == State::Degraded;
    m_state = State::Connected;
    m_retryMs = FirstRetryMs;
    emit stateChanged(m_state);
    m_logger->info(recovered ? QStringLiteral("backplane_recovered") : QStringLiteral("backplane_connected"),
                   QStringLiteral("Redis backplane connected"),
                   {{QStringLiteral("stream"), QString::fromUtf8(m_stream)},
                    {QStringLiteral("pending"), qint64(m_outbox.size())}});
    readNext();
    m_presence->setConnection(m_writer);
    for (auto it = m_outbox.cbegin(); it != m_outbox.cend(); ++it) // in order
        send(it.key());
}

QString RedisBackplane::publish(const QString &notificationId, const Audience &audience, const QByteArray &notification)
{
    if (m_outbox.size() >= OutboxLimit) {
        ++m_dropped;
        m_logger->error(
            QStringLiteral("backplane_dropped"),
            QStringLiteral("Backplane outbox full; notification reached local clients only"),
            {{QStringLiteral("notification_id"), notificationId}, {QStringLiteral("outbox_limit"), OutboxLimit}});
        return QStringLiteral("dropped");
    }
    const quint64 tag = m_nextTag++;
    m_outbox.insert(tag, {notificationId, audience, notification});
    if (m_state != State::Connected)
        return QStringLiteral("queued");
    send(tag);
    return QStringLiteral("published");
}

void RedisBackplane::send(quint64 tag)
{
    if (m_inFlight.contains(tag))
        return;
    const Entry entry = m_outbox.value(tag);
    m_inFlight.insert(tag);
    m_writer->command({"XADD", m_stream, "MAXLEN", "~", QByteArray::number(StreamLength), "*", "origin",
                       m_instanceId.toUtf8(), "id", entry.id.toUtf8(), "to",
                       QByteArray(entry.audience.fieldName().data(), entry.audience.fieldName().size()), "targets",
                       encodeTargets(entry.audience), "notification", entry.notification},
                      [this, tag](const redisReply *reply) {
                          m_inFlight.remove(tag);
                          if (reply && reply->type == REDIS_REPLY_STRING) {
                              m_outbox.remove(tag);
                              ++m_published;
                          } else if (reply && reply->type == REDIS_REPLY_ERROR) {
                              m_lastError = QString::fromUtf8(reply->str, qsizetype(reply->len));
                              m_logger->error(QStringLiteral("backplane_publish_failed"), m_lastError);
                          } // no reply: the connection went; the entry stays for the next one
                      });
}

void RedisBackplane::findStreamEnd()
{
    // Entries already in the stream were for whoever was there; from here on this reader never skips one,
    // even across outages, because it always resumes from the id it last saw.
    RedisConnection *reader = m_reader;
    reader->command({"XREVRANGE", m_stream, "+", "-", "COUNT", "1"}, [this, reader](const redisReply *reply) {
        if (!reply || reader != m_reader)
            return;
        if (reply->type == REDIS_REPLY_ERROR)
            return onConnectionLost(QString::fromUtf8(reply->str, qsizetype(reply->len)));
        m_lastEntry = reply->type == REDIS_REPLY_ARRAY && reply->elements == 1 ? text(reply->element[0]->element[0])
                                                                               : QByteArray("0-0");
        becomeConnected();
    });
}

void RedisBackplane::readNext()
{
    RedisConnection *reader = m_reader;
    reader->command({"XREAD", "BLOCK", QByteArray::number(ReadBlockMs), "STREAMS", m_stream, m_lastEntry},
                    [this, reader](const redisReply *reply) {
                        if (!reply || reader != m_reader)
                            return; // connection lost: the next round reads on from m_lastEntry
                        if (reply->type == REDIS_REPLY_ERROR) // say a key of another type: retry with backoff
                            return onConnectionLost(QString::fromUtf8(reply->str, qsizetype(reply->len)));
                        // [[stream, [[entry id, [field, value, ...]], ...]]], or nil when the block timed out
                        if (reply->type == REDIS_REPLY_ARRAY && reply->elements > 0 &&
                            reply->element[0]->elements == 2) {
                            const redisReply *entries = reply->element[0]->element[1];
                            for (size_t i = 0; i < entries->elements; ++i) {
                                const redisReply *entry = entries->element[i];
                                m_lastEntry = text(entry->element[0]);
                                QByteArray origin, id, to, targets, notification;
                                const redisReply *fields = entry->element[1];
                                for (size_t f = 0; f + 1 < fields->elements; f += 2) {
                                    const QByteArray name = text(fields->element[f]);
                                    const QByteArray value = text(fields->element[f + 1]);
                                    if (name == "origin")
                                        origin = value;
                                    else if (name == "id")
                                        id = value;
                                    else if (name == "to")
                                        to = value;
                                    else if (name == "targets")
                                        targets = value;
                                    else if (name == "notification")
                                        notification = value;
                                }
                                deliver(QString::fromUtf8(origin), QString::fromUtf8(id), decodeAudience(to, targets),
                                        notification);
                            }
                        }
                        readNext();
                    });
}

void RedisBackplane::deliver(const QString &origin, const QString &id, const std::optional<Audience> &audience,
                             const QByteArray &notification)
{
    if (origin == m_instanceId)
        return; // ours, delivered locally when it was sent
    if (id.isEmpty() || notification.isEmpty() || !audience) {
        m_logger->warning(QStringLiteral("backplane_entry_ignored"), QStringLiteral("Not a Herald notification"),
                          {{QStringLiteral("stream"), QString::fromUtf8(m_stream)}});
        return;
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
    emit notificationReceived(*audience, notification);
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
            {QStringLiteral("duplicates_skipped"), qint64(m_duplicates)},
            {QStringLiteral("reconnects"), qint64(m_reconnects)},
            {QStringLiteral("last_error"), m_lastError}};
}

} // namespace herald
