#pragma once

#include "stream/UpgradedSocket.h"

#include <QEvent>
#include <utility>

namespace herald {

template<typename Event> QEvent::Type registeredEventType()
{
    static const auto type = QEvent::Type(QEvent::registerEventType());
    return type;
}

class Worker;

// A connection on its way to the worker that will serve it: first to the pool, which moves it to the worker's
// thread on a fresh turn of the main loop (never from inside the stream's own signal, where Qt's TLS socket is
// still in use), then to the worker, which adopts it in its own thread. An event that is never delivered (its
// thread ended first) closes the connection.
class AdoptionEvent : public QEvent
{
public:
    AdoptionEvent(UpgradedSocket socket, Worker *worker)
        : QEvent(registeredEventType<AdoptionEvent>())
        , m_socket(std::move(socket))
        , m_worker(worker)
    {}
    ~AdoptionEvent() override { UpgradedSocket::discard(m_socket); }
    AdoptionEvent(const AdoptionEvent &) = delete;
    AdoptionEvent &operator=(const AdoptionEvent &) = delete;

    UpgradedSocket take() { return std::exchange(m_socket, {}); }
    Worker *worker() const { return m_worker; }

private:
    UpgradedSocket m_socket;
    Worker *m_worker;
};

} // namespace herald
