#pragma once

#include <QByteArray>
#include <QString>

class QTcpSocket;
class QWebSocket;

namespace herald {

// A client's TCP connection once Qt has completed its WebSocket handshake, reduced to what serving it needs:
// the descriptor, the bytes Qt had already read past the handshake, and who the peer is. Qt's QWebSocket and
// the QTcpSocket under it reserve about 48 KiB of buffers per client; a WebSocketConnection on the bare
// descriptor needs none while the client is idle.
struct UpgradedSocket {
    int descriptor = -1; // owned by whoever holds this; -1: the client was gone before it could be taken
    QByteArray pendingInput;
    QString peer;     // "address:port", for logs and the console
    QString identity; // who the client's token says it is; empty without client tokens

    bool isValid() const { return descriptor >= 0; }
    // The address part of a peer ("address:port"), which per-address limits count.
    static QString addressOf(const QString &peer) { return peer.left(peer.lastIndexOf(QLatin1Char(':'))); }

    // Takes the connection over from Qt: duplicates the descriptor, collects unread input, then lets Qt close
    // its own copy (which does not end the connection) and deletes both objects later. Call it from a fresh
    // turn of the event loop, never from inside the socket's own signals.
    static UpgradedSocket takeOver(QWebSocket *webSocket, QTcpSocket *transport);
    // Closes the descriptor of one nobody adopted.
    static void discard(UpgradedSocket &socket);
};

} // namespace herald
