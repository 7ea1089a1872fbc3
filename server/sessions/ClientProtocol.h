#pragma once

#include <QElapsedTimer>
#include <QObject>

namespace herald {

class ClientSession;
class SessionRegistry;
class Metrics;
class Logger;

// Speaks Herald's client protocol: greets new sessions and answers ping, status_request and bad input.
class ClientProtocol : public QObject
{
    Q_OBJECT
public:
    ClientProtocol(SessionRegistry *registry, Metrics *metrics, Logger *logger, const QElapsedTimer *uptime,
                   QObject *parent = nullptr);

private:
    void greet(ClientSession *session);
    void answer(ClientSession *session, const QString &text);
    void refuseBinary(ClientSession *session);
    void sendError(ClientSession *session, const QString &code, const QString &message);

    SessionRegistry *m_registry;
    Metrics *m_metrics;
    Logger *m_logger;
    const QElapsedTimer *m_uptime;
};

} // namespace herald
