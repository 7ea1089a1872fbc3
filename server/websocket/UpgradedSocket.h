#pragma once

#include "ClientStream.h"

#include <QByteArray>
#include <QString>
#include <memory>

class QTcpSocket;
class QWebSocket;

namespace herald {

// A client's connection once Qt has completed its WebSocket handshake, reduced to what serving it needs: the
// stream to the client, the bytes Qt had already read past the handshake, and who the peer is. Qt's QWebSocket
// and the QTcpSocket under it reserve about 48 KiB of buffers per client; on plain TCP the stream is the bare
// descriptor and needs none while the client is idle. TLS keeps Qt's socket, which holds the session.
struct UpgradedSocket {
    std::unique_ptr<ClientStream> stream; // empty: the client was gone before it could be taken
    QByteArray pendingInput;
    QString peer;     // "address:port" (the client's address, the port of the connection), for logs and the console
    QString identity; // who the client's token says it is; empty without client tokens

    bool isValid() const { return stream != nullptr; }
    // The address part of a peer ("address:port"), which per-address limits count.
    static QString addressOf(const QString &peer) { return peer.left(peer.lastIndexOf(QLatin1Char(':'))); }

    // Takes the connection over from Qt and deletes the QWebSocket. Call it from a fresh turn of the event
    // loop, never from inside the socket's own signals.
    // clientAddress: who the client is (behind a trusted proxy, not the peer).
    static UpgradedSocket takeOver(QWebSocket *webSocket, QTcpSocket *transport, const QString &clientAddress);
    // Closes the connection of one nobody adopted.
    static void discard(UpgradedSocket &socket) { socket.stream.reset(); }
};

} // namespace herald
