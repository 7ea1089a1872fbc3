#pragma once

#include "notification/Audience.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QSet>
#include <QStringList>

class QTimer;

namespace herald {

class RedisReceipts;

// The receipts of notifications that asked to be acknowledged ("ack": true): sent to how many connections,
// acknowledged by how many, and for one sent to users, which users had no live connection and which acknowledged.
// Kept for RECEIPT_RETENTION. A user-targeted notification some of whose users have not acknowledged within
// ACK_TIMEOUT is handed on (unacknowledged()) for the application's fallback.
class ReceiptBook : public QObject
{
    Q_OBJECT
public:
    // shared: the cluster's counts with REDIS_URL (every instance adds its own), else nullptr.
    ReceiptBook(double ackTimeoutSeconds, qint64 retentionSeconds, RedisReceipts *shared = nullptr,
                QObject *parent = nullptr);

    // A notification that asked for acknowledgement, before it is delivered; notification: its wire form.
    void open(const QString &id, const QJsonObject &notification, const Audience &audience);
    // Delivered to connections here; user: the one user a per-user copy went to, else empty. Also for a
    // notification another instance opened (it reached this one through the backplane).
    void delivered(const QString &id, int connections, const QString &user);
    // One connection's acknowledgement (the first of each connection counts); unknown ids are ignored.
    void acknowledge(const QString &id, const QString &clientId, const QString &user);

    // For GET /notifications/{id}: the receipt, or an empty object for none (unknown, expired, or no "ack"). With
    // the cluster's counts, it asks Redis (a blocking call of at most RedisReceipts::TimeoutMs).
    QJsonObject describe(const QString &id) const;
    qsizetype size() const { return m_receipts.size(); }

    // How often, and for how long after it was opened, a receipt's cluster-wide counts are asked for again.
    static constexpr int RefreshMs = 1000;
    static constexpr qint64 RefreshForMs = 60000;

signals:
    // Counts changed (for a console's sent list).
    void changed(const QString &id, int sent, int acknowledged);
    // ACK_TIMEOUT passed and these users of a user-targeted notification have not acknowledged it.
    void unacknowledged(const QJsonObject &notification, const QStringList &users, int sent, int acknowledged);

private:
    struct Receipt {
        QJsonObject notification;
        Audience audience;
        QDateTime createdAt;
        qint64 createdMs = 0;
        int sent = 0;
        QSet<QString> acknowledgedBy; // client ids
        QSet<QString> usersReached;
        QSet<QString> usersAcknowledged;
        bool timedOut = false;
        int clusterSent = -1; // as the cluster last said, for changed()
        int clusterAcknowledged = -1;
    };
    void sweep();
    // With the cluster's counts: the receipts opened here that are young enough to change, asked again, so that a
    // console follows acknowledgements made on other instances too.
    void refreshFromCluster();
    void emitChanged(const QString &id, const Receipt &receipt);

    RedisReceipts *m_shared;
    qint64 m_ackTimeoutMs;
    qint64 m_retentionMs;
    QElapsedTimer m_clock;
    QHash<QString, Receipt> m_receipts;
    // With the cluster's counts: notifications another instance opened that this one delivered, and when; an
    // acknowledgement of any other id is not worth a trip to Redis.
    QHash<QString, qint64> m_deliveredHere;
    QTimer *m_sweep;
    QTimer *m_refresh;
};

} // namespace herald
