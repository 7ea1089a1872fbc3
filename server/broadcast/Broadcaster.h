#pragma once

#include <QObject>
#include <QString>

namespace herald {

class WorkerPool;
class Metrics;
class Logger;
class NotificationRequest;

struct BroadcastReceipt {
    QString id;
    QString timestamp;
    int recipients = 0; // on this instance
    QByteArray encoded; // the wire form every recipient got
    QString backplane;  // with REDIS_URL: published, queued or dropped; empty otherwise
};

// The fan-out: a message is encoded once, counted once, then handed to every worker, which sends it to each
// of its open sessions.
class Broadcaster : public QObject
{
    Q_OBJECT
public:
    Broadcaster(WorkerPool *workers, Metrics *metrics, Logger *logger, QObject *parent = nullptr);

    // source names the origin in metrics and logs: "api", "periodic", "console". An empty target list means
    // every client; otherwise only the listed ones that are still connected.
    BroadcastReceipt broadcast(const NotificationRequest &notification, const QString &source,
                               const QStringList &targetClientIds = {});
    // For messages already encoded by their producer (periodic, shutdown notices).
    int sendToAll(const QByteArray &encoded, const QString &source);

signals:
    void broadcastSent(const QString &id, const QString &type, int recipients, const QString &source);

private:
    WorkerPool *m_workers;
    Metrics *m_metrics;
    Logger *m_logger;
};

} // namespace herald
