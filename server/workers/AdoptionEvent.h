#pragma once

#include <QEvent>

class QTcpSocket;
class QWebSocket;

namespace herald {

class Worker;

// A client on its way to a worker: first to the pool, which moves its sockets to the worker's thread, then to
// the worker, which gives it a session. Posted at high priority both times, so it is handled before anything
// already queued for the socket: QWebSocket reads through queued calls, and a client that speaks before its
// welcome must find its session in place when they run.
class AdoptionEvent : public QEvent
{
public:
    AdoptionEvent(Worker *worker, QWebSocket *socket, QTcpSocket *transport)
        : QEvent(registeredType())
        , m_worker(worker)
        , m_socket(socket)
        , m_transport(transport)
    {}

    static QEvent::Type registeredType()
    {
        static const auto type = QEvent::Type(QEvent::registerEventType());
        return type;
    }

    Worker *worker() const { return m_worker; }
    QWebSocket *socket() const { return m_socket; }
    QTcpSocket *transport() const { return m_transport; }

private:
    Worker *m_worker;
    QWebSocket *m_socket;
    QTcpSocket *m_transport;
};

} // namespace herald
