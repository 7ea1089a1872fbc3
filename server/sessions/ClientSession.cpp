#include "ClientSession.h"

#include "broadcast/TextFrame.h"

#include <QTcpSocket>
#include <QWebSocket>

#include <sys/socket.h>

namespace herald {

QString disconnectReasonName(DisconnectReason reason)
{
    switch (reason) {
    case DisconnectReason::ClientClosed:
        return QStringLiteral("client_closed");
    case DisconnectReason::PingTimeout:
        return QStringLiteral("ping_timeout");
    case DisconnectReason::ServerShutdown:
        return QStringLiteral("server_shutdown");
    case DisconnectReason::ServerFull:
        return QStringLiteral("server_full");
    }
    return {};
}

ClientSession::ClientSession(std::unique_ptr<QWebSocket> socket, QTcpSocket *transport, const QString &id,
                             QObject *parent)
    : QObject(parent)
    , m_socket(socket.release())
    , m_transport(transport)
    , m_id(id)
    , m_connectedAt(QDateTime::currentDateTimeUtc())
{
    m_socket->setParent(this);
    // Both read per client and per broadcast, so kept here rather than fetched from the sockets' private data
    // (at 10,000 clients, asking QWebSocket for its state was 8% of a broadcast).
    m_descriptor = int(m_transport->socketDescriptor());
    connect(m_socket, &QWebSocket::stateChanged, this,
            [this](QAbstractSocket::SocketState state) { m_connected = state == QAbstractSocket::ConnectedState; });
    m_sinceConnected.start();
    m_sinceLastActivity.start();

    connect(m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        ++m_traffic.messagesReceived;
        m_traffic.bytesReceived += quint64(text.size());
        m_sinceLastActivity.restart();
        emit textReceived(this, text);
    });
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &data) {
        ++m_traffic.messagesReceived;
        m_traffic.bytesReceived += quint64(data.size());
        m_sinceLastActivity.restart();
        emit binaryReceived(this);
    });
    connect(m_socket, &QWebSocket::pong, this, [this](quint64 elapsedMs, const QByteArray &) {
        m_lastRoundTripMs = qint64(elapsedMs);
        m_pingOutstanding = false;
        m_sinceLastActivity.restart();
    });
    // Queued, so that a session closed from inside one of its own signals is never deleted under its caller.
    connect(
        m_socket, &QWebSocket::disconnected, this, [this] { emit disconnected(this, m_reason); }, Qt::QueuedConnection);
}

ClientSession::~ClientSession() = default;

QString ClientSession::remoteAddress() const
{
    return QStringLiteral("%1:%2").arg(m_socket->peerAddress().toString()).arg(m_socket->peerPort());
}

void ClientSession::sendText(const QString &text)
{
    sendFrame(TextFrame::fromUtf8(text.toUtf8()));
}

void ClientSession::sendFrame(const TextFrame &frame)
{
    if (m_closing || !m_connected)
        return;
    qsizetype sent = 0;
    // With nothing of Qt's queued for this client, hand the bytes to the kernel directly, as a plain epoll server
    // does: no copy into QTcpSocket's buffer, no write notifier armed and disarmed. Whatever the kernel does not
    // take goes through QTcpSocket as usual, which keeps the order since Qt's queue was empty.
    if (m_transport->bytesToWrite() == 0) {
        const ssize_t written =
            ::send(m_descriptor, frame.wire.constData(), std::size_t(frame.wire.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
        sent = written > 0 ? qsizetype(written) : 0;
    }
    if (sent < frame.wire.size())
        m_transport->write(frame.wire.constData() + sent, frame.wire.size() - sent);
    ++m_traffic.messagesSent;
    m_traffic.bytesSent += quint64(frame.payloadSize);
}

void ClientSession::sendPing()
{
    m_pingOutstanding = true;
    m_sinceLastPing.start();
    m_socket->ping();
}

void ClientSession::close(quint16 code, const QString &reason, DisconnectReason why)
{
    if (m_closing)
        return;
    m_closing = true;
    m_reason = why;
    m_socket->close(QWebSocketProtocol::CloseCode(code), reason);
}

void ClientSession::abort(DisconnectReason why)
{
    if (!m_closing)
        m_reason = why;
    m_closing = true;
    m_socket->abort();
}

} // namespace herald
