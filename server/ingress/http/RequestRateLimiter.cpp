#include "RequestRateLimiter.h"

#include <algorithm>

namespace herald {

namespace {
constexpr qint64 SweepIntervalMs = 10'000;
}

bool RequestRateLimiter::admit(const QString &address, qint64 nowMs)
{
    if (!isEnabled())
        return true;
    if (nowMs - m_lastSweepMs >= SweepIntervalMs)
        forgetRefilled(nowMs);
    auto bucket = m_buckets.find(address);
    if (bucket == m_buckets.end())
        bucket = m_buckets.insert(address, Bucket{burst(), nowMs});
    bucket->tokens = std::min(burst(), bucket->tokens + double(nowMs - bucket->refilledAtMs) * m_perSecond / 1000.0);
    bucket->refilledAtMs = nowMs;
    if (bucket->tokens < 1)
        return false;
    bucket->tokens -= 1;
    return true;
}

void RequestRateLimiter::forgetRefilled(qint64 nowMs)
{
    m_lastSweepMs = nowMs;
    m_buckets.removeIf([&](const auto &entry) {
        const Bucket &bucket = entry.value();
        return bucket.tokens + double(nowMs - bucket.refilledAtMs) * m_perSecond / 1000.0 >= burst();
    });
}

} // namespace herald
