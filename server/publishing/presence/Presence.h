#pragma once

#include "sessions/ClientPresence.h"

#include <QElapsedTimer>
#include <QHash>
#include <QMap>
#include <QObject>
#include <QString>

class QTimer;

namespace herald {

class Broker;
class WorkerPool;

// Who is connected, on this instance and (through the broker) on the others: the channels with their subscriber
// counts, a channel's subscribers, a user's connections, every client of the cluster. This instance's part is
// the pool's directory, which the workers keep up to date as things happen; the others' part is their newest snapshot,
// at most a few seconds old (see RedisPresence). Once a second, if its clients changed, this instance hands its own
// snapshot to the broker.
class Presence : public QObject
{
    Q_OBJECT
public:
    Presence(WorkerPool *workers, Broker *broker, QObject *parent = nullptr);

    // How this instance is named to the others and in the answers ("host:port"); set once it listens.
    void setInstanceName(const QString &name) { m_instanceName = name; }
    const QString &instanceName() const { return m_instanceName; }
    void start();
    void stop();

    struct Instance {
        QString name;
        int clients = 0;
        bool local = false;
    };
    // This instance first, then the others by name.
    QList<Instance> instances() const;
    // Every client of the cluster: this instance's first.
    ClientPresenceList clients() const;
    // The other instances' clients only, as their newest snapshots have them.
    ClientPresenceList remoteClients() const;
    // Channels with at least one subscriber in the cluster, by name, with how many.
    QMap<QString, int> channelCounts() const;
    ClientPresenceList subscribersOf(const QString &channel) const;
    ClientPresenceList connectionsOf(const QString &user) const;
    // Subscriptions on this instance, for /metrics: (channels with a subscriber, subscriptions).
    QPair<int, int> localSubscriptionTotals() const;

    // The form a snapshot travels in, both ways.
    static QByteArray encode(const QString &instanceName, const ClientPresenceList &clients);
    static ClientPresenceList decode(const QByteArray &snapshot, QString *instanceName);

    static constexpr int ShareIntervalMs = 1000;

signals:
    // The cluster's clients changed (another instance's snapshot arrived or an instance left).
    void clusterChanged();

private:
    ClientPresenceList localClients() const;
    void shareIfChanged();
    void received(const QString &instance, const QByteArray &snapshot);
    void left(const QString &instance);

    WorkerPool *m_workers;
    Broker *m_broker;
    QString m_instanceName;
    QTimer *m_shareTimer;
    quint64 m_sharedChanges = ~quint64(0);
    struct Remote {
        QString name;
        ClientPresenceList clients;
    };
    QHash<QString, Remote> m_remote; // by the broker's instance id
};

} // namespace herald
