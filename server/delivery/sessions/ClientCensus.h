#pragma once

#include <QHash>
#include <QMutex>
#include <QString>
#include <atomic>
#include <vector>

namespace herald {

// How many clients each worker serves, and from which address, readable from any thread: the main thread
// admits new clients against the total (MAX_CONNECTIONS holds across workers) and the address's count
// (MAX_CONNECTIONS_PER_IP), while each worker counts its departures in its own thread. A client counts from
// the moment it is handed to a worker until its session is gone.
class ClientCensus
{
public:
    explicit ClientCensus(int workers)
        : m_perWorker(std::size_t(workers))
    {}

    void admitted(int worker, const QString &address)
    {
        ++m_perWorker[std::size_t(worker)];
        ++m_total;
        const QMutexLocker lock(&m_addressesMutex);
        ++m_perAddress[address];
    }
    void left(int worker, const QString &address)
    {
        --m_perWorker[std::size_t(worker)];
        --m_total;
        const QMutexLocker lock(&m_addressesMutex);
        const auto found = m_perAddress.find(address);
        if (found != m_perAddress.end() && --*found <= 0)
            m_perAddress.erase(found);
    }
    int fromAddress(const QString &address) const
    {
        const QMutexLocker lock(&m_addressesMutex);
        return m_perAddress.value(address);
    }

    int total() const { return m_total.load(std::memory_order_relaxed); }
    int of(int worker) const { return m_perWorker[std::size_t(worker)].load(std::memory_order_relaxed); }
    int workers() const { return int(m_perWorker.size()); }

    int leastBusy() const
    {
        int best = 0;
        for (int i = 1; i < workers(); ++i)
            if (of(i) < of(best))
                best = i;
        return best;
    }

private:
    std::vector<std::atomic<int>> m_perWorker;
    std::atomic<int> m_total{0};
    mutable QMutex m_addressesMutex;
    QHash<QString, int> m_perAddress;
};

} // namespace herald
