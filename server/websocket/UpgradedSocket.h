#pragma once

#include "ClientStream.h"

#include <QByteArray>
#include <QString>
#include <memory>

namespace herald {

// A client's connection once the front door has completed its WebSocket handshake, reduced to what serving it
// needs: the stream to the client, the bytes read past the handshake, and who the peer is. On plain TCP the
// stream is the bare descriptor and holds no buffer while the client is idle; TLS keeps Qt's socket, which holds
// the session.
struct UpgradedSocket {
    std::unique_ptr<ClientStream> stream; // empty: the client was gone before it could be taken
    QByteArray pendingInput;              // what the front door read past the upgrade request
    QString peer;     // "address:port" (the client's address, the port of the connection), for logs and the console
    QString identity; // who the client's token says it is; empty without client tokens

    bool isValid() const { return stream != nullptr; }
    // The address part of a peer ("address:port"), which per-address limits count.
    static QString addressOf(const QString &peer) { return peer.left(peer.lastIndexOf(QLatin1Char(':'))); }

    // Closes the connection of one nobody adopted.
    static void discard(UpgradedSocket &socket) { socket.stream.reset(); }
};

} // namespace herald
