#include "Broadcaster.h"

#include "TextFrame.h"
#include "logging/Logger.h"
#include "metrics/Metrics.h"
#include "notification/NotificationRequest.h"
#include "protocol/Timestamp.h"
#include "workers/WorkerPool.h"

#include <QUuid>

namespace herald {

Broadcaster::Broadcaster(WorkerPool *workers, Metrics *metrics, Logger *logger, QObject *parent)
    : QObject(parent)
    , m_workers(workers)
    , m_metrics(metrics)
    , m_logger(logger)
{}

BroadcastReceipt Broadcaster::broadcast(const NotificationRequest &notification, const QString &source,
                                        const QStringList &targetClientIds)
{
    BroadcastReceipt receipt;
    receipt.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    receipt.timestamp = isoTimestampUtc();
    receipt.encoded = notification.encode(receipt.id, receipt.timestamp);
    if (targetClientIds.isEmpty()) {
        receipt.recipients = sendToAll(receipt.encoded, source);
    } else {
        m_metrics->notificationBroadcast(source);
        receipt.recipients = m_workers->deliverTo(TextFrame::fromUtf8(receipt.encoded), targetClientIds);
    }
    m_logger->info(QStringLiteral("notification_broadcast"), QStringLiteral("Notification sent"),
                   {{QStringLiteral("notification_id"), receipt.id},
                    {QStringLiteral("type"), notification.type},
                    {QStringLiteral("source"), source},
                    {QStringLiteral("targeted"), !targetClientIds.isEmpty()},
                    {QStringLiteral("recipients"), receipt.recipients}});
    emit broadcastSent(receipt.id, notification.type, receipt.recipients, source);
    return receipt;
}

int Broadcaster::sendToAll(const QByteArray &encoded, const QString &source)
{
    m_metrics->notificationBroadcast(source);
    // Framed once here; every client of every worker is handed the same bytes.
    return m_workers->deliverToAll(TextFrame::fromUtf8(encoded));
}

} // namespace herald
