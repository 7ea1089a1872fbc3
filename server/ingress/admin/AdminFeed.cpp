#include "AdminFeed.h"

#include "logging/Logger.h"
#include "presence/Presence.h"
#include "protocol/AdminProtocol.h"
#include "sessions/ClientReading.h"
#include "sessions/ClientSession.h"
#include "sessions/SessionRegistry.h"
#include "shutdown/ShutdownCoordinator.h"
#include "status/ServerStatus.h"
#include "workers/ClientDirectory.h"
#include "workers/Worker.h"
#include "workers/WorkerPool.h"

#include <QTimer>
#include <algorithm>
#include <array>

namespace herald {

namespace {

using Delta = std::array<qint64, 4>; // messages in, messages out, bytes in, bytes out

Delta deltaBetween(const TrafficCounters &before, const TrafficCounters &now)
{
    return {qint64(now.messagesReceived - before.messagesReceived), qint64(now.messagesSent - before.messagesSent),
            qint64(now.bytesReceived - before.bytesReceived), qint64(now.bytesSent - before.bytesSent)};
}

bool isZero(const Delta &delta)
{
    return delta == Delta{0, 0, 0, 0};
}

// One group of the "deltas" list being built: the clients, in feed-number order, that changed by the same amount.
struct DeltaGroup {
    Delta by;
    QJsonArray ranges; // first, last, first, last...
    qint64 lastNumber = 0;
};

} // namespace

AdminFeed::AdminFeed(WorkerPool *workers, Presence *presence, const ShutdownCoordinator *shutdown,
                     const ServerStatus *status, Logger *logger, QObject *parent)
    : QObject(parent)
    , m_workers(workers)
    , m_presence(presence)
    , m_shutdown(shutdown)
    , m_status(status)
    , m_logger(logger)
    , m_timer(new QTimer(this))
{
    m_timer->setInterval(TickMs);
    connect(m_timer, &QTimer::timeout, this, &AdminFeed::tick);
    connect(presence, &Presence::clusterChanged, this, [this] { m_clusterChanged = true; });

    connect(workers->directory(), &ClientDirectory::clientAdded, this, [this](const QString &id) {
        // A worker's news can arrive after the client was already seen by a snapshot: that one is not news.
        if (m_subscribers > 0 && !m_known.contains(id))
            m_added.insert(id);
    });
    connect(workers->directory(), &ClientDirectory::clientRemoved, this, [this](const QString &id) {
        if (m_subscribers == 0)
            return;
        if (!m_added.remove(id) && m_known.remove(id)) // came and went within one tick: nobody needs to hear of it
            m_removed.insert(id);
    });
    const auto announceShutdown = [this] {
        if (m_subscribers > 0)
            emit eventReady(shutdownEvent());
    };
    connect(shutdown, &ShutdownCoordinator::stateChanged, this, announceShutdown);
    connect(shutdown, &ShutdownCoordinator::progress, this, announceShutdown);
    // The last figures (no clients left) before the consoles are closed, so none keeps showing the old ones.
    connect(shutdown, &ShutdownCoordinator::finished, this, [this] {
        if (m_subscribers > 0)
            emit eventReady({{admin::key::Event, admin::event::Metrics}, {admin::key::Metrics, m_status->metrics()}});
    });
}

AdminFeed::Known &AdminFeed::knownFor(const ClientReading &client)
{
    auto known = m_known.find(client.id);
    if (known == m_known.end())
        known = m_known.insert(client.id, {m_nextNumber++, client.traffic, client.roundTripMs});
    return *known;
}

QJsonObject AdminFeed::clientRow(const ClientReading &client)
{
    Known &known = knownFor(client);
    known.traffic = client.traffic;
    known.roundTripMs = client.roundTripMs;
    const TrafficCounters &traffic = known.traffic;
    return {{admin::key::Number, known.number},
            {admin::key::Id, client.id},
            {admin::key::Remote, client.remote},
            {admin::key::Identity, client.identity},
            {admin::key::Transport, client.transport},
            {admin::key::ConnectedAt, client.connectedAt.toString(Qt::ISODateWithMs)},
            {admin::key::MessagesIn, qint64(traffic.messagesReceived)},
            {admin::key::MessagesOut, qint64(traffic.messagesSent)},
            {admin::key::BytesIn, qint64(traffic.bytesReceived)},
            {admin::key::BytesOut, qint64(traffic.bytesSent)},
            {admin::key::RoundTripMs, known.roundTripMs},
            {admin::key::State, client.open ? admin::state::Open : admin::state::Closing},
            {admin::key::Instance, m_presence->instanceName()}};
}

QJsonObject AdminFeed::remoteRow(const ClientPresence &client)
{
    qint64 &number = m_remoteKnown[client.clientId];
    if (number == 0)
        number = m_nextNumber++;
    return {{admin::key::Number, number},
            {admin::key::Id, client.clientId},
            {admin::key::Remote, client.remote},
            {admin::key::Identity, client.user},
            {admin::key::ConnectedAt, client.connectedAt.toString(Qt::ISODateWithMs)},
            {admin::key::State, admin::state::Open},
            {admin::key::Instance, client.instance},
            {admin::key::HasTraffic, false}};
}

void AdminFeed::diffRemote(QJsonArray *added, QJsonArray *removed)
{
    QSet<QString> present;
    for (const ClientPresence &client : m_presence->remoteClients()) {
        present.insert(client.clientId);
        if (!m_remoteKnown.contains(client.clientId))
            added->append(remoteRow(client));
    }
    for (auto it = m_remoteKnown.begin(); it != m_remoteKnown.end();) {
        if (present.contains(it.key())) {
            ++it;
        } else {
            removed->append(it.key());
            it = m_remoteKnown.erase(it);
        }
    }
}

QJsonObject AdminFeed::snapshot()
{
    // Answered at once, so the one time a console attaches it waits for each worker in turn; the readings of a
    // tick still on their way predate it and are dropped.
    ++m_generation;
    QJsonArray clients;
    m_workers->forEachSession(
        [&](const ClientSession *session) { clients.append(clientRow(ClientReading::of(*session))); });
    for (const ClientPresence &client : m_presence->remoteClients())
        clients.append(remoteRow(client));
    if (m_subscribers == 0) { // nobody follows up on it with changes
        m_known.clear();
        m_remoteKnown.clear();
    }
    return {{admin::key::Event, admin::event::Snapshot},
            {admin::key::Clients, clients},
            {admin::key::Metrics, m_status->metrics()},
            {admin::key::Status, m_status->status()},
            {admin::key::Shutdown, shutdownEvent()}};
}

void AdminFeed::receiptChanged(const QString &id, int sent, int acknowledged)
{
    if (m_subscribers > 0)
        emit eventReady({{admin::key::Event, admin::event::Receipt},
                         {admin::key::Id, id},
                         {admin::key::Sent, sent},
                         {admin::key::Acknowledged, acknowledged}});
}

void AdminFeed::subscribe()
{
    if (m_subscribers++ > 0)
        return;
    // Everyone present now is in the subscriber's snapshot; only later changes are news.
    m_workers->forEachSession([this](const ClientSession *session) { knownFor(ClientReading::of(*session)); });
    for (const ClientPresence &client : m_presence->remoteClients())
        remoteRow(client);
    m_seenChanges.clear();
    connect(m_logger, &Logger::recordWritten, this, [this](const QJsonObject &record) {
        if (m_logRecords.size() >= MaxLogRecordsPerTick)
            ++m_droppedLogRecords;
        else
            m_logRecords.append(record);
    });
    m_timer->start();
}

void AdminFeed::unsubscribe()
{
    if (m_subscribers == 0 || --m_subscribers > 0)
        return;
    m_timer->stop();
    ++m_generation;
    disconnect(m_logger, &Logger::recordWritten, this, nullptr);
    m_added.clear();
    m_removed.clear();
    m_known.clear();
    m_remoteKnown.clear();
    m_logRecords = {};
    m_droppedLogRecords = 0;
}

QJsonObject AdminFeed::shutdownEvent() const
{
    const ShutdownCoordinator *shutdown = m_shutdown;
    return {{admin::key::Event, admin::event::Shutdown},
            {admin::key::State, shutdown->stateName()},
            {admin::key::Step, shutdown->step()},
            {admin::key::Reason, shutdown->reason()},
            {admin::key::Remaining, m_status->clientCount()},
            {admin::key::ClientsAtStart, shutdown->clientsAtStart()},
            {admin::key::SecondsLeft, shutdown->secondsLeft()},
            {admin::key::TimeoutSeconds, shutdown->timeoutSeconds()}};
}

void AdminFeed::tick()
{
    // Logs and metrics are the feed's own: they do not wait for the workers.
    if (!m_logRecords.isEmpty() || m_droppedLogRecords > 0) {
        emit eventReady({{admin::key::Event, admin::event::Log},
                         {admin::key::Records, m_logRecords},
                         {admin::key::Dropped, m_droppedLogRecords}});
        m_logRecords = {};
        m_droppedLogRecords = 0;
    }
    if (++m_ticks % 2 == 0) // metrics once a second
        emit eventReady({{admin::key::Event, admin::event::Metrics}, {admin::key::Metrics, m_status->metrics()}});
    if (m_collecting)
        return; // the last tick's readings are still on their way (a worker is busy): this one waits for them
    m_collecting = true;
    const quint64 generation = m_generation;
    // A worker whose clients did not change since the last tick reads nothing, however many it holds; one that
    // may hold an arrival not yet announced is read anyway.
    const bool arrivals = !m_added.isEmpty();
    const QHash<int, quint64> seen = m_seenChanges;
    m_workers->collect<WorkerReading>(
        [seen, arrivals](Worker *worker) {
            const SessionRegistry *sessions = worker->sessions();
            WorkerReading reading;
            reading.changes = sessions->changes();
            if (reading.changes == seen.value(worker->index()) && !arrivals)
                return reading;
            reading.read = true;
            reading.clients.reserve(sessions->count());
            sessions->forEach(
                [&](const ClientSession *session) { reading.clients.append(ClientReading::of(*session)); });
            return reading;
        },
        this,
        [this, generation](const QList<WorkerReading> &readings) {
            m_collecting = false;
            if (generation == m_generation)
                report(readings);
        });
}

void AdminFeed::report(const QList<WorkerReading> &readings)
{
    QJsonArray added, removed, roundTrips;
    for (const QString &id : std::as_const(m_removed))
        removed.append(id);
    m_removed.clear();

    // Notes who changed by how much; then, in feed-number order, runs of clients with equal deltas become ranges
    // of one group.
    struct Change {
        qint64 number;
        Delta delta;
    };
    QList<Change> changes;
    for (int worker = 0; worker < readings.size(); ++worker) {
        const WorkerReading &reading = readings[worker];
        if (!reading.read)
            continue;
        m_seenChanges[worker] = reading.changes;
        for (const ClientReading &client : reading.clients) {
            if (m_added.remove(client.id)) {
                added.append(clientRow(client));
                continue;
            }
            auto known = m_known.find(client.id);
            if (known == m_known.end())
                continue; // gone since it was read, or its arrival is still on the way: announced next tick
            changes.append({known->number, deltaBetween(known->traffic, client.traffic)});
            known->traffic = client.traffic;
            if (client.roundTripMs != known->roundTripMs) {
                known->roundTripMs = client.roundTripMs;
                roundTrips.append(known->number);
                roundTrips.append(known->roundTripMs);
            }
        }
    }
    // Arrivals the readings did not hold yet stay in m_added for the next tick.
    if (m_clusterChanged) {
        m_clusterChanged = false;
        diffRemote(&added, &removed);
    }

    std::sort(changes.begin(), changes.end(), [](const Change &a, const Change &b) { return a.number < b.number; });
    QList<DeltaGroup> groups;
    int previousGroup = -1; // the group of the client just before, in number order; -1: it did not change
    for (const Change &change : std::as_const(changes)) {
        if (isZero(change.delta)) {
            previousGroup = -1;
            continue;
        }
        if (previousGroup >= 0 && groups[previousGroup].by == change.delta) {
            DeltaGroup &group = groups[previousGroup];
            group.ranges[group.ranges.size() - 1] = change.number; // extends the group's last range
            continue;
        }
        const auto same = std::find_if(groups.begin(), groups.end(),
                                       [&](const DeltaGroup &group) { return group.by == change.delta; });
        previousGroup = same != groups.end() ? int(same - groups.begin()) : int(groups.size());
        if (same == groups.end())
            groups.append({change.delta, {}, 0});
        groups[previousGroup].ranges.append(change.number);
        groups[previousGroup].ranges.append(change.number);
    }
    QJsonArray deltas;
    for (const DeltaGroup &group : std::as_const(groups))
        deltas.append(QJsonObject{{admin::key::By, QJsonArray{group.by[0], group.by[1], group.by[2], group.by[3]}},
                                  {admin::key::Ranges, group.ranges}});

    if (!added.isEmpty() || !removed.isEmpty() || !deltas.isEmpty() || !roundTrips.isEmpty())
        emit eventReady({{admin::key::Event, admin::event::Clients},
                         {admin::key::Added, added},
                         {admin::key::Removed, removed},
                         {admin::key::Deltas, deltas},
                         {admin::key::RoundTrips, roundTrips}});
}

} // namespace herald
