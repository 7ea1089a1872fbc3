#include "Publisher.h"

#include "Broker.h"
#include "logging/Logger.h"
#include "metrics/Metrics.h"
#include "notification/Audience.h"
#include "notification/NotificationRequest.h"
#include "protocol/Timestamp.h"
#include "websocket/TextFrame.h"
#include "workers/WorkerPool.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>

namespace herald {

namespace {
const QString ClusterSource = QStringLiteral("backplane");
}

Publisher::Publisher(WorkerPool *workers, Broker *broker, Metrics *metrics, Logger *logger, QObject *parent)
    : QObject(parent)
    , m_workers(workers)
    , m_broker(broker)
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
    if (audience.kind == Audience::Kind::Channels) {
        // A copy per channel, each naming its channel; the cluster tells them apart by a per-channel entry id.
        for (const QString &channel : audience.names) {
            const Audience subscribers = Audience::of(Audience::Kind::Channels, {channel});
            receipt.encoded = notification.encode(receipt.id, receipt.timestamp, channel);
            receipt.recipients += deliver(receipt.encoded, subscribers, source);
            receipt.cluster = m_broker->publish(receipt.id + QLatin1Char('/') + channel, subscribers, receipt.encoded);
        }
    } else {
        receipt.encoded = notification.encode(receipt.id, receipt.timestamp);
        receipt.recipients = deliver(receipt.encoded, audience, source);
        // Users and connections may be on any instance, so every kind of audience travels.
        receipt.cluster = m_broker->publish(receipt.id, audience, receipt.encoded);
    }
    logDelivery(receipt.id, notification.type, source, audience, receipt.recipients);
    return receipt;
}

int Publisher::publishLocally(const QByteArray &encoded, const QString &source)
{
    return deliver(encoded, Audience::everyone(), source);
}

int Publisher::deliver(const QByteArray &encoded, const Audience &audience, const QString &source)
{
    m_metrics->notificationBroadcast(source);
    // Framed once here; every recipient in every worker is handed the same bytes.
    return m_workers->deliver(TextFrame::fromUtf8(encoded), audience);
}

void Publisher::deliverFromCluster(const Audience &audience, const QByteArray &encoded)
{
    const QJsonObject wire = QJsonDocument::fromJson(encoded).object();
    const int recipients = deliver(encoded, audience, ClusterSource);
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
