#include "WebhookReceiver.h"

#include <QTcpSocket>
#include <memory>

namespace herald::test {

WebhookReceiver::WebhookReceiver(QList<int> statuses, QObject *parent)
    : QObject(parent)
    , m_statuses(std::move(statuses))
{
    m_server.listen(QHostAddress::LocalHost, 0);
    connect(&m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *socket = m_server.nextPendingConnection())
            serve(socket);
    });
}

void WebhookReceiver::serve(QTcpSocket *socket)
{
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    // The bytes read so far, for as long as the socket's handler lives.
    auto pending = std::make_shared<QByteArray>();
    connect(socket, &QTcpSocket::readyRead, socket, [this, socket, pending] {
        QByteArray &buffer = *pending;
        buffer += socket->readAll();
        const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
        if (headEnd < 0)
            return;
        Request request;
        const QList<QByteArray> lines = buffer.left(headEnd).split('\n');
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines[i].indexOf(':');
            if (colon > 0)
                request.headers.insert(lines[i].left(colon).trimmed().toLower(), lines[i].mid(colon + 1).trimmed());
        }
        const qsizetype length = request.headers.value("content-length").toLongLong();
        if (buffer.size() < headEnd + 4 + length)
            return;
        request.body = buffer.mid(headEnd + 4, length);
        buffer.clear();
        m_requests.append(request);
        const int status = m_statuses.isEmpty() ? 200 : m_statuses.takeFirst();
        socket->write("HTTP/1.1 " + QByteArray::number(status) +
                      " Status\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        socket->disconnectFromHost();
    });
}

} // namespace herald::test
