#pragma once

#include <QHash>
#include <QObject>
#include <QSet>
#include <QString>

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
    int channelCount() const { return int(m_subscribers.size()); }
    int maxChannelsPerClient() const { return m_maxChannelsPerClient; }

private:
    void forget(ClientSession *session);

    int m_maxChannelsPerClient;
    QHash<QString, QSet<ClientSession *>> m_subscribers;
    QHash<ClientSession *, QSet<QString>> m_channelsOf;
};

} // namespace herald
