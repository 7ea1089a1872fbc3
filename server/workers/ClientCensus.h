#pragma once

#include <atomic>
#include <vector>

namespace herald {

// How many clients each worker serves, readable from any thread: the main thread admits new clients against
// the total (MAX_CONNECTIONS holds across workers) while each worker counts its departures in its own thread.
// A client counts from the moment it is handed to a worker until its session is gone.
class ClientCensus
{
public:
    explicit ClientCensus(int workers)
        : m_perWorker(std::size_t(workers))
    {}

    void admitted(int worker)
    {
        ++m_perWorker[std::size_t(worker)];
        ++m_total;
    }
    void left(int worker)
    {
        --m_perWorker[std::size_t(worker)];
        --m_total;
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
};

} // namespace herald
