#include "ClientSession.h"

#include "websocket/TextFrame.h"

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
    , m_connection(new WebSocketConnection(std::move(socket), limits, this, cork, this))
    , m_id(id)
    , m_connectedAt(QDateTime::currentDateTimeUtc())
{
    m_sinceConnected.start();
    m_sinceLastActivity.start();
}

void ClientSession::textReceived(WebSocketConnection *, const QString &text)
{
    countTraffic(&TrafficCounters::messagesReceived, &TrafficCounters::bytesReceived, quint64(text.size()));
    m_sinceLastActivity.restart();
    m_observer->sessionText(this, text);
}

void ClientSession::binaryReceived(WebSocketConnection *, qsizetype bytes)
{
    countTraffic(&TrafficCounters::messagesReceived, &TrafficCounters::bytesReceived, quint64(bytes));
    m_sinceLastActivity.restart();
    m_observer->sessionBinary(this);
}

void ClientSession::pongReceived(WebSocketConnection *)
{
    if (m_pingOutstanding) {
        m_lastRoundTripMs = m_sinceLastPing.elapsed();
        noteChange();
    }
    m_pingOutstanding = false;
    m_sinceLastActivity.restart();
}

void ClientSession::protocolViolated(WebSocketConnection *, quint16 code, const QString &reason)
{
    if (!m_closing)
        m_reason = DisconnectReason::ProtocolError;
    m_closing = true;
    m_observer->sessionViolated(this, code, reason);
}

void ClientSession::limitExceeded(WebSocketConnection *, WebSocketConnection::Overrun overrun, const QString &reason)
{
    if (!m_closing)
        m_reason = overrun == WebSocketConnection::Overrun::TooSlow ? DisconnectReason::SlowConsumer
                                                                    : DisconnectReason::RateLimited;
    m_closing = true;
    m_observer->sessionOverran(this, reason);
}

void ClientSession::disconnected(WebSocketConnection *)
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
    sendFrame(TextFrame::fromUtf8(text));
}

void ClientSession::sendFrame(const TextFrame &frame)
{
    if (m_closing || !m_connection->isOpen())
        return;
    m_connection->sendFrame(frame.wire);
    countTraffic(&TrafficCounters::messagesSent, &TrafficCounters::bytesSent, quint64(frame.payloadSize));
}

void ClientSession::sendPing()
{
    m_pingOutstanding = true;
    m_sinceLastPing.start();
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
