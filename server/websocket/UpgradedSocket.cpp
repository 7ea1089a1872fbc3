#include "UpgradedSocket.h"

#include "TcpClientStream.h"
#include "TlsClientStream.h"

#include <QSslSocket>
#include <QWebSocket>

#include <fcntl.h>

namespace herald {

namespace {

// Plain TCP: duplicates the descriptor, collects unread input, then lets Qt close its own copy, which does not
// end the connection (no shutdown()). The QWebSocket sees its socket leave and sends no close frame.
std::unique_ptr<ClientStream> takeDescriptor(QTcpSocket *transport, QByteArray *pendingInput)
{
    transport->deleteLater();
    const int descriptor = ::fcntl(int(transport->socketDescriptor()), F_DUPFD_CLOEXEC, 0);
    if (descriptor >= 0)
        *pendingInput = transport->readAll();
    transport->abort();
    if (descriptor < 0)
        return {};
    return std::make_unique<TcpClientStream>(descriptor);
}

// TLS: the session lives in Qt's socket, so the socket itself is taken. The QWebSocket is told its socket has
// left (the signal it follows the socket's state by), so that deleting it writes no close frame; it is deleted
// now, because it cuts every connection of the socket's signals when it goes, and no longer owns the socket.
std::unique_ptr<ClientStream> takeTlsSocket(QWebSocket *webSocket, QSslSocket *transport, QByteArray *pendingInput)
{
    emit transport->stateChanged(QAbstractSocket::UnconnectedState);
    transport->setParent(nullptr);
    delete webSocket;
    *pendingInput = transport->readAll();
    return std::make_unique<TlsClientStream>(transport);
}

} // namespace

UpgradedSocket UpgradedSocket::takeOver(QWebSocket *webSocket, QTcpSocket *transport, const QString &clientAddress)
{
    UpgradedSocket taken;
    taken.peer = QStringLiteral("%1:%2").arg(clientAddress).arg(transport->peerPort());
    // The 101 answer may still sit in Qt's write buffer; it is a few hundred bytes on a fresh connection, so the
    // kernel takes it at once, and a connection where it does not is dropped rather than waited for.
    if (transport->state() == QAbstractSocket::ConnectedState)
        transport->flush();
    auto *tls = qobject_cast<QSslSocket *>(transport);
    if (transport->state() != QAbstractSocket::ConnectedState || (!tls && transport->bytesToWrite() > 0)) {
        transport->abort();
        transport->deleteLater();
        webSocket->deleteLater();
        return taken;
    }
    if (tls) {
        taken.stream = takeTlsSocket(webSocket, tls, &taken.pendingInput);
        return taken;
    }
    webSocket->deleteLater();
    taken.stream = takeDescriptor(transport, &taken.pendingInput);
    return taken;
}

} // namespace herald
