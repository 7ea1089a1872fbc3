#pragma once

#include "ClientStream.h"
#include "protocol/ChannelName.h"
#include "protocol/StreamPosition.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <memory>

namespace herald {

// Who admission found a client to be, decided once from its token and carried to its worker with the socket.
struct ClientGrant {
    QString identity;                      // the token's "sub"; empty without client tokens
    bool channelsRestricted = false;       // with client tokens: only the granted and the public channels
    QStringList channels;                  // the token's "channels" claim: names and prefix patterns ("orders.*")
    QStringList joinAtConnect;             // /ws?channels=a,b: checked at admission, subscribed before the welcome
    QList<NamedPosition> recoverAtConnect; // /ws?since=: positions in streams of this connection, to catch up from

    // Whether the client may join channel: always without client tokens, else if the token or publicChannels
    // (PUBLIC_CHANNELS) grant it.
    bool allows(const QString &channel, const QStringList &publicChannels) const
    {
        return !channelsRestricted || ChannelName::matchesAny(channels, channel) ||
               ChannelName::matchesAny(publicChannels, channel);
    }
};

// A client's connection once the front door has answered its WebSocket handshake (or its request for an event
// stream), reduced to what serving it needs: the stream to the client, the bytes read past the request, and who
// the peer is. On plain TCP the
// stream is the bare descriptor and holds no buffer while the client is idle; TLS keeps Qt's socket, which holds
// the session.
struct UpgradedSocket {
    enum class Transport { WebSocket, EventStream };

    std::unique_ptr<ClientStream> stream;       // empty: the client was gone before it could be taken
    Transport transport = Transport::WebSocket; // what was agreed on: a WebSocket upgrade, or an event stream
    bool compressed = false;                    // a WebSocket with permessage-deflate (RFC 7692) agreed
    QByteArray pendingInput;                    // what the front door read past the upgrade request
    QString peer;      // "address:port" (the client's address, the port of the connection), for logs and the console
    ClientGrant grant; // who the client is and which channels it may join

    bool isValid() const { return stream != nullptr; }
    // The address part of a peer ("address:port"), which per-address limits count.
    static QString addressOf(const QString &peer) { return peer.left(peer.lastIndexOf(QLatin1Char(':'))); }

    // Closes the connection of one nobody adopted.
    static void discard(UpgradedSocket &socket) { socket.stream.reset(); }
};

} // namespace herald
