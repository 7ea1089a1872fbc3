#pragma once

#include "metrics/Metrics.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>

namespace herald {

struct Config;
class Broker;
class Metrics;
class PeriodicNotifier;
class Presence;
class History;
class ShutdownCoordinator;
class WorkerPool;

// What the server reports about itself, read from its parts when asked: /health, /status, /metrics and the
// Prometheus text, and the figures the console's feed sends. One place, so the HTTP API and the admin feed
// never reach for the parts themselves.
class ServerStatus : public QObject
{
    Q_OBJECT
public:
    // config: the running settings (they change on SIGHUP), owned by the caller and outliving this.
    ServerStatus(const Config *config, WorkerPool *workers, Broker *broker, Presence *presence, const History *history,
                 PeriodicNotifier *periodic, ShutdownCoordinator *shutdown, Metrics *metrics,
                 const QElapsedTimer *uptime, QObject *parent = nullptr);

    // The port the server listens on, once it does (PORT=0 picks one).
    void setPort(quint16 port) { m_port = port; }

    int clientCount() const;
    double uptimeSeconds() const { return double(m_uptime->elapsed()) / 1000.0; }
    QJsonObject health() const;
    QJsonObject status() const;
    QJsonObject metrics() const;
    QByteArray prometheus() const;

private:
    LiveFigures liveFigures() const;

    const Config *m_config;
    WorkerPool *m_workers;
    Broker *m_broker;
    Presence *m_presence;
    const History *m_history;
    PeriodicNotifier *m_periodic;
    ShutdownCoordinator *m_shutdown;
    Metrics *m_metrics;
    const QElapsedTimer *m_uptime;
    quint16 m_port = 0;
};

} // namespace herald
