#include "WebSocketConnection.h"

#include "ServerFrame.h"

#include "protocol/Protocol.h"

#include <QDeadlineTimer>
#include <QTimer>
#include <QtEndian>

#include <array>

namespace herald {

namespace {
// How long a close frame waits for the client's answer before the connection is dropped anyway.
constexpr int CloseHandshakeTimeoutMs = 5000;
// A client past its outbound limit is not reading: its close frame gets a short chance to go out.
constexpr int SlowClientCloseTimeoutMs = 1000;
// After the last frame is out, how long what the client still sends is read and dropped, waiting for its end.
constexpr int LingerMs = 2000;
// One wake-up reads at most this much from one client, so that a fast sender cannot starve the others.
constexpr int ReadRoundsPerWakeUp = 4;
constexpr qsizetype ReadChunk = 64 * 1024;
// RFC 6455 5.5: a control frame's payload is at most 125 bytes, two of them the code.
constexpr qsizetype MaxCloseReasonBytes = 123;

// Shared by every connection of a thread: a connection keeps only the bytes of a frame split across reads.
char *readBuffer()
{
    static thread_local std::array<char, ReadChunk> buffer;
    return buffer.data();
}

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
    : QObject(parent)
    , m_events(events)
    , m_stream(std::move(socket.stream))
    , m_peer(std::move(socket.peer))
    , m_pendingInput(std::move(socket.pendingInput))
    , m_parser(limits.maxMessageBytes)
    , m_limits(limits)
    , m_messageTokens(2 * limits.maxMessagesPerSecond)
    , m_tokensRefilledAtMs(QDeadlineTimer::current().deadline())
    , m_cork(cork)
{}

WebSocketConnection::~WebSocketConnection()
{
    if (m_corkPlace >= 0)
        m_cork->forget(m_corkPlace);
}

void WebSocketConnection::start()
{
    if (m_started || m_state == State::Closed)
        return;
    m_started = true;
    m_stream->start(this, this);
    const QByteArray early = std::exchange(m_pendingInput, {});
    if (!early.isEmpty())
        m_parser.feed(early.constData(), early.size(), *this);
}

void WebSocketConnection::streamReadable()
{
    // While lingering (see linger()) the client's bytes are still read, only to be dropped.
    const auto listening = [this] {
        return m_state != State::Closed && (m_lingering || (!m_finishWhenWritten && !m_parser.failed()));
    };
    for (int round = 0; round < ReadRoundsPerWakeUp && listening(); ++round) {
        const qint64 received = m_stream->read(readBuffer(), ReadChunk);
        if (received > 0) {
            if (!m_lingering)
                m_parser.feed(readBuffer(), qsizetype(received), *this);
            if (received < ReadChunk)
                return;
            continue;
        }
        if (received == 0)
            return;
        finish(); // end of stream, or the connection failed
        return;
    }
    // Once the connection is only waiting for its last frames to go out, whatever the client sends is not read.
    if (!listening() && m_state != State::Closed)
        m_stream->stopReading();
}

void WebSocketConnection::sendFrame(const QByteArray &frame)
{
    if (m_state == State::Closed || m_finishWhenWritten)
        return;
    m_queuedBytes += frame.size();
    if (m_cork && !m_backlogged && m_outbound.isEmpty() && m_soleFrame.isNull()) {
        // The turn's first frame for this client (usually its only one): held without a list to allocate.
        m_soleFrame = frame;
        if (m_corkPlace < 0)
            m_corkPlace = m_cork->hold(this);
        return;
    }
    if (!m_soleFrame.isNull())
        m_outbound.append(std::exchange(m_soleFrame, {}));
    m_outbound.append(frame);
    if (m_backlogged) {
        // The client is behind: its limits apply to what waits for it.
        if (m_state == State::Open && m_queuedBytes > m_limits.maxQueuedBytes)
            overrun(Overrun::TooSlow, QStringLiteral("%1: more than %2 bytes waiting")
                                          .arg(protocol::closereason::SlowConsumer)
                                          .arg(m_limits.maxQueuedBytes));
        else if (m_state == State::Open && m_outbound.size() > m_limits.maxQueuedMessages)
            overrun(Overrun::TooSlow, QStringLiteral("%1: more than %2 messages waiting")
                                          .arg(protocol::closereason::SlowConsumer)
                                          .arg(m_limits.maxQueuedMessages));
        return;
    }
    // A turn that gives one client a great many frames (a recovery's replay) sends them a write's worth at a time.
    if (!m_cork || m_outbound.size() >= ClientStream::MaxFramesPerWrite) {
        drain();
    } else if (m_corkPlace < 0) {
        m_corkPlace = m_cork->hold(this);
    }
}

void WebSocketConnection::uncork()
{
    m_corkPlace = -1;
    if (!m_backlogged)
        drain();
}

void WebSocketConnection::drain()
{
    if (!m_soleFrame.isNull() && m_state != State::Closed) {
        const QByteArray frame = std::exchange(m_soleFrame, {});
        const qint64 written = m_stream->write(frame.constData(), frame.size());
        if (written < 0) {
            finish();
            return;
        }
        m_queuedBytes -= written;
        if (written < frame.size()) {
            m_outbound.append(frame);
            m_outboundOffset = qsizetype(written);
            m_backlogged = true; // streamWritable() follows
            return;
        }
    }
    while (!m_outbound.isEmpty() && m_state != State::Closed) {
        const qsizetype count = std::min(m_outbound.size(), ClientStream::MaxFramesPerWrite);
        qint64 written = m_stream->writeFrames(m_outbound.constData(), count, m_outboundOffset);
        if (written < 0) {
            finish();
            return;
        }
        m_queuedBytes -= written;
        qsizetype sent = 0; // whole frames
        while (sent < count && written >= m_outbound.at(sent).size() - m_outboundOffset) {
            written -= m_outbound.at(sent).size() - m_outboundOffset;
            m_outboundOffset = 0;
            ++sent;
        }
        m_outboundOffset += qsizetype(written);
        m_outbound.remove(0, sent);
        if (sent < count) {
            m_backlogged = true; // streamWritable() follows
            return;
        }
    }
    m_backlogged = false;
    m_outbound = {}; // give the list's storage back while the client keeps up
    if (m_finishWhenWritten && m_state != State::Closed)
        linger();
}

void WebSocketConnection::streamWritable()
{
    drain();
}

void WebSocketConnection::sendPing()
{
    if (m_state == State::Open)
        sendFrame(encodeServerFrame(ServerOpcode::Ping, {}));
}

void WebSocketConnection::close(quint16 code, const QString &reason)
{
    if (m_state != State::Open)
        return;
    sendClose(code, reason);
    if (m_state == State::Closing)
        QTimer::singleShot(CloseHandshakeTimeoutMs, this, &WebSocketConnection::abort);
}

void WebSocketConnection::abort()
{
    finish();
}

void WebSocketConnection::sendClose(quint16 code, const QString &reason)
{
    if (m_state == State::Open)
        m_state = State::Closing; // first: no limit applies to the close frame itself
    sendFrame(encodeServerFrame(ServerOpcode::Close, closePayload(code, reason)));
}

bool WebSocketConnection::withinMessageRate()
{
    const qint64 now = QDeadlineTimer::current().deadline();
    const double burst = 2 * m_limits.maxMessagesPerSecond;
    m_messageTokens =
        std::min(burst, m_messageTokens + double(now - m_tokensRefilledAtMs) * m_limits.maxMessagesPerSecond / 1000.0);
    m_tokensRefilledAtMs = now;
    if (m_messageTokens >= 1) {
        m_messageTokens -= 1;
        return true;
    }
    overrun(Overrun::TooManyMessages, QStringLiteral("%1: more than %2 messages per second")
                                          .arg(protocol::closereason::RateLimited)
                                          .arg(m_limits.maxMessagesPerSecond));
    return false;
}

void WebSocketConnection::overrun(Overrun overrun, const QString &reason)
{
    m_events->limitExceeded(this, overrun, reason);
    // Frames held for the end of the turn (answers to what the client sent before its limit) go first.
    if (!m_backlogged)
        drain();
    if (m_state == State::Closed)
        return;
    // What the client has not read is dropped, except a frame it has begun to receive: the close frame must
    // follow whole frames. The client gets the close frame if it ever reads again; if not, the close
    // handshake's time-out ends the connection.
    if (m_outboundOffset > 0) {
        m_outbound.resize(1);
        m_queuedBytes = m_outbound.constFirst().size() - m_outboundOffset;
    } else {
        m_outbound.clear();
        m_queuedBytes = 0;
    }
    sendClose(closecode::PolicyViolation, reason);
    finishWhenWritten(overrun == Overrun::TooSlow ? SlowClientCloseTimeoutMs : CloseHandshakeTimeoutMs);
}

void WebSocketConnection::textMessage(const QString &text)
{
    if (m_state == State::Open && withinMessageRate())
        m_events->textReceived(this, text);
}

void WebSocketConnection::binaryMessage(const QByteArray &data)
{
    if (m_state == State::Open && withinMessageRate())
        m_events->binaryReceived(this, data.size());
}

void WebSocketConnection::ping(const QByteArray &payload)
{
    if (m_state == State::Open && withinMessageRate())
        sendFrame(encodeServerFrame(ServerOpcode::Pong, payload));
}

void WebSocketConnection::pong()
{
    m_events->pongReceived(this);
}

void WebSocketConnection::closeFrame(quint16 code, const QString &)
{
    if (m_state == State::Closing) { // the answer to ours: the handshake is complete
        finish();
        return;
    }
    // The client's: answer with its code, then close the TCP connection first, as the RFC asks of a server.
    sendClose(code, {});
    finishWhenWritten(CloseHandshakeTimeoutMs);
}

void WebSocketConnection::violation(quint16 code, const QString &reason)
{
    m_events->protocolViolated(this, code, reason);
    if (m_state == State::Open)
        sendClose(code, reason);
    finishWhenWritten(CloseHandshakeTimeoutMs);
}

void WebSocketConnection::finishWhenWritten(int timeoutMs)
{
    m_finishWhenWritten = true;
    if (m_outbound.isEmpty() && m_soleFrame.isNull()) {
        linger();
        return;
    }
    // A client that never reads; once the last frame is out, linger()'s own bound applies instead.
    QTimer::singleShot(timeoutMs, this, [this] {
        if (!m_lingering)
            abort();
    });
}

// The last frame (a close frame) is out: a FIN follows it, and what the client still sends is read and dropped until
// it closes too, or LingerMs pass. Closing at once with the client's bytes unread would make the kernel answer them
// with a reset, which can destroy the close frame before the client reads it: a client flooding past its message
// rate would never learn why it was closed.
void WebSocketConnection::linger()
{
    if (m_state == State::Closed || m_lingering)
        return;
    m_lingering = true;
    m_stream->shutdownWrite();
    m_stream->resumeReading();
    QTimer::singleShot(LingerMs, this, &WebSocketConnection::abort);
    streamReadable(); // what is waiting already; the end of the stream finishes the connection
}

void WebSocketConnection::finish()
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    m_stream->close();
    m_outbound.clear();
    m_soleFrame = {};
    m_queuedBytes = 0;
    if (m_corkPlace >= 0)
        m_cork->forget(std::exchange(m_corkPlace, -1));
    QMetaObject::invokeMethod(
        this, [this] { m_events->disconnected(this); }, Qt::QueuedConnection);
}

} // namespace herald
