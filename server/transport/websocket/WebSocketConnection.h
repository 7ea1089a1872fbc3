#pragma once

#include "Cork.h"
#include "FrameParser.h"
#include "UpgradedSocket.h"

#include <QList>
#include <QObject>
#include <memory>

namespace herald {

// What one client may cost the server; past a limit it is closed with a clear code and reason.
struct ConnectionLimits {
    qint64 maxMessageBytes = 64 * 1024;  // one message from the client, all fragments (1009)
    qint64 maxQueuedBytes = 1024 * 1024; // waiting for a client that does not read (1008)
    int maxQueuedMessages = 1000;        // the same, counted in messages
    double maxMessagesPerSecond = 50;    // from the client, sustained; twice that in a burst (1008)
};

// One WebSocket connection after the handshake, on its ClientStream: reads and checks the client's frames,
// answers pings, writes whole frames (a broadcast's bytes are shared, never copied, even when queued for a slow
// reader), and runs the closing handshake. Idle on plain TCP, it holds no buffer at all. With a Cork, the frames
// of one loop turn leave together when the turn ends (one system call for all of them).
class WebSocketConnection : public QObject,
                            private FrameParser::Sink,
                            private ClientStream::Listener,
                            private Cork::Writer
{
    Q_OBJECT
public:
    enum class Overrun { TooSlow, TooManyMessages };

    // What the connection tells its owner. A virtual call rather than signals: a server holds many thousands of
    // connections, and each signal connection would cost a client about 200 bytes.
    class Events
    {
    public:
        virtual void textReceived(WebSocketConnection *connection, const QString &text) = 0;
        virtual void binaryReceived(WebSocketConnection *connection, qsizetype bytes) = 0;
        virtual void pongReceived(WebSocketConnection *connection) = 0;
        // The client broke RFC 6455 and is being closed with this code.
        virtual void protocolViolated(WebSocketConnection *connection, quint16 code, const QString &reason) = 0;
        // The client went past one of its limits and is being closed (1008).
        virtual void limitExceeded(WebSocketConnection *connection, Overrun overrun, const QString &reason) = 0;
        // The connection is gone. Always from a later turn of the loop: the owner may delete the connection here.
        virtual void disconnected(WebSocketConnection *connection) = 0;

    protected:
        ~Events() = default;
    };

    // events: the owner's, told what happens (it outlives the connection). cork: the thread's, or nullptr to
    // write every frame at once.
    WebSocketConnection(UpgradedSocket socket, const ConnectionLimits &limits, Events *events, Cork *cork = nullptr,
                        QObject *parent = nullptr);
    ~WebSocketConnection() override;

    // Starts reading: first what Qt had read past the handshake, then the socket. Separate from the
    // constructor so that the owner is wired up before the first message arrives.
    void start();

    const QString &peer() const { return m_peer; }
    bool isOpen() const { return m_state == State::Open; }
    // Bytes accepted for this client that the kernel has not taken yet.
    qint64 queuedBytes() const { return m_queuedBytes; }

    // A whole frame (see TextFrame); frames are never interleaved.
    void sendFrame(const QByteArray &frame);
    void sendPing();
    // Sends a close frame and waits for the client's, up to a few seconds; disconnected() follows.
    void close(quint16 code, const QString &reason);
    // Drops the connection at once; disconnected() follows.
    void abort();

private:
    enum class State { Open, Closing, Closed };

    void textMessage(const QString &text) override;
    void binaryMessage(const QByteArray &data) override;
    void ping(const QByteArray &payload) override;
    void pong() override;
    void closeFrame(quint16 code, const QString &reason) override;
    void violation(quint16 code, const QString &reason) override;

    bool withinMessageRate();
    void overrun(Overrun overrun, const QString &reason);
    void streamReadable() override;
    void streamWritable() override;
    void uncork() override;
    // Hands the queue to the stream until it is empty or the kernel takes no more.
    void drain();
    void sendClose(quint16 code, const QString &reason);
    void finishWhenWritten(int timeoutMs);
    void linger();
    void finish();

    Events *m_events;
    std::unique_ptr<ClientStream> m_stream;
    QString m_peer;
    QByteArray m_pendingInput; // what Qt read past the handshake, until start()
    FrameParser m_parser;
    ConnectionLimits m_limits;
    double m_messageTokens;      // token bucket for maxMessagesPerSecond
    qint64 m_tokensRefilledAtMs; // on the monotonic clock
    State m_state = State::Open;
    bool m_finishWhenWritten = false;
    bool m_lingering = false; // everything is written and the write side shut: the client's bytes are dropped
    bool m_started = false;
    QByteArray m_soleFrame;         // held by the cork with nothing else waiting (then m_outbound is empty)
    QList<QByteArray> m_outbound;   // frames the kernel has not taken yet, oldest first
    qsizetype m_outboundOffset = 0; // how much of the oldest frame was already sent
    qint64 m_queuedBytes = 0;
    Cork *m_cork;
    qsizetype m_corkPlace = -1; // held by the cork until the turn ends; -1: not held
    bool m_backlogged = false;  // the kernel took less than it was given: the stream reports when it takes more
};

} // namespace herald
