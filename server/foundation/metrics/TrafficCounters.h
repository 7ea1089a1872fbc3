#pragma once

#include <QtGlobal>

namespace herald {

// Messages and payload bytes through one client, or summed over many.
struct TrafficCounters {
    quint64 messagesSent = 0;
    quint64 messagesReceived = 0;
    quint64 bytesSent = 0;
    quint64 bytesReceived = 0;

    TrafficCounters &operator+=(const TrafficCounters &other)
    {
        messagesSent += other.messagesSent;
        messagesReceived += other.messagesReceived;
        bytesSent += other.bytesSent;
        bytesReceived += other.bytesReceived;
        return *this;
    }
};

} // namespace herald
