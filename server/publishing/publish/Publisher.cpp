#include "Publisher.h"

#include "Broker.h"
#include "history/History.h"
#include "logging/Logger.h"
#include "metrics/Metrics.h"
#include "notification/Audience.h"
#include "notification/NotificationRequest.h"
#include "protocol/Timestamp.h"
#include "receipts/ReceiptBook.h"
#include "stream/EncodedMessage.h"
#include "workers/WorkerPool.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QUuid>

namespace herald {

namespace {
const QString ClusterSource = QStringLiteral("backplane");

// The user a per-user copy goes to, for its receipt; empty for any other audience.
QString userOfCopy(const Audience &audience)
{
    return audience.kind == Audience::Kind::Users && audience.names.size() == 1 ? audience.names.first() : QString();
}
} // namespace

Publisher::Publisher(WorkerPool *workers, Broker *broker, History *history, ReceiptBook *receipts, Metrics *metrics,
                     Logger *logger, QObject *parent)
    : QObject(parent)
    , m_workers(workers)
    , m_broker(broker)
    , m_history(history)
    , m_receipts(receipts)
    , m_metrics(metrics)
    , m_logger(logger)
{
    connect(broker, &Broker::notificationReceived, this, &Publisher::deliverFromCluster);
}

PublishReceipt Publisher::publish(const NotificationRequest &notification, const QString &source)
{
    const Audience &audience = notification.audience;
    PublishReceipt receipt;
    receipt.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    receipt.timestamp = isoTimestampUtc();
    const auto entryId = [&](const QString &name) { return receipt.id + QLatin1Char('/') + name; };
    // A copy per user when each user's stream keeps it, or when its receipt must tell which users it reached.
    const bool userStreams = audience.kind == Audience::Kind::Users &&
                             (m_history->policy().keeps(StreamKey::user(QString())) || notification.ackRequested);
    if (notification.ackRequested)
        m_receipts->open(
            receipt.id, QJsonDocument::fromJson(notification.encode(receipt.id, receipt.timestamp)).object(), audience);
    if (audience.kind == Audience::Kind::Channels) {
        // A copy per channel, each naming its channel; the cluster tells them apart by a per-channel entry id.
        for (const QString &channel : audience.names)
            receipt.recipients += publishCopy(notification, receipt, Audience::of(Audience::Kind::Channels, {channel}),
                                              entryId(channel), channel, source);
    } else if (userStreams) {
        // Each user's stream has its own offsets, so each user gets a copy with its own position.
        for (const QString &user : audience.names)
            receipt.recipients += publishCopy(notification, receipt, Audience::of(Audience::Kind::Users, {user}),
                                              entryId(QStringLiteral("@") + user), {}, source);
    } else {
        // Users and connections may be on any instance, so every kind of audience travels.
        receipt.recipients = publishCopy(notification, receipt, audience, receipt.id, {}, source);
    }
    logDelivery(receipt.id, notification.type, source, audience, receipt.recipients);
    return receipt;
}

int Publisher::publishCopy(const NotificationRequest &notification, PublishReceipt &receipt, const Audience &audience,
                           const QString &entryId, const QString &channel, const QString &source)
{
    const std::optional<StreamKey> stream = StreamKey::of(audience);
    const QString user = userOfCopy(audience);
    const QString id = notification.ackRequested ? receipt.id : QString();
    if (!stream || !m_history->policy().keeps(*stream)) {
        const QByteArray encoded = notification.encode(receipt.id, receipt.timestamp, channel);
        const int recipients = deliver(EncodedMessage::fromUtf8(encoded), audience, 0, source);
        if (!id.isEmpty())
            m_receipts->delivered(id, recipients, user);
        receipt.cluster = m_broker->publish(entryId, audience, encoded);
        return recipients;
    }
    // Kept first, delivered once placed: in memory at once, in Redis when it answers (then the count is of the
    // audience here now). A history the instances share carries it to them in the same step.
    struct Delivery {
        bool placedAtOnce = false;
        int recipients = 0;
    };
    const auto delivery = std::make_shared<Delivery>();
    const QByteArray head = notification.encodeHead(receipt.id, receipt.timestamp, channel, stream->wireName());
    receipt.cluster =
        m_history->append(*stream, {entryId, audience, head},
                          [this, audience, head, source, delivery, id, user,
                           live = QPointer<Publisher>(this)](const std::optional<History::Placed> &placed) {
                              if (!live)
                                  return;
                              // Not placed (Redis away): sent now without a position, kept once Redis takes it.
                              delivery->recipients =
                                  placed ? deliver(placed->frame, audience, placed->position.offset, source)
                                         : deliver(EncodedMessage::fromUtf8(NotificationRequest::withoutPosition(head)),
                                                   audience, 0, source);
                              if (!id.isEmpty())
                                  m_receipts->delivered(id, delivery->recipients, user);
                              delivery->placedAtOnce = true;
                          });
    const bool placedAtOnce = delivery->placedAtOnce;
    delivery->placedAtOnce = false; // a later call is no longer "at once"
    return placedAtOnce ? delivery->recipients : m_workers->audienceSize(audience);
}

int Publisher::publishLocally(const QByteArray &encoded, const QString &source)
{
    return deliver(EncodedMessage::fromUtf8(encoded), Audience::everyone(), 0, source);
}

int Publisher::deliver(const EncodedMessage &frame, const Audience &audience, quint64 offset, const QString &source)
{
    m_metrics->notificationBroadcast(source);
    // Framed once; every recipient in every worker is handed the same bytes.
    return m_workers->deliver(frame, audience, offset);
}

void Publisher::deliverFromCluster(const Audience &audience, const QByteArray &encoded, quint64 offset)
{
    const QJsonObject wire = QJsonDocument::fromJson(encoded).object();
    // With an offset it is a kept notification, its position last.
    const EncodedMessage message =
        offset > 0 ? EncodedMessage::keptNotification(encoded) : EncodedMessage::fromUtf8(encoded);
    const int recipients = deliver(message, audience, offset, ClusterSource);
    // Counted in its receipt too, which its origin opened (in Redis: the cluster's counts).
    if (wire.value(QLatin1StringView("ack")).toBool())
        m_receipts->delivered(wire.value(QLatin1StringView("id")).toString(), recipients, userOfCopy(audience));
    logDelivery(wire.value(QLatin1StringView("id")).toString(), wire.value(QLatin1StringView("type")).toString(),
                ClusterSource, audience, recipients);
}

void Publisher::logDelivery(const QString &id, const QString &type, const QString &source, const Audience &audience,
                            int recipients)
{
    m_logger->info(QStringLiteral("notification_broadcast"), QStringLiteral("Notification sent"),
                   {{QStringLiteral("notification_id"), id},
                    {QStringLiteral("type"), type},
                    {QStringLiteral("source"), source},
                    {QStringLiteral("targeted"), !audience.isEveryone()},
                    {QStringLiteral("to"), QString(audience.fieldName())},
                    {QStringLiteral("recipients"), recipients}});
    emit published(id, type, recipients, source);
}

} // namespace herald
