#include "RawWebSocketClient.h"

#include <QDeadlineTimer>
#include <QRegularExpression>
#include <QSignalSpy>

namespace herald::test {

namespace {
// Waits on the readyRead signal, running the event loop, so an in-process server keeps serving meanwhile.
bool waitForReadyRead(QTcpSocket &socket, qint64 timeoutMs)
{
    if (socket.bytesAvailable() > 0)
        return true;
    QSignalSpy spy(&socket, &QTcpSocket::readyRead);
    return spy.wait(int(std::max<qint64>(1, timeoutMs)));
}
} // namespace

QByteArray RawWebSocketClient::maskedTextFrame(const QByteArray &text)
{
    return clientFrame(0x81, text);
}

QByteArray RawWebSocketClient::clientFrame(quint8 firstByte, const QByteArray &payload, bool masked)
{
    const char mask[4] = {0x12, 0x34, 0x56, 0x78};
    const char maskBit = masked ? char(0x80) : char(0);
    const auto size = quint64(payload.size());
    QByteArray frame(1, char(firstByte));
    if (size < 126) {
        frame.append(char(maskBit | char(size)));
    } else if (size <= 0xffff) {
        frame.append(char(maskBit | 126)).append(char(size >> 8)).append(char(size & 0xff));
    } else {
        frame.append(char(maskBit | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            frame.append(char((size >> shift) & 0xff));
    }
    if (!masked)
        return frame + payload;
    frame.append(mask, 4);
    for (qsizetype i = 0; i < payload.size(); ++i)
        frame.append(char(payload[i] ^ mask[i % 4]));
    return frame;
}

int RawWebSocketClient::closeCode(const Frame &frame)
{
    if (frame.payload.size() < 2)
        return 1005;
    return (quint8(frame.payload[0]) << 8) | quint8(frame.payload[1]);
}

int RawWebSocketClient::handshake(const QUrl &url, int timeoutMs, const QByteArray &extraHeaders)
{
    QDeadlineTimer deadline(timeoutMs);
    if (url.scheme() == u"wss") {
        QSignalSpy encrypted(&m_socket, &QSslSocket::encrypted);
        m_socket.setSslConfiguration(m_tls);
        m_socket.connectToHostEncrypted(url.host(), quint16(url.port()));
        if (!encrypted.wait(timeoutMs))
            return -1;
    } else {
        QSignalSpy connected(&m_socket, &QTcpSocket::connected);
        m_socket.connectToHost(url.host(), quint16(url.port()));
        if (!connected.wait(timeoutMs))
            return -1;
    }
    m_socket.write("GET " + url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority) +
                   " HTTP/1.1\r\nHost: " + url.host().toUtf8() +
                   "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" +
                   extraHeaders + "\r\n");
    while (!m_buffer.contains("\r\n\r\n")) {
        if (deadline.hasExpired() || !waitForReadyRead(m_socket, deadline.remainingTime()))
            return -1;
        m_buffer += m_socket.readAll();
    }
    const qsizetype headEnd = m_buffer.indexOf("\r\n\r\n") + 4;
    m_responseHead = m_buffer.left(headEnd);
    m_buffer.remove(0, headEnd);
    const QList<QByteArray> statusLine = m_responseHead.split('\r').first().split(' ');
    const int status = statusLine.size() > 1 ? statusLine[1].toInt() : -1;
    if (status != 101) {
        // A refusal: read its body, whose length the head announces.
        static const QRegularExpression lengthHeader(QStringLiteral("(?i)content-length:\\s*(\\d+)"));
        const qsizetype length = lengthHeader.match(QString::fromLatin1(m_responseHead)).captured(1).toLongLong();
        while (m_buffer.size() < length) {
            if (deadline.hasExpired() || !waitForReadyRead(m_socket, deadline.remainingTime()))
                return -1;
            m_buffer += m_socket.readAll();
        }
    }
    return status;
}

QList<RawWebSocketClient::Frame> RawWebSocketClient::readFrames(int timeoutMs)
{
    if (waitForReadyRead(m_socket, timeoutMs))
        m_buffer += m_socket.readAll();
    QList<Frame> frames;
    for (;;) {
        if (m_buffer.size() < 2)
            break;
        const auto *bytes = reinterpret_cast<const uchar *>(m_buffer.constData());
        qsizetype headerSize = 2;
        quint64 length = bytes[1] & 0x7f;
        if (length == 126) {
            if (m_buffer.size() < 4)
                break;
            length = (quint64(bytes[2]) << 8) | bytes[3];
            headerSize = 4;
        } else if (length == 127) {
            if (m_buffer.size() < 10)
                break;
            length = 0;
            for (int i = 0; i < 8; ++i)
                length = (length << 8) | bytes[2 + i];
            headerSize = 10;
        }
        if (quint64(m_buffer.size()) < headerSize + length)
            break;
        frames.append({bytes[0] & 0x0f, m_buffer.mid(headerSize, qsizetype(length)), (bytes[0] & 0x40) != 0});
        m_buffer.remove(0, headerSize + qsizetype(length));
    }
    return frames;
}

RawWebSocketClient::Frame RawWebSocketClient::next(int opcode, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        while (!m_pending.isEmpty()) {
            const Frame frame = m_pending.takeFirst();
            if (frame.opcode == opcode)
                return frame;
        }
        if (deadline.hasExpired())
            return {-1, {}};
        m_pending += readFrames(50);
    }
}

bool RawWebSocketClient::waitForDisconnected(int timeoutMs)
{
    if (m_socket.state() == QAbstractSocket::UnconnectedState)
        return true;
    QSignalSpy spy(&m_socket, &QTcpSocket::disconnected);
    return spy.wait(timeoutMs) || m_socket.state() == QAbstractSocket::UnconnectedState;
}

} // namespace herald::test
