#pragma once

#include "metrics/TrafficCounters.h"
#include "stream/ClientConnection.h"
#include "stream/UpgradedSocket.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QObject>
#include <QString>

namespace herald {

class Cork;
class EncodedMessage;

// Why a client is gone; it ends up in logs and in metrics labels.
enum class DisconnectReason {
    ClientClosed,
    PingTimeout,
    ServerShutdown,
    ServerFull,
    ProtocolError,
    SlowConsumer,
    RateLimited
};
QString disconnectReasonName(DisconnectReason reason);

// One connected client, over a WebSocket or an event stream: its identity, its traffic, and its keep-alive state.
// It knows nothing of the protocol spoken over it; ClientProtocol answers what it receives (through the registry's
// signals).
class ClientSession : public QObject, private ClientConnection::Events
{
    Q_OBJECT
public:
    // What a session tells the registry that owns it; virtual calls, not signals, for the memory of a client.
    class Observer
    {
    public:
        virtual void sessionText(ClientSession *session, const QString &text) = 0;
        virtual void sessionBinary(ClientSession *session) = 0;
        // The client broke its transport's protocol (RFC 6455); it is being closed with this code.
        virtual void sessionViolated(ClientSession *session, quint16 code, const QString &reason) = 0;
        // The client went past one of its limits; it is being closed.
        virtual void sessionOverran(ClientSession *session, const QString &reason) = 0;
        // The socket is gone; from a later turn of the loop, so the session may be deleted here.
        virtual void sessionGone(ClientSession *session, DisconnectReason reason) = 0;

    protected:
        ~Observer() = default;
    };

    // observer: the registry's (it outlives the session). cork: the worker's, which sends what a turn of its
    // loop gave each client at once (nullptr: at once).
    ClientSession(UpgradedSocket socket, const ConnectionLimits &limits, Observer *observer, Cork *cork,
                  const QString &id, QObject *parent = nullptr);
    ~ClientSession() override;

    // Starts reading the client's messages; separate so that the welcome goes out before any answer.
    void start();

    const QString &id() const { return m_id; }
    QString remoteAddress() const;
    // "websocket" or "sse" (protocol::transport).
    QLatin1StringView transport() const { return m_connection->transport(); }
    // Who the client's token says it is (CLIENT_JWT_SECRET); empty otherwise.
    const QString &identity() const { return m_grant.identity; }
    const ClientGrant &grant() const { return m_grant; }
    QDateTime connectedAt() const { return m_connectedAt; }
    double connectedSeconds() const { return double(m_sinceConnected.elapsed()) / 1000.0; }
    const TrafficCounters &traffic() const { return m_traffic; }
    qint64 lastRoundTripMs() const { return m_lastRoundTripMs; }
    // Counts every change of traffic() and lastRoundTripMs() in *counter too (the registry's, for viewers that
    // skip a worker whose clients did not change), and adds the traffic to *totals (the registry's running sum,
    // which departed clients never take back); nullptr: none.
    void countChangesIn(quint64 *counter, TrafficCounters *totals)
    {
        m_changes = counter;
        m_totals = totals;
    }
    bool isOpen() const { return !m_closing; }

    // A message for this client alone (welcome, answers).
    void sendText(const QString &text);
    // The same, already in UTF-8.
    void sendUtf8(const QByteArray &text);
    // A broadcast: the same bytes every recipient gets.
    void sendFrame(const EncodedMessage &frame);
    // Where the client stands in its streams (its welcome, a recovery), for a transport that names positions.
    void notePositions(const QList<NamedPosition> &positions) { m_connection->notePositions(positions); }

    // Keep-alive: a ping is outstanding from the time it is sent until the pong arrives (an event stream's heartbeat
    // has no answer, and is never outstanding).
    void sendPing();
    bool pingOutstanding() const { return m_pingOutstanding; }
    qint64 msSinceLastPing() const { return m_sinceLastPing.isValid() ? m_sinceLastPing.elapsed() : 0; }
    qint64 msSinceLastActivity() const { return m_sinceLastActivity.elapsed(); }

    // Closes with a WebSocket close frame (an event stream: a "close" event); disconnected() follows when the socket
    // is gone.
    void close(quint16 code, const QString &reason, DisconnectReason why);
    // Drops the TCP connection without waiting for the close handshake.
    void abort(DisconnectReason why);

private:
    void textReceived(ClientConnection *connection, const QString &text) override;
    void binaryReceived(ClientConnection *connection, qsizetype bytes) override;
    void pongReceived(ClientConnection *connection) override;
    void protocolViolated(ClientConnection *connection, quint16 code, const QString &reason) override;
    void limitExceeded(ClientConnection *connection, ClientConnection::Overrun overrun, const QString &reason) override;
    void disconnected(ClientConnection *connection) override;

    Observer *m_observer;
    ClientGrant m_grant;            // before m_connection, which takes the rest of the UpgradedSocket
    ClientConnection *m_connection; // a child
    QString m_id;
    QDateTime m_connectedAt;
    QElapsedTimer m_sinceConnected;
    QElapsedTimer m_sinceLastActivity;
    QElapsedTimer m_sinceLastPing;
    TrafficCounters m_traffic;
    qint64 m_lastRoundTripMs = -1;
    quint64 *m_changes = nullptr;
    TrafficCounters *m_totals = nullptr;
    void countTraffic(quint64 TrafficCounters::*messages, quint64 TrafficCounters::*bytes, quint64 size)
    {
        ++(m_traffic.*messages);
        m_traffic.*bytes += size;
        if (m_totals) {
            ++(m_totals->*messages);
            m_totals->*bytes += size;
        }
        noteChange();
    }
    void noteChange()
    {
        if (m_changes)
            ++*m_changes;
    }
    bool m_pingOutstanding = false;
    bool m_closing = false;
    DisconnectReason m_reason = DisconnectReason::ClientClosed;
};

} // namespace herald
