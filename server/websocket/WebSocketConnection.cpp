#include "WebSocketConnection.h"

#include "ServerFrame.h"

#include <QSocketNotifier>
#include <QTimer>
#include <QtEndian>

#include <array>
#include <cerrno>
#include <sys/socket.h>
#include <unistd.h>

namespace herald {

namespace {
// How long a close frame waits for the client's answer before the connection is dropped anyway.
constexpr int CloseHandshakeTimeoutMs = 5000;
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

bool wouldBlock(int error)
{
    return error == EAGAIN || error == EWOULDBLOCK;
}
} // namespace

WebSocketConnection::WebSocketConnection(UpgradedSocket socket, qint64 maxMessageBytes, QObject *parent)
    : QObject(parent)
    , m_descriptor(socket.descriptor)
    , m_peer(std::move(socket.peer))
    , m_pendingInput(std::move(socket.pendingInput))
    , m_parser(maxMessageBytes)
{
    socket.descriptor = -1;
}

WebSocketConnection::~WebSocketConnection()
{
    if (m_descriptor >= 0)
        ::close(m_descriptor);
}

void WebSocketConnection::start()
{
    if (m_readNotifier || m_state == State::Closed)
        return;
    m_readNotifier = new QSocketNotifier(qintptr(m_descriptor), QSocketNotifier::Read, this);
    connect(m_readNotifier, &QSocketNotifier::activated, this, &WebSocketConnection::readAvailable);
    const QByteArray early = std::exchange(m_pendingInput, {});
    if (!early.isEmpty())
        m_parser.feed(early.constData(), early.size(), *this);
}

void WebSocketConnection::readAvailable()
{
    for (int round = 0; round < ReadRoundsPerWakeUp && m_state != State::Closed && !m_parser.failed(); ++round) {
        const ssize_t received = ::recv(m_descriptor, readBuffer(), ReadChunk, MSG_DONTWAIT);
        if (received > 0) {
            m_parser.feed(readBuffer(), qsizetype(received), *this);
            if (received < ReadChunk)
                return;
            continue;
        }
        if (received < 0 && errno == EINTR)
            continue;
        if (received < 0 && wouldBlock(errno))
            return;
        finish(); // end of stream, or the connection failed
        return;
    }
    // Whatever a client sends after a violation is not read: the connection closes once the close frame is out.
    if (m_parser.failed() && m_readNotifier)
        m_readNotifier->setEnabled(false);
}

void WebSocketConnection::sendFrame(const QByteArray &frame)
{
    if (m_state == State::Closed || m_finishWhenWritten)
        return;
    if (!m_outbound.isEmpty()) {
        m_outbound.append(frame);
        m_queuedBytes += frame.size();
        return;
    }
    // Nothing queued: straight to the kernel, which takes the whole frame unless the client is behind.
    const ssize_t written =
        ::send(m_descriptor, frame.constData(), std::size_t(frame.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (written == frame.size())
        return;
    if (written < 0 && !wouldBlock(errno) && errno != EINTR) {
        finish();
        return;
    }
    m_outbound.append(frame);
    m_outboundOffset = written > 0 ? qsizetype(written) : 0;
    m_queuedBytes += frame.size() - m_outboundOffset;
    if (!m_writeNotifier) {
        m_writeNotifier = new QSocketNotifier(qintptr(m_descriptor), QSocketNotifier::Write, this);
        connect(m_writeNotifier, &QSocketNotifier::activated, this, &WebSocketConnection::writeQueued);
    }
    m_writeNotifier->setEnabled(true);
}

void WebSocketConnection::writeQueued()
{
    while (!m_outbound.isEmpty()) {
        const QByteArray &oldest = m_outbound.constFirst();
        const ssize_t written = ::send(m_descriptor, oldest.constData() + m_outboundOffset,
                                       std::size_t(oldest.size() - m_outboundOffset), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (written < 0) {
            if (errno == EINTR)
                continue;
            if (!wouldBlock(errno))
                finish();
            return;
        }
        m_outboundOffset += qsizetype(written);
        m_queuedBytes -= written;
        if (m_outboundOffset < oldest.size())
            return;
        m_outbound.removeFirst();
        m_outboundOffset = 0;
    }
    m_outbound = {}; // give the list's storage back while the client keeps up
    m_writeNotifier->setEnabled(false);
    if (m_finishWhenWritten)
        finish();
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
    sendFrame(encodeServerFrame(ServerOpcode::Close, closePayload(code, reason)));
    if (m_state == State::Open)
        m_state = State::Closing;
}

void WebSocketConnection::textMessage(const QString &text)
{
    if (m_state == State::Open)
        emit textReceived(text);
}

void WebSocketConnection::binaryMessage(const QByteArray &data)
{
    if (m_state == State::Open)
        emit binaryReceived(data.size());
}

void WebSocketConnection::ping(const QByteArray &payload)
{
    if (m_state == State::Open)
        sendFrame(encodeServerFrame(ServerOpcode::Pong, payload));
}

void WebSocketConnection::pong()
{
    emit pongReceived();
}

void WebSocketConnection::closeFrame(quint16 code, const QString &)
{
    if (m_state == State::Closing) { // the answer to ours: the handshake is complete
        finish();
        return;
    }
    // The client's: answer with its code, then close the TCP connection first, as the RFC asks of a server.
    sendClose(code, {});
    finishWhenWritten();
}

void WebSocketConnection::violation(quint16 code, const QString &reason)
{
    emit protocolViolated(code, reason);
    if (m_state == State::Open)
        sendClose(code, reason);
    finishWhenWritten();
}

void WebSocketConnection::finishWhenWritten()
{
    if (m_outbound.isEmpty()) {
        finish();
        return;
    }
    m_finishWhenWritten = true;
    QTimer::singleShot(CloseHandshakeTimeoutMs, this, &WebSocketConnection::abort); // a client that never reads
}

void WebSocketConnection::finish()
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    if (m_readNotifier)
        m_readNotifier->setEnabled(false);
    if (m_writeNotifier)
        m_writeNotifier->setEnabled(false);
    ::close(m_descriptor);
    m_descriptor = -1;
    m_outbound.clear();
    m_queuedBytes = 0;
    QMetaObject::invokeMethod(this, &WebSocketConnection::disconnected, Qt::QueuedConnection);
}

} // namespace herald
