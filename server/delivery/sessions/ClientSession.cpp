#include "ClientSession.h"

#include "eventstream/EventStreamConnection.h"
#include "stream/EncodedMessage.h"
#include "websocket/WebSocketConnection.h"

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
    case DisconnectReason::ProtocolError:
        return QStringLiteral("protocol_error");
    case DisconnectReason::SlowConsumer:
        return QStringLiteral("slow_consumer");
    case DisconnectReason::RateLimited:
        return QStringLiteral("rate_limited");
    }
    return {};
}

ClientSession::ClientSession(UpgradedSocket socket, const ConnectionLimits &limits, Observer *observer, Cork *cork,
                             const QString &id, QObject *parent)
    : QObject(parent)
    , m_observer(observer)
    , m_grant(std::move(socket.grant))
    , m_connection(
          socket.transport == UpgradedSocket::Transport::EventStream
              ? static_cast<ClientConnection *>(new EventStreamConnection(std::move(socket), limits, this, cork, this))
              : new WebSocketConnection(std::move(socket), limits, this, cork, this))
    , m_id(id)
    , m_connectedAt(QDateTime::currentDateTimeUtc())
{
    m_sinceConnected.start();
    m_sinceLastActivity.start();
}

void ClientSession::textReceived(ClientConnection *, const QString &text)
{
    countTraffic(&TrafficCounters::messagesReceived, &TrafficCounters::bytesReceived, quint64(text.size()));
    m_sinceLastActivity.restart();
    m_observer->sessionText(this, text);
}

void ClientSession::binaryReceived(ClientConnection *, qsizetype bytes)
{
    countTraffic(&TrafficCounters::messagesReceived, &TrafficCounters::bytesReceived, quint64(bytes));
    m_sinceLastActivity.restart();
    m_observer->sessionBinary(this);
}

void ClientSession::pongReceived(ClientConnection *)
{
    if (m_pingOutstanding) {
        m_lastRoundTripMs = m_sinceLastPing.elapsed();
        noteChange();
    }
    m_pingOutstanding = false;
    m_sinceLastActivity.restart();
}

void ClientSession::protocolViolated(ClientConnection *, quint16 code, const QString &reason)
{
    if (!m_closing)
        m_reason = DisconnectReason::ProtocolError;
    m_closing = true;
    m_observer->sessionViolated(this, code, reason);
}

void ClientSession::limitExceeded(ClientConnection *, ClientConnection::Overrun overrun, const QString &reason)
{
    if (!m_closing)
        m_reason = overrun == ClientConnection::Overrun::TooSlow ? DisconnectReason::SlowConsumer
                                                                 : DisconnectReason::RateLimited;
    m_closing = true;
    m_observer->sessionOverran(this, reason);
}

void ClientSession::disconnected(ClientConnection *)
{
    m_observer->sessionGone(this, m_reason);
}

ClientSession::~ClientSession() = default;

void ClientSession::start()
{
    m_connection->start();
}

QString ClientSession::remoteAddress() const
{
    return m_connection->peer();
}

void ClientSession::sendText(const QString &text)
{
    sendUtf8(text.toUtf8());
}

void ClientSession::sendUtf8(const QByteArray &text)
{
    sendFrame(EncodedMessage::fromUtf8(text));
}

void ClientSession::sendFrame(const EncodedMessage &frame)
{
    if (m_closing || !m_connection->isOpen())
        return;
    m_connection->sendMessage(frame);
    countTraffic(&TrafficCounters::messagesSent, &TrafficCounters::bytesSent, quint64(frame.payloadSize()));
}

void ClientSession::sendPing()
{
    m_pingOutstanding = m_connection->answersPings();
    m_sinceLastPing.start();
    if (!m_pingOutstanding)
        m_sinceLastActivity.restart(); // the next heartbeat is an interval away
    m_connection->sendPing();
}

void ClientSession::close(quint16 code, const QString &reason, DisconnectReason why)
{
    if (m_closing)
        return;
    m_closing = true;
    m_reason = why;
    m_connection->close(code, reason);
}

void ClientSession::abort(DisconnectReason why)
{
    if (!m_closing)
        m_reason = why;
    m_closing = true;
    m_connection->abort();
}

} // namespace herald
