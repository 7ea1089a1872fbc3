#pragma once

#include "Histogram.h"
#include "TrafficCounters.h"

#include <QByteArray>
#include <QJsonObject>
#include <QMap>
#include <QString>

namespace herald {

// Figures that live elsewhere (the session registry, the clock) and are read at render time rather than
// mirrored into counters that could drift.
struct LiveFigures {
    int activeConnections = 0;
    int maxConnections = 0;
    double uptimeSeconds = 0;
    TrafficCounters traffic;
    QJsonObject backplane; // RedisBackplane::statusJson(), empty without REDIS_URL
};

// Herald's counters and histograms, rendered as the /metrics JSON and the Prometheus text format.
class Metrics
{
public:
    Metrics();

    void connectionOpened() { ++m_connectionsTotal; }
    void connectionRefused(const QString &reason) { ++m_refused[reason]; }
    void connectionClosed(const QString &reason, double durationSeconds);
    void notificationBroadcast(const QString &source, double fanOutSeconds);
    void clientError(const QString &code) { ++m_clientErrors[code]; }
    void httpRequest(int status) { ++m_httpResponses[status]; }

    quint64 connectionsTotal() const { return m_connectionsTotal; }
    quint64 refusedTotal() const;
    quint64 notificationsTotal() const;
    quint64 errorsTotal() const;

    QJsonObject toJson(const LiveFigures &live) const;
    QByteArray toPrometheus(const LiveFigures &live) const;

private:
    quint64 m_connectionsTotal = 0;
    QMap<QString, quint64> m_refused;      // reason -> count
    QMap<QString, quint64> m_closed;       // reason -> count
    QMap<QString, quint64> m_broadcasts;   // source (api, periodic, console) -> count
    QMap<QString, quint64> m_clientErrors; // protocol error code -> count
    QMap<int, quint64> m_httpResponses;    // status -> count
    Histogram m_connectionDuration;
    SampleStatistics m_connectionDurationStats;
    Histogram m_broadcastLatency;
};

} // namespace herald
