#pragma once

#include <QtGlobal>

#include <atomic>

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

// What one thread's figures were when it last published them, for any thread to read without waiting for it:
// the worker stores, /metrics and the console load (relaxed: each figure is a count on its own).
struct PublishedFigures {
    std::atomic<int> clients{0};
    std::atomic<quint64> messagesSent{0};
    std::atomic<quint64> messagesReceived{0};
    std::atomic<quint64> bytesSent{0};
    std::atomic<quint64> bytesReceived{0};

    void store(int clientCount, const TrafficCounters &traffic)
    {
        clients.store(clientCount, std::memory_order_relaxed);
        messagesSent.store(traffic.messagesSent, std::memory_order_relaxed);
        messagesReceived.store(traffic.messagesReceived, std::memory_order_relaxed);
        bytesSent.store(traffic.bytesSent, std::memory_order_relaxed);
        bytesReceived.store(traffic.bytesReceived, std::memory_order_relaxed);
    }
    TrafficCounters traffic() const
    {
        return {messagesSent.load(std::memory_order_relaxed), messagesReceived.load(std::memory_order_relaxed),
                bytesSent.load(std::memory_order_relaxed), bytesReceived.load(std::memory_order_relaxed)};
    }
};

} // namespace herald
