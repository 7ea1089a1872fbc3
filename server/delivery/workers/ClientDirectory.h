#pragma once

#include "sessions/ClientPresence.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QString>

namespace herald {

struct Audience;

// Who this instance serves and where, as the pool's thread sees it: every client with its worker, user, address,
// time of arrival and channels. The workers tell it of each arrival, departure and (un)subscription as it
// happens, so that counting an audience, listing presence and choosing which workers a targeted send concerns
// never waits for a worker thread (issue 18).
//
// The reporting functions may be called from any thread: from another thread they queue the news for this one.
// The rest is for this object's own thread. A query first takes in whatever news is already queued (settle()):
// a worker reports a subscription before it answers the client, so anything that follows causally from that
// answer, such as a POST /notify to the channel, sees it.
class ClientDirectory : public QObject
{
    Q_OBJECT
public:
    explicit ClientDirectory(int workers, QObject *parent = nullptr);

    // From any thread.
    void clientArrived(int worker, const QString &clientId, const QString &user, const QString &remote,
                       const QDateTime &connectedAt);
    void clientLeft(const QString &clientId, const QString &reason);
    void channelJoined(const QString &clientId, const QString &channel);
    void channelLeft(const QString &clientId, const QString &channel);

    // This object's thread only.
    // How many of audience's clients each worker serves (index: the worker's), and in all.
    QList<int> audiencePerWorker(const Audience &audience) const;
    int audienceSize(const Audience &audience) const;
    ClientPresenceList clients(const QString &instance) const;
    QHash<QString, int> subscriberCounts() const;
    int subscriptionCount() const;
    int channelCount() const;
    // Goes up with every arrival, departure and (un)subscription taken in.
    quint64 changes() const;

signals:
    // In this object's thread, once the directory has taken the news in.
    void clientAdded(const QString &clientId);
    void clientRemoved(const QString &clientId, const QString &reason);

private:
    struct Entry {
        int worker = 0;
        QString user;
        QString remote;
        QDateTime connectedAt;
        QStringList channels;
    };

    // Delivers the news queued for this object, so a query answers with everything reported before it was asked.
    void settle() const;
    // Runs apply in this object's thread: at once if called there, otherwise queued.
    template<typename Apply> void report(Apply &&apply);
    void add(int worker, const QString &clientId, const QString &user, const QString &remote,
             const QDateTime &connectedAt);
    void remove(const QString &clientId, const QString &reason);
    void join(const QString &clientId, const QString &channel);
    void leave(const QString &clientId, const QString &channel);
    void count(const QString &clientId, QList<int> *perWorker) const;

    int m_workers;
    quint64 m_changes = 0;
    // A channel's subscribers or a user's connections: who, and how many on each worker, so that a send to one
    // channel or to users is counted without a look at each member.
    struct Members {
        QSet<QString> ids;
        QList<int> perWorker;
    };
    void enter(QHash<QString, Members> &groups, const QString &group, const QString &clientId, int worker);
    void exit(QHash<QString, Members> &groups, const QString &group, const QString &clientId, int worker);

    QHash<QString, Entry> m_clients;
    QHash<QString, Members> m_subscribers; // by channel
    QHash<QString, Members> m_connections; // by user
};

} // namespace herald
