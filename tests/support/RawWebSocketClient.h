#pragma once

#include <QByteArray>
#include <QList>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QUrl>

namespace herald::test {

// A WebSocket client written on a bare TCP (or TLS) socket, for peers Qt's own client cannot imitate: one that never
// answers pings, or that stops reading. It does the handshake and decodes unmasked server frames.
class RawWebSocketClient
{
public:
    struct Frame {
        int opcode = 0;
        QByteArray payload;
        bool compressed = false; // RSV1: a permessage-deflate message (RFC 7692), payload as sent
    };

    // What a wss:// handshake trusts (the test's own certificate authority, say).
    void setTlsConfiguration(const QSslConfiguration &tls) { m_tls = tls; }
    // Sends the upgrade request (over TLS for a wss:// URL) and returns the HTTP status line's code (101 on success),
    // or -1 on timeout. After a refusal, responseBody() holds the whole answer body.
    int handshake(const QUrl &url, int timeoutMs = 5000, const QByteArray &extraHeaders = {});
    // A client's text frame (masked, as RFC 6455 requires of clients).
    static QByteArray maskedTextFrame(const QByteArray &text);
    // Any frame: firstByte holds FIN, the reserved bits and the opcode; masked unless told otherwise.
    static QByteArray clientFrame(quint8 firstByte, const QByteArray &payload, bool masked = true);
    // The close code of a close frame's payload (1005 if it has none).
    static int closeCode(const Frame &frame);
    // Reads whatever frames have arrived (waiting up to timeoutMs for at least one more byte).
    QList<Frame> readFrames(int timeoutMs);
    // The next frame with this opcode (opcode -1 on timeout): frames before it are skipped, frames after it stay for
    // the next call.
    Frame next(int opcode, int timeoutMs = 5000);
    QByteArray responseHead() const { return m_responseHead; }
    QByteArray responseBody() const { return m_buffer; }
    bool waitForDisconnected(int timeoutMs);
    QTcpSocket &socket() { return m_socket; }

private:
    QSslSocket m_socket; // plain TCP unless the URL is wss://
    QSslConfiguration m_tls = QSslConfiguration::defaultConfiguration();
    QByteArray m_buffer;
    QByteArray m_responseHead;
    QList<Frame> m_pending; // read by next(), not yet handed out
};

} // namespace herald::test
