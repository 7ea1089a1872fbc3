#pragma once

#include <QHash>
#include <QString>

namespace herald {

// A token bucket per client address: a sustained rate per second and bursts of twice that. Lives in one
// thread (the one that answers HTTP). Addresses whose bucket has refilled are forgotten, so a crowd of
// one-off callers does not grow it without bound.
class RequestRateLimiter
{
public:
    explicit RequestRateLimiter(int perSecond)
        : m_perSecond(perSecond)
    {}

    bool isEnabled() const { return m_perSecond > 0; }
    // Takes one request from the address's bucket; false if it is empty (or always true when disabled).
    bool admit(const QString &address, qint64 nowMs);
    qsizetype trackedAddresses() const { return m_buckets.size(); }

private:
    struct Bucket {
        double tokens;
        qint64 refilledAtMs;
    };
    double burst() const { return 2.0 * m_perSecond; }
    void forgetRefilled(qint64 nowMs);

    int m_perSecond;
    QHash<QString, Bucket> m_buckets;
    qint64 m_lastSweepMs = 0;
};

} // namespace herald
