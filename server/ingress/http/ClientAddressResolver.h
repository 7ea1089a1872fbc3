#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QString>

namespace herald {

// Who a request comes from, for per-address limits, logs and the console. Behind a reverse proxy every peer is
// the proxy; when the peer is one of TRUSTED_PROXIES, the client is the nearest address in X-Forwarded-For that
// is not itself a trusted proxy. Anyone else's X-Forwarded-For is ignored, since any client can send one.
class ClientAddressResolver
{
public:
    using Subnet = QPair<QHostAddress, int>;

    explicit ClientAddressResolver(QList<Subnet> trustedProxies = {});

    QString resolve(const QHostAddress &peer, const QByteArray &forwardedFor) const;
    // The same, given peer already as text (peer.toString()), which a plain IPv4 peer that is no trusted proxy
    // returns as it is: a connection's address is written out once.
    QString resolve(const QHostAddress &peer, const QString &peerText, const QByteArray &forwardedFor) const;
    // Whether a peer is one of TRUSTED_PROXIES (its connections carry many clients).
    bool isTrusted(const QHostAddress &address) const;

private:
    QList<Subnet> m_trustedProxies;
};

} // namespace herald
