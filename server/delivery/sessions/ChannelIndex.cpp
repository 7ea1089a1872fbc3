#include "ChannelIndex.h"

#include "SessionRegistry.h"

namespace herald {

ChannelIndex::ChannelIndex(SessionRegistry *registry, int maxChannelsPerClient, QObject *parent)
    : QObject(parent)
    , m_maxChannelsPerClient(maxChannelsPerClient)
{
    connect(registry, &SessionRegistry::sessionRemoved, this, &ChannelIndex::forget);
}

ChannelIndex::Outcome ChannelIndex::subscribe(ClientSession *session, const QString &channel)
{
    QSet<QString> &channels = m_channelsOf[session];
    if (channels.contains(channel))
        return Outcome::AlreadySubscribed;
    if (channels.size() >= m_maxChannelsPerClient) // at least 1, so the set is not left empty here
        return Outcome::TooManyChannels;
    channels.insert(channel);
    m_subscribers[channel].insert(session);
    emit subscribed(session, channel);
    return Outcome::Done;
}

ChannelIndex::Outcome ChannelIndex::unsubscribe(ClientSession *session, const QString &channel)
{
    const auto channels = m_channelsOf.find(session);
    if (channels == m_channelsOf.end() || !channels->remove(channel))
        return Outcome::NotSubscribed;
    if (channels->isEmpty())
        m_channelsOf.erase(channels);
    const auto subscribers = m_subscribers.find(channel);
    subscribers->remove(session);
    if (subscribers->isEmpty())
        m_subscribers.erase(subscribers);
    emit unsubscribed(session, channel);
    return Outcome::Done;
}

const QSet<ClientSession *> &ChannelIndex::subscribers(const QString &channel) const
{
    static const QSet<ClientSession *> none;
    const auto found = m_subscribers.constFind(channel);
    return found == m_subscribers.cend() ? none : *found;
}

void ChannelIndex::forget(ClientSession *session)
{
    const QSet<QString> channels = m_channelsOf.take(session);
    if (!channels.isEmpty())
        for (const QString &channel : channels) {
            const auto subscribers = m_subscribers.find(channel);
            subscribers->remove(session);
            if (subscribers->isEmpty())
                m_subscribers.erase(subscribers);
        }
}

} // namespace herald
