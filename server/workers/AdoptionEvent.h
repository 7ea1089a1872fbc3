#pragma once

#include "websocket/UpgradedSocket.h"

#include <QEvent>
#include <utility>

class QTcpSocket;
class QWebSocket;

namespace herald {

class Worker;

template<typename Event> QEvent::Type registeredEventType()
{
    static const auto type = QEvent::Type(QEvent::registerEventType());
    return type;
}

// A client Qt has just upgraded, on its way to the pool in the main thread, which takes the connection over
// from Qt there. Posted at high priority: it is handled before anything already queued for the socket (QWebSocket
// reads through queued calls), and never from inside the socket's own signal, where Qt still uses the socket.
class HandoverEvent : public QEvent
{
public:
    HandoverEvent(Worker *worker, QWebSocket *socket, QTcpSocket *transport, QString address, QString identity)
        : QEvent(registeredEventType<HandoverEvent>())
        , m_worker(worker)
        , m_socket(socket)
        , m_transport(transport)
        , m_address(std::move(address))
        , m_identity(std::move(identity))
    {}

    Worker *worker() const { return m_worker; }
    QWebSocket *socket() const { return m_socket; }
    QTcpSocket *transport() const { return m_transport; }
    const QString &address() const { return m_address; }
    const QString &identity() const { return m_identity; }

private:
    Worker *m_worker;
    QWebSocket *m_socket;
    QTcpSocket *m_transport;
    QString m_address;
    QString m_identity;
};

// A connection on its way to the worker that will serve it, in the worker's thread. An event that is never
// delivered (its thread ended first) closes the connection.
class AdoptionEvent : public QEvent
{
public:
    explicit AdoptionEvent(UpgradedSocket socket)
        : QEvent(registeredEventType<AdoptionEvent>())
        , m_socket(std::move(socket))
    {}
    ~AdoptionEvent() override { UpgradedSocket::discard(m_socket); }
    AdoptionEvent(const AdoptionEvent &) = delete;
    AdoptionEvent &operator=(const AdoptionEvent &) = delete;

    UpgradedSocket take() { return std::exchange(m_socket, {}); }

private:
    UpgradedSocket m_socket;
};

} // namespace herald
