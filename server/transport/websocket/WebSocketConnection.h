#pragma once

#include "FrameParser.h"
#include "protocol/Protocol.h"
#include "stream/ClientConnection.h"

namespace herald {

// A client's connection after the WebSocket handshake: reads and checks the client's frames, holds it to its
// message size and rate, answers pings, and runs the closing handshake (RFC 6455); with permessage-deflate agreed
// (RFC 7692), sends a message's shared compressed frame and inflates what the client compressed. The writing, the
// limits on what waits for the client and the end of the connection are ClientConnection's.
class WebSocketConnection : public ClientConnection, private FrameParser::Sink
{
    Q_OBJECT
public:
    // events: the owner's, told what happens (it outlives the connection). cork: the thread's, or nullptr to
    // write every frame at once.
    WebSocketConnection(UpgradedSocket socket, const ConnectionLimits &limits, Events *events, Cork *cork = nullptr,
                        QObject *parent = nullptr);

    void sendMessage(const EncodedMessage &message) override;
    void sendPing() override;
    bool answersPings() const override { return true; }
    QLatin1StringView transport() const override { return protocol::transport::WebSocket; }
    // Sends a close frame and waits for the client's, up to a few seconds; disconnected() follows.
    void close(quint16 code, const QString &reason) override;

private:
    // compressed: socket.compressed, read before the socket is moved into the base.
    WebSocketConnection(bool compressed, UpgradedSocket &&socket, const ConnectionLimits &limits, Events *events,
                        Cork *cork, QObject *parent);

    void received(const char *data, qsizetype size) override { m_parser.feed(data, size, *this); }
    bool listening() const override { return !m_parser.failed(); }
    void writeCloseNotice(quint16 code, const QString &reason) override;

    void textMessage(const QString &text) override;
    void binaryMessage(const QByteArray &data) override;
    void ping(const QByteArray &payload) override;
    void pong() override;
    void closeFrame(quint16 code, const QString &reason) override;
    void violation(quint16 code, const QString &reason) override;

    bool withinMessageRate();

    FrameParser m_parser;
    // Whether the client agreed on permessage-deflate: then messages of at least compressionMinBytes go compressed.
    bool m_compressed;
    double m_messageTokens;      // token bucket for maxMessagesPerSecond
    qint64 m_tokensRefilledAtMs; // on the monotonic clock
};

} // namespace herald
