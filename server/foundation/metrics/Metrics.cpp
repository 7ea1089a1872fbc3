#include "Metrics.h"

#include <QJsonArray>
#include <numeric>

namespace herald {

namespace {

template<typename Map> quint64 total(const Map &map)
{
    return std::accumulate(map.cbegin(), map.cend(), quint64(0));
}

template<typename Map> QJsonObject toJsonObject(const Map &map)
{
    QJsonObject object;
    for (auto it = map.cbegin(); it != map.cend(); ++it)
        object.insert(QVariant(it.key()).toString(), qint64(it.value()));
    return object;
}

QByteArray workerLabel(qsizetype worker)
{
    return "worker=\"" + QByteArray::number(worker) + '"';
}

// Prometheus wants the shortest form that reads back as the same double (0.0005, not 0.00050000000000000001)
// and "+Inf".
QByteArray number(double value)
{
    if (qIsInf(value))
        return value > 0 ? "+Inf" : "-Inf";
    if (qIsNaN(value))
        return "NaN";
    // Fixed notation where it stays short (0.0005, 1796156410.34, 16752640), exponents beyond.
    const double magnitude = qAbs(value);
    const bool fixed = magnitude == 0 || (magnitude >= 1e-6 && magnitude < 1e15);
    return QByteArray::number(value, fixed ? 'f' : 'g', QLocale::FloatingPointShortest);
}

// The labels each counter is known to take, shown at 0 before their first increment, so that a dashboard's
// rate() has a series from the start and an alert on an absent series is not needed.
const QStringList KnownRefusals{QStringLiteral("shutting_down"),
                                QStringLiteral("max_connections"),
                                QStringLiteral("max_connections_per_ip"),
                                QStringLiteral("unauthorized"),
                                QStringLiteral("forbidden_origin"),
                                QStringLiteral("invalid_channel"),
                                QStringLiteral("forbidden_channel"),
                                QStringLiteral("too_many_channels"),
                                QStringLiteral("bad_handshake"),
                                QStringLiteral("bad_request"),
                                QStringLiteral("headers_too_large"),
                                QStringLiteral("too_many_headers"),
                                QStringLiteral("body_too_large"),
                                QStringLiteral("header_timeout"),
                                QStringLiteral("body_timeout"),
                                QStringLiteral("unsupported_version"),
                                QStringLiteral("unsupported_transfer_encoding"),
                                QStringLiteral("expectation_failed")};
const QStringList KnownClientCloses{QStringLiteral("client_closed"),   QStringLiteral("ping_timeout"),
                                    QStringLiteral("server_shutdown"), QStringLiteral("server_full"),
                                    QStringLiteral("protocol_error"),  QStringLiteral("slow_consumer"),
                                    QStringLiteral("rate_limited")};
const QStringList KnownHttpCloses{
    QStringLiteral("client_closed"), QStringLiteral("closed_after_answer"), QStringLiteral("refused"),
    QStringLiteral("upgraded"),      QStringLiteral("idle_timeout"),        QStringLiteral("keepalive_timeout"),
    QStringLiteral("send_timeout"),  QStringLiteral("write_failed"),        QStringLiteral("shutdown")};
const QStringList KnownSources{QStringLiteral("api"), QStringLiteral("periodic"), QStringLiteral("console"),
                               QStringLiteral("backplane"), QStringLiteral("shutdown")};
const QStringList KnownAcceptErrors{QStringLiteral("descriptors_exhausted"), QStringLiteral("out_of_memory")};

QMap<QString, quint64> zeroFor(const QStringList &labels)
{
    QMap<QString, quint64> counts;
    for (const QString &label : labels)
        counts.insert(label, 0);
    return counts;
}

class Exposition
{
public:
    void header(const char *name, const char *type, const char *help)
    {
        m_text += QByteArray("# HELP ") + name + ' ' + help + "\n# TYPE " + name + ' ' + type + '\n';
    }
    void sample(const QByteArray &name, double value, const QByteArray &labels = {})
    {
        m_text += name;
        if (!labels.isEmpty())
            m_text += '{' + labels + '}';
        m_text += ' ' + number(value) + '\n';
    }
    template<typename Map>
    void labelled(const char *name, const char *type, const char *help, const char *label, const Map &map)
    {
        header(name, type, help);
        for (auto it = map.cbegin(); it != map.cend(); ++it)
            sample(name, double(it.value()), QByteArray(label) + "=\"" + QVariant(it.key()).toString().toUtf8() + '"');
    }
    void histogram(const char *name, const char *help, const Histogram &h)
    {
        header(name, "histogram", help);
        const QByteArray bucket = QByteArray(name) + "_bucket";
        for (qsizetype i = 0; i < h.upperBounds().size(); ++i)
            sample(bucket, double(h.cumulativeCount(i)), "le=\"" + number(h.upperBounds()[i]) + '"');
        sample(bucket, double(h.count()), "le=\"+Inf\"");
        sample(QByteArray(name) + "_sum", h.sum());
        sample(QByteArray(name) + "_count", double(h.count()));
    }
    QByteArray text() const { return m_text; }

private:
    QByteArray m_text;
};

} // namespace

Metrics::Metrics()
    : m_refused(zeroFor(KnownRefusals))
    , m_closed(zeroFor(KnownClientCloses))
    , m_broadcasts(zeroFor(KnownSources))
    , m_httpClosed(zeroFor(KnownHttpCloses))
    , m_acceptErrors(zeroFor(KnownAcceptErrors))
    , m_connectionDuration({1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 24 * 3600})
    , m_broadcastLatency({0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5})
{}

void Metrics::connectionOpened()
{
    const QMutexLocker lock(&m_mutex);
    ++m_connectionsTotal;
}

void Metrics::connectionRefused(const QString &reason)
{
    const QMutexLocker lock(&m_mutex);
    ++m_refused[reason];
}

void Metrics::clientError(const QString &code)
{
    const QMutexLocker lock(&m_mutex);
    ++m_clientErrors[code];
}

void Metrics::recoveryFinished(bool complete, int replayed)
{
    const QMutexLocker lock(&m_mutex);
    ++m_recoveries[complete ? QStringLiteral("complete") : QStringLiteral("incomplete")];
    m_replayed += quint64(replayed);
}

void Metrics::webhookOutcome(const QString &outcome)
{
    const QMutexLocker lock(&m_mutex);
    ++m_webhook[outcome];
}

void Metrics::httpRequest(int status)
{
    const QMutexLocker lock(&m_mutex);
    ++m_httpResponses[status];
}

void Metrics::httpConnectionClosed(const QString &reason)
{
    const QMutexLocker lock(&m_mutex);
    ++m_httpClosed[reason];
}

void Metrics::acceptFailed(const QString &reason)
{
    const QMutexLocker lock(&m_mutex);
    ++m_acceptErrors[reason];
}

void Metrics::connectionClosed(const QString &reason, double durationSeconds)
{
    const QMutexLocker lock(&m_mutex);
    ++m_closed[reason];
    m_connectionDuration.observe(durationSeconds);
    m_connectionDurationStats.observe(durationSeconds);
}

void Metrics::notificationBroadcast(const QString &source)
{
    const QMutexLocker lock(&m_mutex);
    ++m_broadcasts[source];
}

void Metrics::fanOutMeasured(double seconds)
{
    const QMutexLocker lock(&m_mutex);
    m_broadcastLatency.observe(seconds);
}

quint64 Metrics::connectionsTotal() const
{
    const QMutexLocker lock(&m_mutex);
    return m_connectionsTotal;
}

quint64 Metrics::refusedTotal() const
{
    const QMutexLocker lock(&m_mutex);
    return total(m_refused);
}

quint64 Metrics::notificationsTotal() const
{
    const QMutexLocker lock(&m_mutex);
    return total(m_broadcasts);
}

quint64 Metrics::errorsTotal() const
{
    const QMutexLocker lock(&m_mutex);
    return errorsTotalLocked();
}

quint64 Metrics::errorsTotalLocked() const
{
    quint64 httpErrors = 0;
    for (auto it = m_httpResponses.cbegin(); it != m_httpResponses.cend(); ++it)
        if (it.key() >= 400)
            httpErrors += it.value();
    return total(m_clientErrors) + httpErrors;
}

QJsonObject Metrics::toJson(const LiveFigures &live) const
{
    const QMutexLocker lock(&m_mutex);
    QJsonArray workers;
    for (qsizetype i = 0; i < live.workers.size(); ++i) {
        const WorkerFigures &worker = live.workers[i];
        workers.append(QJsonObject{{QStringLiteral("worker"), int(i)},
                                   {QStringLiteral("clients"), worker.clients},
                                   {QStringLiteral("messages_sent"), qint64(worker.traffic.messagesSent)},
                                   {QStringLiteral("messages_received"), qint64(worker.traffic.messagesReceived)},
                                   {QStringLiteral("bytes_sent"), qint64(worker.traffic.bytesSent)}});
    }
    const SampleStatistics &d = m_connectionDurationStats;
    return QJsonObject{
        {QStringLiteral("uptime_seconds"), live.uptimeSeconds},
        {QStringLiteral("connections"), QJsonObject{{QStringLiteral("active"), live.activeConnections},
                                                    {QStringLiteral("max"), live.maxConnections},
                                                    {QStringLiteral("total"), qint64(m_connectionsTotal)},
                                                    {QStringLiteral("refused"), qint64(total(m_refused))},
                                                    {QStringLiteral("refused_by_reason"), toJsonObject(m_refused)},
                                                    {QStringLiteral("closed_by_reason"), toJsonObject(m_closed)}}},
        {QStringLiteral("messages"),
         QJsonObject{{QStringLiteral("sent"), qint64(live.traffic.messagesSent)},
                     {QStringLiteral("received"), qint64(live.traffic.messagesReceived)},
                     {QStringLiteral("bytes_sent"), qint64(live.traffic.bytesSent)},
                     {QStringLiteral("bytes_received"), qint64(live.traffic.bytesReceived)}}},
        {QStringLiteral("notifications"), QJsonObject{{QStringLiteral("broadcast"), qint64(total(m_broadcasts))},
                                                      {QStringLiteral("by_source"), toJsonObject(m_broadcasts)}}},
        {QStringLiteral("errors"), QJsonObject{{QStringLiteral("total"), qint64(errorsTotalLocked())},
                                               {QStringLiteral("client_protocol"), toJsonObject(m_clientErrors)},
                                               {QStringLiteral("http_responses"), toJsonObject(m_httpResponses)}}},
        {QStringLiteral("http_connections"),
         QJsonObject{{QStringLiteral("closed_by_reason"), toJsonObject(m_httpClosed)},
                     {QStringLiteral("accept_errors_by_reason"), toJsonObject(m_acceptErrors)}}},
        {QStringLiteral("workers"), workers},
        {QStringLiteral("channels"), QJsonObject{{QStringLiteral("active"), live.channelsActive},
                                                 {QStringLiteral("subscriptions"), live.subscriptions}}},
        {QStringLiteral("undelivered_webhook"), toJsonObject(m_webhook)},
        {QStringLiteral("history"), QJsonObject{{QStringLiteral("streams"), live.history.streams},
                                                {QStringLiteral("notifications"), live.history.notifications},
                                                {QStringLiteral("bytes"), live.history.bytes},
                                                {QStringLiteral("recoveries"), toJsonObject(m_recoveries)},
                                                {QStringLiteral("replayed"), qint64(m_replayed)}}},
        {QStringLiteral("backplane"),
         live.backplane.isEmpty() ? QJsonObject{{QStringLiteral("enabled"), false}} : live.backplane},
        {QStringLiteral("connection_duration_seconds"), QJsonObject{{QStringLiteral("count"), qint64(d.count())},
                                                                    {QStringLiteral("min"), d.min()},
                                                                    {QStringLiteral("avg"), d.mean()},
                                                                    {QStringLiteral("max"), d.max()},
                                                                    {QStringLiteral("p50"), d.percentile(50)},
                                                                    {QStringLiteral("p90"), d.percentile(90)},
                                                                    {QStringLiteral("p99"), d.percentile(99)}}},
    };
}

QByteArray Metrics::toPrometheus(const LiveFigures &live) const
{
    const QMutexLocker lock(&m_mutex);
    Exposition out;
    if (live.backplane.value(QLatin1StringView("enabled")).toBool()) {
        const auto figure = [&](const char *key) { return live.backplane.value(QLatin1StringView(key)).toDouble(); };
        out.header("herald_backplane_up", "gauge", "1 while the Redis backplane is connected, 0 while degraded.");
        out.sample("herald_backplane_up", live.backplane.value(QLatin1StringView("state")).toString() == u"connected");
        out.header("herald_backplane_pending", "gauge", "Notifications waiting for Redis to come back.");
        out.sample("herald_backplane_pending", figure("pending"));
        out.header("herald_backplane_published_total", "counter", "Notifications this instance wrote to Redis.");
        out.sample("herald_backplane_published_total", figure("published"));
        out.header("herald_backplane_received_total", "counter", "Notifications from other instances delivered here.");
        out.sample("herald_backplane_received_total", figure("received"));
        out.header("herald_backplane_dropped_total", "counter",
                   "Notifications that reached local clients only (outbox full).");
        out.sample("herald_backplane_dropped_total", figure("dropped"));
        out.header("herald_backplane_missed_total", "counter",
                   "Notifications of other instances this one never read (gone from the stream before it got there).");
        out.sample("herald_backplane_missed_total", figure("missed"));
    }
    out.header("herald_uptime_seconds", "gauge", "Seconds since the server started.");
    out.sample("herald_uptime_seconds", live.uptimeSeconds);
    out.header("herald_connections_active", "gauge", "WebSocket clients connected now.");
    out.sample("herald_connections_active", live.activeConnections);
    out.header("herald_connections_max", "gauge", "Configured MAX_CONNECTIONS.");
    out.sample("herald_connections_max", live.maxConnections);
    out.header("herald_connections_total", "counter", "WebSocket clients accepted since start.");
    out.sample("herald_connections_total", double(m_connectionsTotal));
    out.labelled("herald_connections_refused_total", "counter",
                 "Connections and requests the front door refused (upgrades, limits, timeouts), by reason.", "reason",
                 m_refused);
    out.labelled("herald_connections_closed_total", "counter", "WebSocket clients gone, by reason.", "reason",
                 m_closed);
    out.header("herald_channels_active", "gauge", "Channels with at least one subscriber on this instance.");
    out.sample("herald_channels_active", live.channelsActive);
    out.header("herald_channel_subscriptions", "gauge", "Channel subscriptions of this instance's clients.");
    out.sample("herald_channel_subscriptions", live.subscriptions);
    out.header("herald_history_notifications", "gauge", "Notifications kept for reconnecting clients, every stream.");
    out.sample("herald_history_notifications", double(live.history.notifications));
    out.header("herald_history_bytes", "gauge", "Bytes of the notifications kept for reconnecting clients.");
    out.sample("herald_history_bytes", double(live.history.bytes));
    out.labelled("herald_recoveries_total", "counter",
                 "Reconnecting clients caught up, by whether every stream they named was whole.", "result",
                 m_recoveries);
    out.header("herald_recovery_replayed_total", "counter", "Notifications replayed to reconnecting clients.");
    out.sample("herald_recovery_replayed_total", double(m_replayed));
    out.labelled("herald_webhook_deliveries_total", "counter",
                 "Tries to tell the backend of unacknowledged users (UNDELIVERED_WEBHOOK_URL), by outcome.", "outcome",
                 m_webhook);
    out.header("herald_worker_connections_active", "gauge", "WebSocket clients connected now, by worker.");
    for (qsizetype i = 0; i < live.workers.size(); ++i)
        out.sample("herald_worker_connections_active", live.workers[i].clients, workerLabel(i));
    out.header("herald_worker_messages_sent_total", "counter", "WebSocket messages sent to clients, by worker.");
    for (qsizetype i = 0; i < live.workers.size(); ++i)
        out.sample("herald_worker_messages_sent_total", double(live.workers[i].traffic.messagesSent), workerLabel(i));
    out.header("herald_messages_sent_total", "counter", "WebSocket messages sent to clients.");
    out.sample("herald_messages_sent_total", double(live.traffic.messagesSent));
    out.header("herald_messages_received_total", "counter", "WebSocket messages received from clients.");
    out.sample("herald_messages_received_total", double(live.traffic.messagesReceived));
    out.header("herald_bytes_sent_total", "counter", "Payload bytes sent to WebSocket clients.");
    out.sample("herald_bytes_sent_total", double(live.traffic.bytesSent));
    out.header("herald_bytes_received_total", "counter", "Payload bytes received from WebSocket clients.");
    out.sample("herald_bytes_received_total", double(live.traffic.bytesReceived));
    out.labelled("herald_notifications_broadcast_total", "counter", "Notifications fanned out, by source.", "source",
                 m_broadcasts);
    out.labelled("herald_client_errors_total", "counter", "Client messages answered with an error, by code.", "code",
                 m_clientErrors);
    out.labelled("herald_http_responses_total", "counter", "HTTP answers, by status code.", "status", m_httpResponses);
    out.labelled("herald_http_connections_closed_total", "counter",
                 "Connections that left the front door (closed, or upgraded), by reason.", "reason", m_httpClosed);
    out.labelled("herald_accept_errors_total", "counter", "accept() failures, by reason.", "reason", m_acceptErrors);
    const ProcessFigures &process = live.process;
    out.header("process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.");
    out.sample("process_start_time_seconds", process.startTimeSeconds);
    out.header("process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.");
    out.sample("process_cpu_seconds_total", process.cpuSeconds);
    out.header("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
    out.sample("process_resident_memory_bytes", double(process.residentBytes));
    out.header("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.");
    out.sample("process_virtual_memory_bytes", double(process.virtualBytes));
    out.header("process_open_fds", "gauge", "Number of open file descriptors.");
    out.sample("process_open_fds", double(process.openDescriptors));
    out.header("process_max_fds", "gauge", "Maximum number of open file descriptors.");
    out.sample("process_max_fds", double(process.maxDescriptors));
    out.histogram("herald_connection_duration_seconds", "How long WebSocket clients stayed connected.",
                  m_connectionDuration);
    out.histogram("herald_broadcast_latency_seconds", "Time to hand one broadcast to every client's socket.",
                  m_broadcastLatency);
    return out.text();
}

} // namespace herald
