#include "SessionRegistry.h"

#include "protocol/Protocol.h"
#include "stream/Cork.h"
#include "stream/UpgradedSocket.h"

#include <QUuid>

namespace herald {

SessionRegistry::SessionRegistry(const ConnectionLimits &limits, QObject *parent)
    : QObject(parent)
    , m_limits(limits)
    , m_cork(new Cork(this))
{}

SessionRegistry::~SessionRegistry()
{
    // Before the cork, which an open connection would tell that it is going. Sessions already removed are
    // closed, so no longer held by it.
    qDeleteAll(std::exchange(m_sessions, {}));
    qDeleteAll(std::exchange(m_departed, {}));
}

ClientSession *SessionRegistry::add(UpgradedSocket socket)
{
    const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    // Owned by the registry, not as a QObject child: a parent finds a departing child by walking its list of
    // children, which at 10,000 clients made each departure cost ~10,000 comparisons (callgrind).
    auto *session = new ClientSession(std::move(socket), m_limits, this, m_cork, id);
    m_sessions.insert(id, session);
    if (!session->identity().isEmpty())
        m_byUser[session->identity()].append(session);
    session->countChangesIn(&m_changes, &m_totals); // the session is this registry's child: they outlive it
    ++m_changes;
    emit sessionAdded(session);
    emit countChanged(count());
    session->start();
    return session;
}

void SessionRegistry::closeAll(quint16 code, const QString &reason, DisconnectReason why)
{
    for (ClientSession *session : std::as_const(m_sessions))
        session->close(code, reason, why);
}

void SessionRegistry::closeEventStreams(quint16 code, const QString &reason, DisconnectReason why)
{
    for (ClientSession *session : std::as_const(m_sessions))
        if (session->transport() == protocol::transport::EventStream)
            session->close(code, reason, why);
}

void SessionRegistry::abortAll(DisconnectReason why)
{
    for (ClientSession *session : m_sessions.values())
        session->abort(why);
}

void SessionRegistry::sessionGone(ClientSession *session, DisconnectReason reason)
{
    if (!m_sessions.remove(session->id()))
        return;
    if (const auto user = m_byUser.find(session->identity()); user != m_byUser.end()) {
        user->removeOne(session);
        if (user->isEmpty())
            m_byUser.erase(user);
    }
    ++m_changes;
    emit sessionRemoved(session, reason);
    emit countChanged(count());
    // Deleted from a fresh turn of the loop, as deleteLater() would, since the signal that brought the news may
    // still be on the way out of the session; if the registry goes first, its destructor deletes it.
    m_departed.insert(session);
    QMetaObject::invokeMethod(
        this,
        [this, session] {
            if (m_departed.remove(session))
                delete session;
        },
        Qt::QueuedConnection);
}

} // namespace herald
