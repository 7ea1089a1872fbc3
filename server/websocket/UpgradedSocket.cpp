#include "UpgradedSocket.h"

#include <QTcpSocket>
#include <QWebSocket>

#include <fcntl.h>
#include <unistd.h>

namespace herald {

UpgradedSocket UpgradedSocket::takeOver(QWebSocket *webSocket, QTcpSocket *transport)
{
    UpgradedSocket taken;
    taken.peer = QStringLiteral("%1:%2").arg(transport->peerAddress().toString()).arg(transport->peerPort());
    webSocket->deleteLater();
    transport->deleteLater();
    // The 101 answer may still sit in Qt's write buffer; it is a few hundred bytes on a fresh connection, so the
    // kernel takes it at once, and a connection where it does not is dropped rather than waited for.
    if (transport->state() == QAbstractSocket::ConnectedState)
        transport->flush();
    if (transport->state() != QAbstractSocket::ConnectedState || transport->bytesToWrite() > 0) {
        transport->abort();
        return taken;
    }
    taken.descriptor = ::fcntl(int(transport->socketDescriptor()), F_DUPFD_CLOEXEC, 0);
    if (taken.descriptor < 0) {
        transport->abort();
        return taken;
    }
    taken.pendingInput = transport->readAll();
    // Qt closes only its own descriptor (no shutdown()), so the connection lives on through the duplicate. The
    // QWebSocket sees its socket leave and will not send a close frame when it is deleted.
    transport->abort();
    return taken;
}

void UpgradedSocket::discard(UpgradedSocket &socket)
{
    if (socket.descriptor >= 0)
        ::close(socket.descriptor);
    socket.descriptor = -1;
}

} // namespace herald
