#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QObject>
#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;
class QTimer;

namespace herald {

class Logger;
class Metrics;

// The fallback for users a notification did not reach: POSTs {"notification", "users", "sent", "acknowledged"}
// to UNDELIVERED_WEBHOOK_URL, so the application can send a push or an email instead. The body is signed with
// HMAC-SHA256 under WEBHOOK_SECRET (X-Herald-Signature: sha256=<hex>); each delivery has an id
// (X-Herald-Delivery) the receiver can use to ignore a repeat. A connection failure, a 5xx or a 429 is retried
// with a back-off (1 s doubling, MaxAttempts in all); any other answer ends it. At most QueueLimit wait; every
// outcome is counted and logged.
class UndeliveredWebhook : public QObject
{
    Q_OBJECT
public:
    UndeliveredWebhook(const QUrl &url, const QByteArray &secret, Metrics *metrics, Logger *logger,
                       QObject *parent = nullptr);

    static constexpr int QueueLimit = 1000;
    static constexpr int MaxAttempts = 5;
    static constexpr int FirstRetryMs = 1000;
    static constexpr int TimeoutMs = 10000;

    bool isEnabled() const { return m_url.isValid() && !m_url.isEmpty(); }
    void send(const QJsonObject &notification, const QStringList &users, int sent, int acknowledged);
    // The signature of body under secret, as the header carries it; for receivers to compare.
    static QByteArray signatureOf(const QByteArray &body, const QByteArray &secret);

signals:
    // delivered, retried, failed (gave up after MaxAttempts), rejected (another answer), dropped (queue full).
    void outcome(const QString &deliveryId, const QString &outcome);

private:
    struct Delivery {
        QString id;
        QByteArray body;
        int attempts = 0;
    };
    void post(const Delivery &delivery);
    void answered(QNetworkReply *reply, Delivery delivery);
    void count(const QString &what, const Delivery &delivery, const QString &detail);

    QUrl m_url;
    QByteArray m_secret;
    Metrics *m_metrics;
    Logger *m_logger;
    QNetworkAccessManager *m_network;
    int m_waiting = 0; // posted or waiting for a retry
};

} // namespace herald
