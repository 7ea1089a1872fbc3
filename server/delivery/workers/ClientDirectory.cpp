#include "ClientDirectory.h"

#include "notification/Audience.h"

#include <QCoreApplication>
#include <QEvent>
#include <QThread>

namespace herald {

ClientDirectory::ClientDirectory(int workers, QObject *parent)
    : QObject(parent)
    , m_workers(workers)
{}

template<typename Apply> void ClientDirectory::report(Apply &&apply)
{
    // Direct in this thread (worker 0's news: without the queued call's allocation, ~1,000 instructions a
    // connection), a queued call from the others; either way in the order reported.
    if (QThread::currentThread() == thread())
        apply();
    else
        QMetaObject::invokeMethod(this, std::forward<Apply>(apply), Qt::QueuedConnection);
}

void ClientDirectory::clientArrived(int worker, const QString &clientId, const QString &user, const QString &remote,
                                    const QDateTime &connectedAt)
{
    report([this, worker, clientId, user, remote, connectedAt] { add(worker, clientId, user, remote, connectedAt); });
}

void ClientDirectory::clientLeft(const QString &clientId, const QString &reason)
{
    report([this, clientId, reason] { remove(clientId, reason); });
}

void ClientDirectory::channelJoined(const QString &clientId, const QString &channel)
{
    report([this, clientId, channel] { join(clientId, channel); });
}

void ClientDirectory::channelLeft(const QString &clientId, const QString &channel)
{
    report([this, clientId, channel] { leave(clientId, channel); });
}

void ClientDirectory::settle() const
{
    QCoreApplication::sendPostedEvents(const_cast<ClientDirectory *>(this), QEvent::MetaCall);
}

void ClientDirectory::enter(QHash<QString, Members> &groups, const QString &group, const QString &clientId, int worker)
{
    Members &members = groups[group];
    if (members.perWorker.isEmpty())
        members.perWorker.resize(m_workers);
    members.ids.insert(clientId);
    ++members.perWorker[worker];
}

void ClientDirectory::exit(QHash<QString, Members> &groups, const QString &group, const QString &clientId, int worker)
{
    const auto members = groups.find(group);
    if (members == groups.end() || !members->ids.remove(clientId))
        return;
    --members->perWorker[worker];
    if (members->ids.isEmpty())
        groups.erase(members);
}

void ClientDirectory::add(int worker, const QString &clientId, const QString &user, const QString &remote,
                          const QDateTime &connectedAt)
{
    m_clients.insert(clientId, {worker, user, remote, connectedAt, {}});
    if (!user.isEmpty())
        enter(m_connections, user, clientId, worker);
    ++m_changes;
    emit clientAdded(clientId);
}

void ClientDirectory::remove(const QString &clientId, const QString &reason)
{
    const auto found = m_clients.constFind(clientId);
    if (found == m_clients.cend())
        return;
    const Entry entry = *found;
    m_clients.erase(found);
    for (const QString &channel : entry.channels)
        exit(m_subscribers, channel, clientId, entry.worker);
    if (!entry.user.isEmpty())
        exit(m_connections, entry.user, clientId, entry.worker);
    ++m_changes;
    emit clientRemoved(clientId, reason);
}

void ClientDirectory::join(const QString &clientId, const QString &channel)
{
    const auto found = m_clients.find(clientId);
    if (found == m_clients.end() || found->channels.contains(channel))
        return;
    found->channels.append(channel);
    enter(m_subscribers, channel, clientId, found->worker);
    ++m_changes;
}

void ClientDirectory::leave(const QString &clientId, const QString &channel)
{
    const auto found = m_clients.find(clientId);
    if (found == m_clients.end() || !found->channels.removeOne(channel))
        return;
    exit(m_subscribers, channel, clientId, found->worker);
    ++m_changes;
}

void ClientDirectory::count(const QString &clientId, QList<int> *perWorker) const
{
    const auto found = m_clients.constFind(clientId);
    if (found != m_clients.cend())
        ++(*perWorker)[found->worker];
}

QList<int> ClientDirectory::audiencePerWorker(const Audience &audience) const
{
    settle();
    QList<int> perWorker(m_workers, 0);
    switch (audience.kind) {
    case Audience::Kind::Everyone:
        for (const Entry &entry : m_clients)
            ++perWorker[entry.worker];
        break;
    case Audience::Kind::Channels:
        if (audience.names.size() == 1) {
            if (const auto members = m_subscribers.constFind(audience.names.first()); members != m_subscribers.cend())
                perWorker = members->perWorker;
        } else {
            // Once each, even if in several of the channels, as the workers send.
            QSet<QString> reached;
            for (const QString &channel : audience.names)
                if (const auto members = m_subscribers.constFind(channel); members != m_subscribers.cend())
                    reached.unite(members->ids);
            for (const QString &id : std::as_const(reached))
                count(id, &perWorker);
        }
        break;
    case Audience::Kind::Users:
        // A connection has one user, so distinct users' counts add up.
        for (const QString &user : QSet<QString>(audience.names.cbegin(), audience.names.cend()))
            if (const auto members = m_connections.constFind(user); members != m_connections.cend())
                for (int worker = 0; worker < m_workers; ++worker)
                    perWorker[worker] += members->perWorker[worker];
        break;
    case Audience::Kind::Clients:
        for (const QString &id : QSet<QString>(audience.names.cbegin(), audience.names.cend()))
            count(id, &perWorker);
        break;
    }
    return perWorker;
}

int ClientDirectory::audienceSize(const Audience &audience) const
{
    int size = 0;
    for (int share : audiencePerWorker(audience))
        size += share;
    return size;
}

ClientPresenceList ClientDirectory::clients(const QString &instance) const
{
    settle();
    ClientPresenceList clients;
    clients.reserve(m_clients.size());
    for (auto it = m_clients.cbegin(); it != m_clients.cend(); ++it)
        clients.append({it.key(), it->user, instance, it->remote, it->connectedAt, it->channels});
    return clients;
}

QHash<QString, int> ClientDirectory::subscriberCounts() const
{
    settle();
    QHash<QString, int> counts;
    counts.reserve(m_subscribers.size());
    for (auto it = m_subscribers.cbegin(); it != m_subscribers.cend(); ++it)
        counts.insert(it.key(), int(it->ids.size()));
    return counts;
}

int ClientDirectory::subscriptionCount() const
{
    settle();
    int total = 0;
    for (const Members &subscribers : m_subscribers)
        total += int(subscribers.ids.size());
    return total;
}

int ClientDirectory::channelCount() const
{
    settle();
    return int(m_subscribers.size());
}

quint64 ClientDirectory::changes() const
{
    settle();
    return m_changes;
}

} // namespace herald
