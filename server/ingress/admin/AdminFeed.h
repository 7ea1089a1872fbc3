#pragma once

#include "metrics/TrafficCounters.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QSet>

class QTimer;

namespace herald {

class ServerStatus;
class ShutdownCoordinator;
class WorkerPool;
class Logger;
class Presence;
struct ClientPresence;
struct ClientReading;
struct WorkerReading;

// What an admin console watches, as JSON events (common/protocol/AdminProtocol.h), the same for the embedded
// console (signals) and a remote one (the /admin WebSocket). Client changes and log records are coalesced into a
// few events per second, and traffic travels as deltas shared by many clients, so 10,000 busy clients cost a
// console a few small events a second (docs/BENCHMARKS.md, "Admin feed"). snapshot() gives everything a newly
// attached console needs at once.
class AdminFeed : public QObject
{
    Q_OBJECT
public:
    AdminFeed(WorkerPool *workers, Presence *presence, const ShutdownCoordinator *shutdown, const ServerStatus *status,
              Logger *logger, QObject *parent = nullptr);

    // Numbers the clients it has not seen yet, so it is not const.
    QJsonObject snapshot();

    // The feed does work only while someone watches.
    void subscribe();
    void unsubscribe();

    // A receipt's counts changed (ReceiptBook::changed): told to the consoles at once.
    void receiptChanged(const QString &id, int sent, int acknowledged);

    static constexpr int TickMs = 500;
    static constexpr int MaxLogRecordsPerTick = 500;

signals:
    void eventReady(const QJsonObject &event);

private:
    // What the feed last told the consoles about one client.
    struct Known {
        qint64 number = 0;
        TrafficCounters traffic;
        qint64 roundTripMs = -1;
    };

    // Asks every worker for its clients (if they changed) without waiting; report() tells the consoles.
    void tick();
    void report(const QList<WorkerReading> &readings);
    QJsonObject clientRow(const ClientReading &client);
    // Another instance's client, as its newest presence snapshot has it: no traffic.
    QJsonObject remoteRow(const ClientPresence &client);
    // The other instances' clients that came and went since the last look, into added and removed.
    void diffRemote(QJsonArray *added, QJsonArray *removed);
    Known &knownFor(const ClientReading &client);
    QJsonObject shutdownEvent() const;

    WorkerPool *m_workers;
    Presence *m_presence;
    const ShutdownCoordinator *m_shutdown;
    const ServerStatus *m_status;
    Logger *m_logger;
    QTimer *m_timer;
    int m_subscribers = 0;
    int m_ticks = 0;
    bool m_collecting = false; // a tick's readings are on their way
    quint64 m_generation = 0;  // goes up when a snapshot or the last unsubscription makes readings on the way stale
    qint64 m_nextNumber = 1;
    QSet<QString> m_added;
    QSet<QString> m_removed;
    QHash<QString, Known> m_known;        // id -> what was last reported
    QHash<int, quint64> m_seenChanges;    // worker index -> its registry's changes() at the last tick
    QHash<QString, qint64> m_remoteKnown; // other instances' clients the consoles know: id -> feed number
    bool m_clusterChanged = false;
    QJsonArray m_logRecords;
    int m_droppedLogRecords = 0;
};

} // namespace herald
