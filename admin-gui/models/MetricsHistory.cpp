#include "MetricsHistory.h"

namespace herald::console {

MetricsHistory::MetricsHistory(int windowSeconds, QObject *parent)
    : QObject(parent)
    , m_windowSeconds(windowSeconds)
{
    m_clock.start();
}

void MetricsHistory::add(const QJsonObject &metrics)
{
    if (metrics.isEmpty())
        return;
    m_latest = metrics;
    const double t = now();
    const QJsonObject messages = metrics.value(QLatin1StringView("messages")).toObject();
    const double sent = messages.value(QLatin1StringView("sent")).toDouble();
    const double received = messages.value(QLatin1StringView("received")).toDouble();
    m_connections.append(
        {t, metrics.value(QLatin1StringView("connections")).toObject().value(QLatin1StringView("active")).toDouble()});
    // Totals restart when the console switches servers; a drop is a new baseline, not negative traffic.
    if (m_lastTime >= 0 && t > m_lastTime && sent >= m_lastSent && received >= m_lastReceived) {
        m_sentPerSecond.append({t, (sent - m_lastSent) / (t - m_lastTime)});
        m_receivedPerSecond.append({t, (received - m_lastReceived) / (t - m_lastTime)});
    }
    m_lastTime = t;
    m_lastSent = sent;
    m_lastReceived = received;
    trim(m_connections);
    trim(m_sentPerSecond);
    trim(m_receivedPerSecond);
    emit updated();
}

void MetricsHistory::clear()
{
    m_latest = {};
    m_connections.clear();
    m_sentPerSecond.clear();
    m_receivedPerSecond.clear();
    m_lastTime = -1;
    emit updated();
}

void MetricsHistory::trim(QList<QPointF> &series) const
{
    const double oldest = now() - m_windowSeconds;
    while (!series.isEmpty() && series.first().x() < oldest)
        series.removeFirst();
}

} // namespace herald::console
