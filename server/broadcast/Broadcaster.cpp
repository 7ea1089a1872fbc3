#include "Broadcaster.h"

#include "logging/Logger.h"
#include "metrics/Metrics.h"
#include "notification/NotificationRequest.h"
#include "protocol/Timestamp.h"
#include "sessions/SessionRegistry.h"

#include <QElapsedTimer>
#include <QUuid>

namespace herald {

Broadcaster::Broadcaster(SessionRegistry *registry, Metrics *metrics, Logger *logger, QObject *parent)
    : QObject(parent)
    , m_registry(registry)
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
    const QByteArray &encoded = receipt.encoded;
    if (targetClientIds.isEmpty()) {
        receipt.recipients = sendToAll(encoded, source);
    } else {
        QElapsedTimer fanOut;
        fanOut.start();
        receipt.recipients = sendTo(QString::fromUtf8(encoded), targetClientIds);
        m_metrics->notificationBroadcast(source, double(fanOut.nsecsElapsed()) / 1e9);
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
    QElapsedTimer fanOut;
    fanOut.start();
    // One UTF-16 copy shared (implicitly) by every send; QWebSocket frames it per client.
    const QString text = QString::fromUtf8(encoded);
    int recipients = 0;
    m_registry->forEach([&](ClientSession *session) {
        if (!session->isOpen())
            return;
        session->sendText(text);
        ++recipients;
    });
    m_metrics->notificationBroadcast(source, double(fanOut.nsecsElapsed()) / 1e9);
    return recipients;
}

int Broadcaster::sendTo(const QString &text, const QStringList &targetClientIds)
{
    int recipients = 0;
    for (const QString &id : targetClientIds) {
        ClientSession *session = m_registry->find(id);
        if (session && session->isOpen()) {
            session->sendText(text);
            ++recipients;
        }
    }
    return recipients;
}

} // namespace herald
