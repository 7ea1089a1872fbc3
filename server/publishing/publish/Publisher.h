#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

namespace herald {

class Broker;
class History;
class ReceiptBook;
struct Audience;
struct StreamKey;
class EncodedMessage;
class WorkerPool;
class Metrics;
class Logger;
class NotificationRequest;

struct PublishReceipt {
    QString id;
    QString timestamp;
    int recipients = 0; // on this instance
    QString cluster;    // what the broker did with it: empty without a cluster, else published, queued or dropped
};

// The one path every notification takes, whatever its source (the HTTP API, the console and the admin channel,
// the periodic timer, shutdown notices, other instances through the broker): encoded and framed once, delivered
// to this instance's clients through the workers, counted, logged and signalled in the same way, and, when meant
// for everyone, handed to the broker for the other instances.
class Publisher : public QObject
{
    Q_OBJECT
public:
    // history: where the notifications of kept streams are kept as they are published; receipts: where those
    // that ask to be acknowledged are counted.
    Publisher(WorkerPool *workers, Broker *broker, History *history, ReceiptBook *receipts, Metrics *metrics,
              Logger *logger, QObject *parent = nullptr);

    // source names the origin in metrics and logs: "api", "console". It goes to notification.audience in the
    // whole cluster: everyone, the subscribers of each channel (each copy carrying its channel), every connection
    // of the users, or the connections by id, wherever they are. The receipt counts this instance's recipients.
    // A stream that keeps history (everyone's, each channel's, each user's: then each user gets a copy) keeps it
    // first, and the copy carries its position.
    PublishReceipt publish(const NotificationRequest &notification, const QString &source);
    // A message already encoded by its producer, for this instance's clients only: each instance sends its own
    // periodic notifications and shutdown notices. Returns the clients it went to.
    int publishLocally(const QByteArray &encoded, const QString &source);

signals:
    void published(const QString &id, const QString &type, int recipients, const QString &source);

private:
    // What another instance published: delivered, counted, logged and signalled as this instance's own are.
    void deliverFromCluster(const herald::Audience &audience, const QByteArray &encoded, quint64 offset);
    // Encodes notification for audience (one name, or everyone, or connections), kept first if its stream keeps it;
    // then delivers it here and hands it to the broker. Returns this instance's recipients.
    // Counted in its receipt (when it asked for one) as it is delivered here.
    int publishCopy(const NotificationRequest &notification, PublishReceipt &receipt, const Audience &audience,
                    const QString &entryId, const QString &channel, const QString &source);
    // To audience on this instance, framed once; counted as one notification from source. Returns how many.
    int deliver(const EncodedMessage &frame, const Audience &audience, quint64 offset, const QString &source);
    void logDelivery(const QString &id, const QString &type, const QString &source, const Audience &audience,
                     int recipients);

    WorkerPool *m_workers;
    Broker *m_broker;
    History *m_history;
    ReceiptBook *m_receipts;
    Metrics *m_metrics;
    Logger *m_logger;
};

} // namespace herald
