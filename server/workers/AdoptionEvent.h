#pragma once

#include "websocket/UpgradedSocket.h"

#include <QEvent>
#include <utility>

namespace herald {

template<typename Event> QEvent::Type registeredEventType()
{
    static const auto type = QEvent::Type(QEvent::registerEventType());
    return type;
}

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
