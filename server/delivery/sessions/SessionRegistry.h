#pragma once

#include "ClientSession.h"
#include "stream/ClientConnection.h"

#include <QHash>
#include <QObject>
#include <QSet>

namespace herald {

class Cork;
struct UpgradedSocket;

// The live clients. Owns every ClientSession, hands out ids, and keeps the traffic of departed clients so
// totals never go backwards. What the sessions write in one turn of the thread's loop goes out when the turn
// ends, each client's frames in one write (see Cork).
class SessionRegistry : public QObject, private ClientSession::Observer
{
    Q_OBJECT
public:
    explicit SessionRegistry(const ConnectionLimits &limits, QObject *parent = nullptr);
    ~SessionRegistry() override;

    // Gives the client a session and an id, announces it (sessionAdded), then starts reading from it.
    ClientSession *add(UpgradedSocket socket);

    int count() const { return int(m_sessions.size()); }
    ClientSession *find(const QString &id) const { return m_sessions.value(id); }
    QList<ClientSession *> sessions() const { return m_sessions.values(); }
    // Every connection here of the user a client token named ("sub").
    QList<ClientSession *> sessionsOf(const QString &user) const { return m_byUser.value(user); }
    // Every client's traffic, the departed ones' included: a running sum, so reading it costs nothing.
    const TrafficCounters &trafficTotals() const { return m_totals; }
    // Goes up whenever a client comes or goes or its traffic or round trip changes; read in this thread.
    quint64 changes() const { return m_changes; }

    template<typename Function> void forEach(Function &&function) const
    {
        for (ClientSession *session : m_sessions)
            function(session);
    }

    void closeAll(quint16 code, const QString &reason, DisconnectReason why);
    void closeEventStreams(quint16 code, const QString &reason, DisconnectReason why);
    void abortAll(DisconnectReason why);

signals:
    void sessionAdded(herald::ClientSession *session);
    // What the sessions hear, one signal for all of them (a connection per client would cost its memory).
    void textReceived(herald::ClientSession *session, const QString &text);
    void binaryReceived(herald::ClientSession *session);
    // The client broke RFC 6455 (or went past one of its limits); it is being closed with this code.
    void protocolViolated(herald::ClientSession *session, quint16 code, const QString &reason);
    void limitExceeded(herald::ClientSession *session, const QString &reason);
    // Emitted after the session left the registry; the session is deleted later.
    void sessionRemoved(herald::ClientSession *session, herald::DisconnectReason reason);
    void countChanged(int count);

private:
    void sessionText(ClientSession *session, const QString &text) override { emit textReceived(session, text); }
    void sessionBinary(ClientSession *session) override { emit binaryReceived(session); }
    void sessionViolated(ClientSession *session, quint16 code, const QString &reason) override
    {
        emit protocolViolated(session, code, reason);
    }
    void sessionOverran(ClientSession *session, const QString &reason) override { emit limitExceeded(session, reason); }
    void sessionGone(ClientSession *session, DisconnectReason reason) override;

    ConnectionLimits m_limits; // every client's
    Cork *m_cork;              // this thread's writes to its clients leave once per turn of its loop
    quint64 m_changes = 0;
    QHash<QString, ClientSession *> m_sessions;
    QSet<ClientSession *> m_departed;                // removed, to be deleted on the loop's next turn
    QHash<QString, QList<ClientSession *>> m_byUser; // identity -> its sessions, for sessions with one
    TrafficCounters m_totals;
};

} // namespace herald
