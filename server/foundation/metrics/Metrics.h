#pragma once

#include "Histogram.h"
#include "ProcessFigures.h"
#include "TrafficCounters.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QMutex>
#include <QString>

namespace herald {

// Figures that live elsewhere (the session registry, the clock) and are read at render time rather than
// mirrored into counters that could drift.
// One worker's share of the clients, for the per-worker figures.
struct WorkerFigures {
    int clients = 0;
    TrafficCounters traffic;
};

// What the history keeps now, over every stream.
struct HistoryFigures {
    qint64 streams = 0;
    qint64 notifications = 0;
    qint64 bytes = 0;
};

struct LiveFigures {
    int activeConnections = 0;
    int maxConnections = 0;
    double uptimeSeconds = 0;
    TrafficCounters traffic;
    QJsonObject backplane;  // RedisBackplane::statusJson(), empty without REDIS_URL
    int channelsActive = 0; // channels with a subscriber on this instance; never one label per channel
    int subscriptions = 0;
    HistoryFigures history;
    QList<WorkerFigures> workers;
    ProcessFigures process;
};

// Herald's counters and histograms, rendered as the /metrics JSON and the Prometheus text format. Every
// worker thread records into the same Metrics, so each call takes a lock; none is on a per-message path.
class Metrics
{
public:
    Metrics();

    void connectionOpened();
    // A connection or request the front door refused (an upgrade's admission, a limit, a timeout).
    void connectionRefused(const QString &reason);
    void connectionClosed(const QString &reason, double durationSeconds);
    // Once per notification, by whoever accepted it.
    void notificationBroadcast(const QString &source);
    // Once per worker and notification: the time that worker took to hand it to each of its clients' sockets.
    void fanOutMeasured(double seconds);
    void clientError(const QString &code);
    // A reconnecting client caught up: whether every stream it named was whole, and how many it was replayed.
    void recoveryFinished(bool complete, int replayed);
    // What became of one try to tell the application's backend of unacknowledged users (UndeliveredWebhook).
    void webhookOutcome(const QString &outcome);
    void httpRequest(int status);
    // An HTTP connection left the front door (closed, or upgraded to WebSocket).
    void httpConnectionClosed(const QString &reason);
    // accept() failed for this reason (descriptors exhausted, say).
    void acceptFailed(const QString &reason);

    quint64 connectionsTotal() const;
    quint64 refusedTotal() const;
    quint64 notificationsTotal() const;
    quint64 errorsTotal() const;

    QJsonObject toJson(const LiveFigures &live) const;
    QByteArray toPrometheus(const LiveFigures &live) const;

private:
    quint64 errorsTotalLocked() const;

    mutable QMutex m_mutex;
    quint64 m_connectionsTotal = 0;
    QMap<QString, quint64> m_refused;      // reason -> count
    QMap<QString, quint64> m_closed;       // reason -> count
    QMap<QString, quint64> m_broadcasts;   // source (api, periodic, console) -> count
    QMap<QString, quint64> m_clientErrors; // protocol error code -> count
    QMap<QString, quint64> m_recoveries;   // complete, incomplete -> count
    quint64 m_replayed = 0;
    QMap<QString, quint64> m_webhook;      // outcome -> count
    QMap<int, quint64> m_httpResponses;    // status -> count
    QMap<QString, quint64> m_httpClosed;   // reason -> count
    QMap<QString, quint64> m_acceptErrors; // reason -> count
    Histogram m_connectionDuration;
    SampleStatistics m_connectionDurationStats;
    Histogram m_broadcastLatency;
};

} // namespace herald
