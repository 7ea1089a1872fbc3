#include "ServerStatus.h"

#include "history/History.h"

#include "config/Config.h"
#include "config/ConfigSchema.h"
#include "metrics/ProcessFigures.h"
#include "presence/Presence.h"
#include "publish/Broker.h"
#include "publish/PeriodicNotifier.h"
#include "shutdown/ShutdownCoordinator.h"
#include "workers/WorkerPool.h"

#include <QCoreApplication>

namespace herald {

namespace {
// A secret shows whether it is set, never what it is.
QJsonValue redacted(const QJsonValue &value)
{
    return value.toString().isEmpty() ? QStringLiteral("") : QStringLiteral("***");
}
} // namespace

ServerStatus::ServerStatus(const Config *config, WorkerPool *workers, Broker *broker, Presence *presence,
                           const History *history, PeriodicNotifier *periodic, ShutdownCoordinator *shutdown,
                           Metrics *metrics, const QElapsedTimer *uptime, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_workers(workers)
    , m_broker(broker)
    , m_presence(presence)
    , m_history(history)
    , m_periodic(periodic)
    , m_shutdown(shutdown)
    , m_metrics(metrics)
    , m_uptime(uptime)
{}

int ServerStatus::clientCount() const
{
    return m_workers->clientCount();
}

LiveFigures ServerStatus::liveFigures() const
{
    LiveFigures live;
    live.activeConnections = m_workers->clientCount();
    live.maxConnections = m_config->maxConnections;
    live.uptimeSeconds = uptimeSeconds();
    live.workers = m_workers->figures();
    for (const WorkerFigures &worker : std::as_const(live.workers))
        live.traffic += worker.traffic;
    live.backplane = m_broker->statusJson();
    std::tie(live.channelsActive, live.subscriptions) = m_presence->localSubscriptionTotals();
    live.history = m_history->figures();
    return live;
}

QJsonObject ServerStatus::health() const
{
    // Degraded still serves its own clients, so it stays in rotation (HTTP 200); shutting down does not.
    QString status = QStringLiteral("healthy");
    if (m_shutdown->state() != ShutdownCoordinator::State::Running)
        status = QStringLiteral("shutting_down");
    else if (!m_broker->reachesCluster())
        status = QStringLiteral("degraded");
    QJsonObject health{{QStringLiteral("status"), status},
                       {QStringLiteral("uptime_seconds"), uptimeSeconds()},
                       {QStringLiteral("connections"), m_workers->clientCount()},
                       {QStringLiteral("version"), QCoreApplication::applicationVersion()}};
    if (const QString cluster = m_broker->stateName(); !cluster.isEmpty())
        health.insert(QStringLiteral("backplane"), cluster);
    return health;
}

QJsonObject ServerStatus::status() const
{
    QJsonObject settings;
    for (const ConfigKey &key : configSchema())
        settings.insert(key.name, key.secret ? redacted(key.show(*m_config)) : key.show(*m_config));
    settings.insert(QStringLiteral("PORT"), m_port); // the bound port, which differs from PORT=0
    settings.insert(QStringLiteral("PROFILE"), profileName(m_config->profile));

    return {
        {QStringLiteral("service"), QStringLiteral("herald")},
        {QStringLiteral("version"), QCoreApplication::applicationVersion()},
        {QStringLiteral("uptime_seconds"), uptimeSeconds()},
        {QStringLiteral("connections"),
         QJsonObject{{QStringLiteral("active"), m_workers->clientCount()},
                     {QStringLiteral("max"), m_config->maxConnections},
                     {QStringLiteral("total"), qint64(m_metrics->connectionsTotal())},
                     {QStringLiteral("accepting"), m_shutdown->state() == ShutdownCoordinator::State::Running}}},
        {QStringLiteral("notification_service"),
         QJsonObject{{QStringLiteral("running"), m_periodic->isRunning()},
                     {QStringLiteral("interval_seconds"), m_periodic->intervalSeconds()},
                     {QStringLiteral("sequence"), qint64(m_periodic->sequence())}}},
        {QStringLiteral("shutdown"), QJsonObject{{QStringLiteral("state"), m_shutdown->stateName()},
                                                 {QStringLiteral("reason"), m_shutdown->reason()},
                                                 {QStringLiteral("seconds_left"), m_shutdown->secondsLeft()},
                                                 {QStringLiteral("timeout_seconds"), m_shutdown->timeoutSeconds()}}},
        {QStringLiteral("backplane"), m_broker->statusJson()},
        {QStringLiteral("config"), settings}};
}

QJsonObject ServerStatus::metrics() const
{
    return m_metrics->toJson(liveFigures());
}

QByteArray ServerStatus::prometheus() const
{
    // Only the Prometheus text has the process's own figures; reading them from /proc costs time in proportion to
    // the open descriptors, which the console's metrics event (twice a second) and GET /metrics need not pay.
    LiveFigures live = liveFigures();
    live.process = ProcessFigures::read();
    return m_metrics->toPrometheus(live);
}

} // namespace herald
