#include "UndeliveredWebhook.h"

#include "logging/Logger.h"
#include "metrics/Metrics.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>
#include <QUuid>

namespace herald {

UndeliveredWebhook::UndeliveredWebhook(const QUrl &url, const QByteArray &secret, Metrics *metrics, Logger *logger,
                                       QObject *parent)
    : QObject(parent)
    , m_url(url)
    , m_secret(secret)
    , m_metrics(metrics)
    , m_logger(logger)
    , m_network(new QNetworkAccessManager(this))
{}

QByteArray UndeliveredWebhook::signatureOf(const QByteArray &body, const QByteArray &secret)
{
    return "sha256=" + QMessageAuthenticationCode::hash(body, secret, QCryptographicHash::Sha256).toHex();
}

void UndeliveredWebhook::send(const QJsonObject &notification, const QStringList &users, int sent, int acknowledged)
{
    if (!isEnabled())
        return;
    Delivery delivery{QUuid::createUuid().toString(QUuid::WithoutBraces),
                      QJsonDocument(QJsonObject{{QStringLiteral("notification"), notification},
                                                {QStringLiteral("users"), QJsonArray::fromStringList(users)},
                                                {QStringLiteral("sent"), sent},
                                                {QStringLiteral("acknowledged"), acknowledged}})
                          .toJson(QJsonDocument::Compact),
                      0};
    if (m_waiting >= QueueLimit)
        return count(QStringLiteral("dropped"), delivery, QStringLiteral("%1 deliveries already wait").arg(QueueLimit));
    ++m_waiting;
    post(delivery);
}

void UndeliveredWebhook::post(const Delivery &delivery)
{
    QNetworkRequest request(m_url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setRawHeader("X-Herald-Delivery", delivery.id.toLatin1());
    request.setRawHeader("X-Herald-Signature", signatureOf(delivery.body, m_secret));
    request.setTransferTimeout(TimeoutMs);
    QNetworkReply *reply = m_network->post(request, delivery.body);
    Delivery next = delivery;
    ++next.attempts;
    connect(reply, &QNetworkReply::finished, this, [this, reply, next] { answered(reply, next); });
}

void UndeliveredWebhook::answered(QNetworkReply *reply, Delivery delivery)
{
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status >= 200 && status < 300) {
        --m_waiting;
        return count(QStringLiteral("delivered"), delivery, QStringLiteral("HTTP %1").arg(status));
    }
    const QString problem = status ? QStringLiteral("HTTP %1").arg(status) : reply->errorString();
    const bool worthRetrying = status == 0 || status >= 500 || status == 429;
    if (!worthRetrying) {
        --m_waiting;
        return count(QStringLiteral("rejected"), delivery, problem);
    }
    if (delivery.attempts >= MaxAttempts) {
        --m_waiting;
        return count(QStringLiteral("failed"), delivery, problem);
    }
    count(QStringLiteral("retried"), delivery, problem);
    QTimer::singleShot(FirstRetryMs << (delivery.attempts - 1), this, [this, delivery] { post(delivery); });
}

void UndeliveredWebhook::count(const QString &what, const Delivery &delivery, const QString &detail)
{
    m_metrics->webhookOutcome(what);
    const bool bad = what == u"failed" || what == u"dropped" || what == u"rejected";
    m_logger->log(bad ? LogLevel::Error : (what == u"retried" ? LogLevel::Warning : LogLevel::Info),
                  QStringLiteral("webhook_%1").arg(what),
                  QStringLiteral("Undelivered-notification webhook: %1 (%2)").arg(what, detail),
                  {{QStringLiteral("delivery_id"), delivery.id},
                   {QStringLiteral("attempt"), delivery.attempts},
                   {QStringLiteral("url"), m_url.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery)}});
    emit outcome(delivery.id, what);
}

} // namespace herald
