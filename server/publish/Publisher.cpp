#include "Publisher.h"

#include "Broker.h"
#include "broadcast/TextFrame.h"
#include "logging/Logger.h"
#include "metrics/Metrics.h"
#include "notification/NotificationRequest.h"
#include "protocol/Protocol.h"
#include "protocol/Timestamp.h"
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
    const QStringList &targetClientIds = notification.clientIds;
    PublishReceipt receipt;
    receipt.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    receipt.timestamp = isoTimestampUtc();
    if (!notification.channels.isEmpty()) {
        // A copy per channel, each naming its channel; the cluster tells them apart by a per-channel entry id.
        for (const QString &channel : notification.channels) {
            receipt.encoded = notification.encode(receipt.id, receipt.timestamp, channel);
            receipt.recipients += deliverToChannel(receipt.encoded, channel, source);
            receipt.cluster = m_broker->publish(receipt.id + QLatin1Char('/') + channel, receipt.encoded);
        }
        logDelivery(receipt.id, notification.type, source, true, receipt.recipients);
        return receipt;
    }
    receipt.encoded = notification.encode(receipt.id, receipt.timestamp);
    if (targetClientIds.isEmpty()) {
        receipt.recipients = publishLocally(receipt.encoded, source);
        // Targets name this instance's clients, so only notifications to everyone travel to the other instances.
        receipt.cluster = m_broker->publish(receipt.id, receipt.encoded);
    } else {
        m_metrics->notificationBroadcast(source);
        receipt.recipients = m_workers->deliverTo(TextFrame::fromUtf8(receipt.encoded), targetClientIds);
    }
    logDelivery(receipt.id, notification.type, source, !targetClientIds.isEmpty(), receipt.recipients);
    return receipt;
}

int Publisher::publishLocally(const QByteArray &encoded, const QString &source)
{
    m_metrics->notificationBroadcast(source);
    // Framed once here; every client of every worker is handed the same bytes.
    return m_workers->deliverToAll(TextFrame::fromUtf8(encoded));
}

int Publisher::deliverToChannel(const QByteArray &encoded, const QString &channel, const QString &source)
{
    m_metrics->notificationBroadcast(source);
    return m_workers->deliverToChannel(TextFrame::fromUtf8(encoded), channel);
}

void Publisher::deliverFromCluster(const QByteArray &encoded)
{
    const QJsonObject wire = QJsonDocument::fromJson(encoded).object();
    const QString channel = wire.value(protocol::ChannelField).toString();
    const int recipients =
        channel.isEmpty() ? publishLocally(encoded, ClusterSource) : deliverToChannel(encoded, channel, ClusterSource);
    logDelivery(wire.value(QLatin1StringView("id")).toString(), wire.value(QLatin1StringView("type")).toString(),
                ClusterSource, !channel.isEmpty(), recipients);
}

void Publisher::logDelivery(const QString &id, const QString &type, const QString &source, bool targeted,
                            int recipients)
{
    m_logger->info(QStringLiteral("notification_broadcast"), QStringLiteral("Notification sent"),
                   {{QStringLiteral("notification_id"), id},
                    {QStringLiteral("type"), type},
                    {QStringLiteral("source"), source},
                    {QStringLiteral("targeted"), targeted},
                    {QStringLiteral("recipients"), recipients}});
    emit published(id, type, recipients, source);
}

} // namespace herald
