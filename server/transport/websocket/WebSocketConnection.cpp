#include "WebSocketConnection.h"

#include "ServerFrame.h"

#include "protocol/Protocol.h"
#include "stream/EncodedMessage.h"

#include <QDeadlineTimer>
#include <QTimer>
#include <QtEndian>

namespace herald {

namespace {
// How long a close frame waits for the client's answer before the connection is dropped anyway.
constexpr int CloseHandshakeTimeoutMs = 5000;
// RFC 6455 5.5: a control frame's payload is at most 125 bytes, two of them the code.
constexpr qsizetype MaxCloseReasonBytes = 123;

QByteArray closePayload(quint16 code, const QString &reason)
{
    if (code == closecode::NoStatus)
        return {};
    const quint16 wireCode = qToBigEndian(code);
    QByteArray payload(reinterpret_cast<const char *>(&wireCode), sizeof wireCode);
    QByteArray text = reason.toUtf8();
    if (text.size() > MaxCloseReasonBytes) {
        text.truncate(MaxCloseReasonBytes);
        while (!text.isEmpty() && (quint8(text.back()) & 0xC0) == 0x80) // not inside a UTF-8 sequence
            text.chop(1);
        if (!text.isEmpty() && quint8(text.back()) >= 0xC0)
            text.chop(1);
    }
    return payload + text;
}
} // namespace

WebSocketConnection::WebSocketConnection(UpgradedSocket socket, const ConnectionLimits &limits, Events *events,
                                         Cork *cork, QObject *parent)
    : WebSocketConnection(socket.compressed, std::move(socket), limits, events, cork, parent)
{}

WebSocketConnection::WebSocketConnection(bool compressed, UpgradedSocket &&socket, const ConnectionLimits &limits,
                                         Events *events, Cork *cork, QObject *parent)
    : ClientConnection(std::move(socket), limits, events, cork, parent)
    , m_parser(limits.maxMessageBytes, compressed)
    , m_compressed(compressed)
    , m_messageTokens(2 * limits.maxMessagesPerSecond)
    , m_tokensRefilledAtMs(QDeadlineTimer::current().deadline())
{}

void WebSocketConnection::sendMessage(const EncodedMessage &message)
{
    sendFrame(m_compressed && message.payloadSize() >= limits().compressionMinBytes ? message.compressedWebSocketFrame()
                                                                                    : message.webSocketFrame());
}

void WebSocketConnection::sendPing()
{
    if (state() == State::Open)
        sendFrame(encodeServerFrame(ServerOpcode::Ping, {}));
}

void WebSocketConnection::close(quint16 code, const QString &reason)
{
    if (state() != State::Open)
        return;
    writeCloseNotice(code, reason);
    if (state() == State::Closing)
        QTimer::singleShot(CloseHandshakeTimeoutMs, this, &WebSocketConnection::abort);
}

void WebSocketConnection::writeCloseNotice(quint16 code, const QString &reason)
{
    if (state() == State::Open)
        setClosing(); // first: no limit applies to the close frame itself
    sendFrame(encodeServerFrame(ServerOpcode::Close, closePayload(code, reason)));
}

bool WebSocketConnection::withinMessageRate()
{
    const qint64 now = QDeadlineTimer::current().deadline();
    const double rate = limits().maxMessagesPerSecond;
    m_messageTokens = std::min(2 * rate, m_messageTokens + double(now - m_tokensRefilledAtMs) * rate / 1000.0);
    m_tokensRefilledAtMs = now;
    if (m_messageTokens >= 1) {
        m_messageTokens -= 1;
        return true;
    }
    overrun(Overrun::TooManyMessages,
            QStringLiteral("%1: more than %2 messages per second").arg(protocol::closereason::RateLimited).arg(rate));
    return false;
}

void WebSocketConnection::textMessage(const QString &text)
{
    if (state() == State::Open && withinMessageRate())
        events()->textReceived(this, text);
}

void WebSocketConnection::binaryMessage(const QByteArray &data)
{
    if (state() == State::Open && withinMessageRate())
        events()->binaryReceived(this, data.size());
}

void WebSocketConnection::ping(const QByteArray &payload)
{
    if (state() == State::Open && withinMessageRate())
        sendFrame(encodeServerFrame(ServerOpcode::Pong, payload));
}

void WebSocketConnection::pong()
{
    events()->pongReceived(this);
}

void WebSocketConnection::closeFrame(quint16 code, const QString &)
{
    if (state() == State::Closing) { // the answer to ours: the handshake is complete
        finish();
        return;
    }
    // The client's: answer with its code, then close the TCP connection first, as the RFC asks of a server.
    writeCloseNotice(code, {});
    finishWhenWritten(CloseHandshakeTimeoutMs);
}

void WebSocketConnection::violation(quint16 code, const QString &reason)
{
    events()->protocolViolated(this, code, reason);
    if (state() == State::Open)
        writeCloseNotice(code, reason);
    finishWhenWritten(CloseHandshakeTimeoutMs);
}

} // namespace herald
