#pragma once

#include <QObject>

class QTimer;

namespace herald {

class SessionRegistry;
class ClientSession;

// Pings every client every PING_INTERVAL and closes the ones that leave a ping unanswered for PING_TIMEOUT.
// One timer sweeps all sessions: thousands of per-client timers would cost more than one pass over a hash.
class KeepAlive : public QObject
{
    Q_OBJECT
public:
    KeepAlive(SessionRegistry *registry, double intervalSeconds, double timeoutSeconds, QObject *parent = nullptr);

    void start();
    void stop();

signals:
    void clientTimedOut(herald::ClientSession *session);

private:
    void sweep();

    SessionRegistry *m_registry;
    qint64 m_intervalMs;
    qint64 m_timeoutMs;
    QTimer *m_timer;
};

} // namespace herald
