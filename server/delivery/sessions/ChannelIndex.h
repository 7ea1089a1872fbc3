#pragma once

#include <QHash>
#include <QObject>
#include <QSet>
#include <QString>
#include <QStringList>

namespace herald {

class ClientSession;
class SessionRegistry;

// One worker's channel subscriptions, both ways: channel -> its sessions (so a channel publish costs its
// subscribers, not every client) and session -> its channels (for the per-client limit and the clean-up when
// the session goes). Lives and is used in the worker's thread only.
class ChannelIndex : public QObject
{
    Q_OBJECT
public:
    enum class Outcome { Done, AlreadySubscribed, NotSubscribed, TooManyChannels };

    ChannelIndex(SessionRegistry *registry, int maxChannelsPerClient, QObject *parent = nullptr);

    Outcome subscribe(ClientSession *session, const QString &channel);
    Outcome unsubscribe(ClientSession *session, const QString &channel);
    const QSet<ClientSession *> &subscribers(const QString &channel) const;
    QStringList channelsOf(ClientSession *session) const { return m_channelsOf.value(session).values(); }
    int maxChannelsPerClient() const { return m_maxChannelsPerClient; }

signals:
    // A subscription made or ended by request (not a departing session's: its going says that).
    void subscribed(herald::ClientSession *session, const QString &channel);
    void unsubscribed(herald::ClientSession *session, const QString &channel);

private:
    void forget(ClientSession *session);

    int m_maxChannelsPerClient;
    QHash<QString, QSet<ClientSession *>> m_subscribers;
    QHash<ClientSession *, QSet<QString>> m_channelsOf;
};

} // namespace herald
