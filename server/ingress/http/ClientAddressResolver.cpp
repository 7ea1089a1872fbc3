#include "ClientAddressResolver.h"

#include <utility>

namespace herald {

namespace {

// A dual-stack listener reports IPv4 clients as ::ffff:a.b.c.d; limits and subnets mean the IPv4 address.
QHostAddress plain(const QHostAddress &address)
{
    bool isIpv4 = false;
    const quint32 ipv4 = address.toIPv4Address(&isIpv4);
    return isIpv4 ? QHostAddress(ipv4) : address;
}

} // namespace

ClientAddressResolver::ClientAddressResolver(QList<Subnet> trustedProxies)
    : m_trustedProxies(std::move(trustedProxies))
{}

QString ClientAddressResolver::resolve(const QHostAddress &peer, const QByteArray &forwardedFor) const
{
    QHostAddress client = plain(peer);
    if (!isTrusted(client))
        return client.toString();
    // Each proxy appends the address it received from: read from the nearest hop outwards, and stop at the first
    // one no trusted proxy vouches for. An entry that is not an address ends the walk at the last good hop.
    const QList<QByteArray> hops = forwardedFor.split(',');
    for (auto hop = hops.crbegin(); hop != hops.crend(); ++hop) {
        QHostAddress address;
        if (!address.setAddress(QString::fromLatin1(hop->trimmed())))
            break;
        client = plain(address);
        if (!isTrusted(client))
            break;
    }
    return client.toString();
}

QString ClientAddressResolver::resolve(const QHostAddress &peer, const QString &peerText,
                                       const QByteArray &forwardedFor) const
{
    if (peer.protocol() == QAbstractSocket::IPv4Protocol && !isTrusted(peer))
        return peerText; // what plain(peer).toString() would write
    return resolve(peer, forwardedFor);
}

bool ClientAddressResolver::isTrusted(const QHostAddress &address) const
{
    for (const Subnet &subnet : m_trustedProxies)
        if (address.isInSubnet(subnet))
            return true;
    return false;
}

} // namespace herald
