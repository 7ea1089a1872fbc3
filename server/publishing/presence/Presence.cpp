#include "Presence.h"

#include "publish/Broker.h"
#include "workers/ClientDirectory.h"
#include "workers/WorkerPool.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimeZone>
#include <QTimer>
#include <algorithm>

namespace herald {

Presence::Presence(WorkerPool *workers, Broker *broker, QObject *parent)
    : QObject(parent)
    , m_workers(workers)
    , m_broker(broker)
    , m_shareTimer(new QTimer(this))
{
    m_shareTimer->setInterval(ShareIntervalMs);
    connect(m_shareTimer, &QTimer::timeout, this, &Presence::shareIfChanged);
    connect(broker, &Broker::presenceReceived, this, &Presence::received);
    connect(broker, &Broker::instanceLeft, this, &Presence::left);
}

void Presence::start()
{
    // Without a cluster nobody would read the snapshot, which walks every client (at 10,000 clients about 2 MB
    // of JSON a second, and its peak in the server's memory).
    if (!m_broker->sharesPresence())
        return;
    m_shareTimer->start();
    shareIfChanged();
}

void Presence::stop()
{
    m_shareTimer->stop();
}

ClientPresenceList Presence::localClients() const
{
    return m_workers->directory()->clients(m_instanceName);
}

void Presence::shareIfChanged()
{
    const quint64 changes = m_workers->directory()->changes();
    if (changes == m_sharedChanges)
        return;
    m_sharedChanges = changes;
    m_broker->sharePresence(encode(m_instanceName, localClients()));
}

QList<Presence::Instance> Presence::instances() const
{
    QList<Instance> instances{{m_instanceName, m_workers->clientCount(), true}};
    QList<Instance> others;
    for (const Remote &remote : m_remote)
        others.append({remote.name, int(remote.clients.size()), false});
    std::sort(others.begin(), others.end(), [](const Instance &a, const Instance &b) { return a.name < b.name; });
    return instances + others;
}

ClientPresenceList Presence::clients() const
{
    return localClients() + remoteClients();
}

ClientPresenceList Presence::remoteClients() const
{
    ClientPresenceList clients;
    for (const Remote &remote : m_remote)
        clients.append(remote.clients);
    return clients;
}

QMap<QString, int> Presence::channelCounts() const
{
    QMap<QString, int> counts;
    const QHash<QString, int> own = m_workers->directory()->subscriberCounts();
    for (auto it = own.cbegin(); it != own.cend(); ++it)
        counts.insert(it.key(), it.value());
    for (const Remote &remote : m_remote)
        for (const ClientPresence &client : remote.clients)
            for (const QString &channel : client.channels)
                ++counts[channel];
    return counts;
}

ClientPresenceList Presence::subscribersOf(const QString &channel) const
{
    ClientPresenceList subscribers;
    for (const ClientPresence &client : clients())
        if (client.channels.contains(channel))
            subscribers.append(client);
    return subscribers;
}

ClientPresenceList Presence::connectionsOf(const QString &user) const
{
    ClientPresenceList connections;
    for (const ClientPresence &client : clients())
        if (client.user == user)
            connections.append(client);
    return connections;
}

QPair<int, int> Presence::localSubscriptionTotals() const
{
    const ClientDirectory *directory = m_workers->directory();
    return {directory->channelCount(), directory->subscriptionCount()};
}

void Presence::received(const QString &instance, const QByteArray &snapshot)
{
    Remote remote;
    remote.clients = decode(snapshot, &remote.name);
    if (remote.name.isEmpty())
        remote.name = instance;
    m_remote.insert(instance, remote);
    emit clusterChanged();
}

void Presence::left(const QString &instance)
{
    if (m_remote.remove(instance))
        emit clusterChanged();
}

// {"instance": name, "clients": [[id, user, remote, connected at (ms since the epoch), [channels]], ...]}: arrays,
// not objects, since at 10,000 clients the keys would be most of it.
QByteArray Presence::encode(const QString &instanceName, const ClientPresenceList &clients)
{
    QJsonArray rows;
    for (const ClientPresence &client : clients)
        rows.append(QJsonArray{client.clientId, client.user, client.remote, client.connectedAt.toMSecsSinceEpoch(),
                               QJsonArray::fromStringList(client.channels)});
    return QJsonDocument(QJsonObject{{QStringLiteral("instance"), instanceName}, {QStringLiteral("clients"), rows}})
        .toJson(QJsonDocument::Compact);
}

ClientPresenceList Presence::decode(const QByteArray &snapshot, QString *instanceName)
{
    const QJsonObject document = QJsonDocument::fromJson(snapshot).object();
    *instanceName = document.value(QStringLiteral("instance")).toString();
    ClientPresenceList clients;
    for (const QJsonValue &value : document.value(QStringLiteral("clients")).toArray()) {
        const QJsonArray row = value.toArray();
        QStringList channels;
        for (const QJsonValue &channel : row.at(4).toArray())
            channels.append(channel.toString());
        clients.append({row.at(0).toString(), row.at(1).toString(), *instanceName, row.at(2).toString(),
                        QDateTime::fromMSecsSinceEpoch(qint64(row.at(3).toDouble()), QTimeZone::utc()), channels});
    }
    return clients;
}

} // namespace herald
