#pragma once

#include "Cork.h"
#include "UpgradedSocket.h"

#include <QList>
#include <QObject>
#include <memory>

namespace herald {

class EncodedMessage;

// What one client may cost the server; past a limit it is closed with a clear code and reason.
struct ConnectionLimits {
    qint64 maxMessageBytes = 64 * 1024;  // one message from the client, all fragments (1009)
    qint64 maxQueuedBytes = 1024 * 1024; // waiting for a client that does not read (1008)
    int maxQueuedMessages = 1000;        // the same, counted in messages
    double maxMessagesPerSecond = 50;    // from the client, sustained; twice that in a burst (1008)
    qint64 compressionMinBytes = 1024;   // with permessage-deflate: smaller messages go uncompressed
};

// One client's connection once it is being served, on its ClientStream, whatever the transport: writes whole
// frames (a broadcast's bytes are shared, never copied, even when queued for a slow reader), holds a client that
// does not read to its limits, and ends the connection so that its last words reach the client. Idle on plain
// TCP, it holds no buffer at all. With a Cork, the frames of one loop turn leave together when the turn ends (one
// system call for all of them). A transport (WebSocketConnection, EventStreamConnection) says what the client's
// bytes mean and how messages, pings and the last words are written.
class ClientConnection : public QObject, private ClientStream::Listener, private Cork::Writer
{
    Q_OBJECT
public:
    enum class Overrun { TooSlow, TooManyMessages };

    // What the connection tells its owner. A virtual call rather than signals: a server holds many thousands of
    // connections, and each signal connection would cost a client about 200 bytes.
    class Events
    {
    public:
        virtual void textReceived(ClientConnection *connection, const QString &text) = 0;
        virtual void binaryReceived(ClientConnection *connection, qsizetype bytes) = 0;
        virtual void pongReceived(ClientConnection *connection) = 0;
        // The client broke its transport's protocol and is being closed with this code.
        virtual void protocolViolated(ClientConnection *connection, quint16 code, const QString &reason) = 0;
        // The client went past one of its limits and is being closed (1008).
        virtual void limitExceeded(ClientConnection *connection, Overrun overrun, const QString &reason) = 0;
        // The connection is gone. Always from a later turn of the loop: the owner may delete the connection here.
        virtual void disconnected(ClientConnection *connection) = 0;

    protected:
        ~Events() = default;
    };

    ~ClientConnection() override;

    // Starts reading: first what the front door had read past the request, then the socket. Separate from the
    // constructor so that the owner is wired up before the first message arrives.
    void start();

    const QString &peer() const { return m_peer; }
    bool isOpen() const { return m_state == State::Open; }
    // Bytes accepted for this client that the kernel has not taken yet.
    qint64 queuedBytes() const { return m_queuedBytes; }

    // A message, in this transport's encoding of it.
    virtual void sendMessage(const EncodedMessage &message) = 0;
    // Bytes the client reads as one whole (a frame, an event); they are never interleaved with others.
    void sendFrame(const QByteArray &frame);
    // Keep-alive: a ping the client answers, or (answersPings() false) a heartbeat that only keeps the link busy.
    virtual void sendPing() = 0;
    virtual bool answersPings() const = 0;
    // Tells the client why it is being closed and ends the connection once that is out; disconnected() follows.
    virtual void close(quint16 code, const QString &reason) = 0;
    // Where the client stands in its streams, for a transport that names its positions itself (an event stream's
    // ids); the positions kept notifications carry reach it with them.
    virtual void notePositions(const QList<NamedPosition> &) {}
    // How the client is connected (protocol::transport).
    virtual QLatin1StringView transport() const = 0;
    // Drops the connection at once; disconnected() follows.
    void abort();

protected:
    enum class State { Open, Closing, Closed };

    ClientConnection(UpgradedSocket socket, const ConnectionLimits &limits, Events *events, Cork *cork,
                     QObject *parent);

    // What the client sent, as it arrives (never while lingering or after the connection stopped listening).
    virtual void received(const char *data, qsizetype size) = 0;
    // Whether the client's bytes are still wanted (a WebSocket stops reading a client that broke the protocol).
    virtual bool listening() const { return true; }
    // Writes the transport's notice of why the client is closed (a close frame), the last thing it is sent.
    virtual void writeCloseNotice(quint16 code, const QString &reason) = 0;

    // Past a limit: drops what the client has not read, tells it why (1008), and ends the connection once that is
    // out.
    void overrun(Overrun overrun, const QString &reason);
    // Ends the connection once everything queued is out, or after timeoutMs for a client that does not read.
    void finishWhenWritten(int timeoutMs);
    void finish();

    Events *events() const { return m_events; }
    const ConnectionLimits &limits() const { return m_limits; }
    State state() const { return m_state; }
    void setClosing() { m_state = State::Closing; }

private:
    void streamReadable() override;
    void streamWritable() override;
    void uncork() override;
    // Hands the queue to the stream until it is empty or the kernel takes no more.
    void drain();
    void linger();

    Events *m_events;
    std::unique_ptr<ClientStream> m_stream;
    QString m_peer;
    QByteArray m_pendingInput; // what the front door read past the request, until start()
    ConnectionLimits m_limits;
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
