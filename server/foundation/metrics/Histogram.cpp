#include "Histogram.h"

#include <algorithm>
#include <cmath>

namespace herald {

Histogram::Histogram(QList<double> upperBounds)
    : m_upperBounds(std::move(upperBounds))
    , m_bucketCounts(m_upperBounds.size(), 0)
{}

void Histogram::observe(double value)
{
    const auto bucket = std::lower_bound(m_upperBounds.cbegin(), m_upperBounds.cend(), value);
    if (bucket != m_upperBounds.cend())
        ++m_bucketCounts[bucket - m_upperBounds.cbegin()];
    ++m_count;
    m_sum += value;
}

quint64 Histogram::cumulativeCount(qsizetype bucket) const
{
    quint64 total = 0;
    for (qsizetype i = 0; i <= bucket && i < m_bucketCounts.size(); ++i)
        total += m_bucketCounts[i];
    return total;
}

SampleStatistics::SampleStatistics(qsizetype window)
    : m_capacity(window)
{
    m_window.reserve(window);
}

void SampleStatistics::observe(double value)
{
    if (m_window.size() < m_capacity)
        m_window.append(value);
    else
        m_window[m_next++ % m_capacity] = value;
    m_min = m_count ? std::min(m_min, value) : value;
    m_max = m_count ? std::max(m_max, value) : value;
    m_sum += value;
    ++m_count;
}

double SampleStatistics::percentile(double p) const
{
    if (m_window.isEmpty())
        return 0.0;
    QList<double> sorted = m_window;
    std::sort(sorted.begin(), sorted.end());
    // Nearest-rank method.
    const auto rank = qsizetype(std::ceil(p / 100.0 * double(sorted.size())));
    return sorted[std::clamp<qsizetype>(rank - 1, 0, sorted.size() - 1)];
}

} // namespace herald
