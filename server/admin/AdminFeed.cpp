#include "AdminFeed.h"

#include "Server.h"
#include "config/ConfigSchema.h"
#include "logging/Logger.h"
#include "sessions/ClientSession.h"
#include "workers/WorkerPool.h"

#include <QTimer>

namespace herald {

namespace {
bool sameFigures(const QPair<TrafficCounters, qint64> &a, const QPair<TrafficCounters, qint64> &b)
{
    return a.first.messagesSent == b.first.messagesSent && a.first.messagesReceived == b.first.messagesReceived &&
           a.first.bytesSent == b.first.bytesSent && a.first.bytesReceived == b.first.bytesReceived &&
           a.second == b.second;
}
} // namespace

AdminFeed::AdminFeed(Server *server, Logger *logger, QObject *parent)
    : QObject(parent)
    , m_server(server)
    , m_timer(new QTimer(this))
{
    m_timer->setInterval(TickMs);
    connect(m_timer, &QTimer::timeout, this, &AdminFeed::tick);

    WorkerPool *workers = server->workers();
    connect(workers, &WorkerPool::clientAdded, this, [this](const QString &id) {
        // A worker's news can arrive after the client was already seen by a snapshot: that one is not news.
        if (m_subscribers > 0 && !m_lastSent.contains(id))
            m_added.insert(id);
    });
    connect(workers, &WorkerPool::clientRemoved, this, [this](const QString &id) {
        if (m_subscribers == 0)
            return;
        if (!m_added.remove(id)) // came and went within one tick: nobody needs to hear of it
            m_removed.insert(id);
        m_lastSent.remove(id);
    });
    connect(logger, &Logger::lineWritten, this, [this](LogLevel level, const QString &line) {
        if (m_subscribers == 0)
            return;
        if (m_logLines.size() >= MaxLogLinesPerTick) {
            ++m_droppedLogLines;
            return;
        }
        m_logLines.append(QJsonObject{{QStringLiteral("level"), logLevelName(level)}, {QStringLiteral("line"), line}});
    });
    ShutdownCoordinator *shutdown = server->shutdownCoordinator();
    const auto announceShutdown = [this] {
        if (m_subscribers > 0)
            emit eventReady(shutdownEvent());
    };
    connect(shutdown, &ShutdownCoordinator::stateChanged, this, announceShutdown);
    connect(shutdown, &ShutdownCoordinator::progress, this, announceShutdown);
}

QJsonObject AdminFeed::clientRow(const ClientSession *session)
{
    const TrafficCounters &traffic = session->traffic();
    return {{QStringLiteral("id"), session->id()},
            {QStringLiteral("remote"), session->remoteAddress()},
            {QStringLiteral("identity"), session->identity()},
            {QStringLiteral("connected_at"), session->connectedAt().toString(Qt::ISODateWithMs)},
            {QStringLiteral("messages_in"), qint64(traffic.messagesReceived)},
            {QStringLiteral("messages_out"), qint64(traffic.messagesSent)},
            {QStringLiteral("bytes_in"), qint64(traffic.bytesReceived)},
            {QStringLiteral("bytes_out"), qint64(traffic.bytesSent)},
            {QStringLiteral("rtt_ms"), session->lastRoundTripMs()},
            {QStringLiteral("state"), session->isOpen() ? QStringLiteral("open") : QStringLiteral("closing")}};
}

QJsonArray AdminFeed::statsRow(const ClientSession *session)
{
    const TrafficCounters &traffic = session->traffic();
    return {session->id(),
            qint64(traffic.messagesReceived),
            qint64(traffic.messagesSent),
            qint64(traffic.bytesReceived),
            qint64(traffic.bytesSent),
            session->lastRoundTripMs()};
}

QJsonObject AdminFeed::snapshot() const
{
    QJsonArray clients;
    m_server->workers()->forEachSession([&](const ClientSession *session) { clients.append(clientRow(session)); });
    return {{QStringLiteral("event"), QStringLiteral("snapshot")},
            {QStringLiteral("clients"), clients},
            {QStringLiteral("metrics"), m_server->metricsJson()},
            {QStringLiteral("status"), m_server->statusJson()},
            {QStringLiteral("shutdown"), shutdownEvent()}};
}

void AdminFeed::subscribe()
{
    if (m_subscribers++ == 0) {
        // Everyone present now is in the subscriber's snapshot; only later changes are news.
        m_server->workers()->forEachSession([this](const ClientSession *session) {
            m_lastSent.insert(session->id(), {session->traffic(), session->lastRoundTripMs()});
        });
        m_timer->start();
    }
}

void AdminFeed::unsubscribe()
{
    if (m_subscribers > 0 && --m_subscribers == 0) {
        m_timer->stop();
        m_added.clear();
        m_removed.clear();
        m_lastSent.clear();
        m_logLines = {};
        m_droppedLogLines = 0;
    }
}

QJsonObject AdminFeed::shutdownEvent() const
{
    const ShutdownCoordinator *shutdown = m_server->shutdownCoordinator();
    return {{QStringLiteral("event"), QStringLiteral("shutdown")},
            {QStringLiteral("state"), shutdown->stateName()},
            {QStringLiteral("reason"), shutdown->reason()},
            {QStringLiteral("remaining"), m_server->clientCount()},
            {QStringLiteral("seconds_left"), shutdown->secondsLeft()},
            {QStringLiteral("timeout_seconds"), shutdown->timeoutSeconds()}};
}

void AdminFeed::tick()
{
    QJsonArray added, removed, updated;
    for (const QString &id : std::as_const(m_removed))
        removed.append(id);
    // One pass over every worker's sessions (each in its own thread, while this one waits).
    m_server->workers()->forEachSession([&](const ClientSession *session) {
        if (m_added.contains(session->id())) {
            added.append(clientRow(session));
            m_lastSent.insert(session->id(), {session->traffic(), session->lastRoundTripMs()});
            return;
        }
        const QPair<TrafficCounters, qint64> now{session->traffic(), session->lastRoundTripMs()};
        auto last = m_lastSent.find(session->id());
        if (last == m_lastSent.end())
            return; // its worker's clientAdded is still on the way: it is announced next tick
        if (!sameFigures(*last, now)) {
            updated.append(statsRow(session));
            *last = now;
        }
    });
    m_added.clear();
    m_removed.clear();
    if (!added.isEmpty() || !removed.isEmpty() || !updated.isEmpty())
        emit eventReady({{QStringLiteral("event"), QStringLiteral("clients")},
                         {QStringLiteral("added"), added},
                         {QStringLiteral("removed"), removed},
                         {QStringLiteral("updated"), updated}});
    if (!m_logLines.isEmpty() || m_droppedLogLines > 0) {
        emit eventReady({{QStringLiteral("event"), QStringLiteral("log")},
                         {QStringLiteral("lines"), m_logLines},
                         {QStringLiteral("dropped"), m_droppedLogLines}});
        m_logLines = {};
        m_droppedLogLines = 0;
    }
    if (++m_ticks % 2 == 0) // metrics once a second
        emit eventReady({{QStringLiteral("event"), QStringLiteral("metrics")},
                         {QStringLiteral("metrics"), m_server->metricsJson()}});
}

} // namespace herald
