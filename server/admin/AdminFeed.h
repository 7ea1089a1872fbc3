#pragma once

#include "metrics/TrafficCounters.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QSet>

class QTimer;

namespace herald {

class Server;
class Logger;
class ClientSession;

// What an admin console watches, as JSON events, the same for the embedded console (signals) and a remote one
// (the /admin WebSocket). Client changes and log lines are coalesced into a few events per second, so 10,000
// busy clients never flood a console:
//   {"event":"clients","added":[row...],"removed":[id...],"updated":[[id,msgs_in,msgs_out,bytes_in,bytes_out,rtt_ms]...]}
// (updates are arrays: after a broadcast every row changes, and building 10,000 arrays costs a fifth of what
// 10,000 full objects do on the server's event loop; see docs/BENCHMARKS.md)
//   {"event":"metrics","metrics":{...same as GET /metrics...}}
//   {"event":"log","lines":[{"level":"INFO","line":"..."}...],"dropped":n}
//   {"event":"shutdown","state":"draining","remaining":n,"seconds_left":s,"timeout_seconds":t}
// snapshot() gives everything a newly attached console needs at once.
class AdminFeed : public QObject
{
    Q_OBJECT
public:
    AdminFeed(Server *server, Logger *logger, QObject *parent = nullptr);

    QJsonObject snapshot() const;
    static QJsonObject clientRow(const ClientSession *session);
    static QJsonArray statsRow(const ClientSession *session);

    // The feed does work only while someone watches.
    void subscribe();
    void unsubscribe();

    static constexpr int TickMs = 500;
    static constexpr int MaxLogLinesPerTick = 500;

signals:
    void eventReady(const QJsonObject &event);

private:
    void tick();
    QJsonObject shutdownEvent() const;

    Server *m_server;
    QTimer *m_timer;
    int m_subscribers = 0;
    int m_ticks = 0;
    QSet<QString> m_added;
    QSet<QString> m_removed;
    QHash<QString, QPair<TrafficCounters, qint64>> m_lastSent; // id -> traffic and round trip last reported
    QJsonArray m_logLines;
    int m_droppedLogLines = 0;
};

} // namespace herald
