#pragma once

#include <QList>

namespace herald {

// A Prometheus-style histogram: cumulative bucket counts at fixed upper bounds, plus sum and count.
class Histogram
{
public:
    explicit Histogram(QList<double> upperBounds);

    void observe(double value);

    const QList<double> &upperBounds() const { return m_upperBounds; }
    // Count of observations <= upperBounds()[i] (cumulative, as the exposition format wants).
    quint64 cumulativeCount(qsizetype bucket) const;
    quint64 count() const { return m_count; }
    double sum() const { return m_sum; }

private:
    QList<double> m_upperBounds;
    QList<quint64> m_bucketCounts; // non-cumulative
    quint64 m_count = 0;
    double m_sum = 0;
};

// Min, max, mean and percentiles over every observation, with percentiles from the most recent ones: a
// bounded window keeps memory flat however long the server runs.
class SampleStatistics
{
public:
    explicit SampleStatistics(qsizetype window = 4096);

    void observe(double value);

    quint64 count() const { return m_count; }
    double min() const { return m_min; }
    double max() const { return m_max; }
    double mean() const { return m_count ? m_sum / double(m_count) : 0.0; }
    double percentile(double p) const; // p in [0, 100], over the window

private:
    qsizetype m_capacity;
    QList<double> m_window;
    qsizetype m_next = 0;
    quint64 m_count = 0;
    double m_sum = 0;
    double m_min = 0;
    double m_max = 0;
};

} // namespace herald
