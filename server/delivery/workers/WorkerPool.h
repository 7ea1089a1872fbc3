#pragma once

#include "metrics/Metrics.h"
#include "sessions/ClientCensus.h"
#include "websocket/UpgradedSocket.h"

#include <QList>
#include <QObject>
#include <QStringList>
#include <functional>
#include <memory>
#include <vector>

class QElapsedTimer;
class QThread;

namespace herald {

class ClientSession;
class History;
class Logger;
class Worker;
struct Audience;
struct TextFrame;
struct Config;
enum class DisconnectReason;

// The event loops that serve WebSocket clients: worker 0 in the thread that creates the pool (the main
// thread), every other one in a QThread of its own. The main thread's front door accepts every connection
// (HTTP, the upgrade, admission) and hands each client to the worker with the fewest; from then on the client's reads,
// writes, pings and fan-out happen in that worker's thread. Work for all workers is posted to each in the
// order it is given, so every client sees broadcasts in the same order.
class WorkerPool : public QObject
{
    Q_OBJECT
public:
    // history: what reconnecting clients recover from; it outlives the pool.
    WorkerPool(const Config &config, History *history, Metrics *metrics, Logger *logger, const QElapsedTimer *uptime,
               QObject *parent = nullptr);
    ~WorkerPool() override;

    int count() const { return int(m_workers.size()); }
    int clientCount() const { return m_census.total(); }
    const ClientCensus &census() const { return m_census; }

    // Hands a new client, just upgraded by the front door, to the worker with the fewest; it counts from now
    // on. The worker adopts it on its next loop turn, in its own thread. identity: who the client's token says
    // it is (empty without CLIENT_JWT_SECRET).
    void assign(UpgradedSocket socket, const ClientGrant &grant = {});

    // Sends to audience in every worker and returns how many it went to. To everyone it does not wait for the
    // other threads (the count is exact for worker 0, the workers' counts at posting time for the others); to
    // channels, users or connections it asks each worker in turn, since only the worker knows its share.
    // offset: the frame's place in the stream audience is, 0 for none (see Worker::deliver).
    int deliver(const TextFrame &frame, const Audience &audience, quint64 offset = 0);
    // How many of this instance's clients are in audience now (asking each worker, except for everyone).
    int audienceSize(const Audience &audience) const;
    void closeAll(quint16 code, const QString &reason, herald::DisconnectReason why);
    void abortAll(herald::DisconnectReason why);
    void startKeepAlive();
    void stopKeepAlive();

    // Runs function once per worker, in that worker's thread, and returns when every worker has run it. The
    // calls happen one after another while the caller waits, so function may use the caller's data freely.
    // Worker threads never wait for the main thread, so this cannot deadlock.
    void forEachWorker(const std::function<void(Worker *)> &function) const;
    void forEachSession(const std::function<void(const ClientSession *)> &function) const;
    // Each worker's count and traffic as it last published them (at most a tenth of a second old), read
    // without waiting for any worker thread.
    QList<WorkerFigures> figures() const;

    // Joins the worker threads; their clients are dropped. Called before the server's shared parts go.
    void stop();

signals:
    void clientAdded(const QString &clientId);
    void clientRemoved(const QString &clientId, const QString &reason);
    void countChanged(int clients);
    // A client acknowledged a notification; in this (the pool's) thread.
    void acknowledged(const QString &notificationId, const QString &clientId, const QString &user);

protected:
    bool event(QEvent *event) override; // an AdoptionEvent on its way to another thread's worker

private:
    // Queues function for every worker thread first, then runs it for worker 0 here, so the main thread's own
    // fan-out does not delay the others'.
    void postToEach(const std::function<void(Worker *)> &function);

    ClientCensus m_census;
    std::vector<std::unique_ptr<PublishedFigures>> m_figures; // one per worker, written by it
    QList<Worker *> m_workers;
    QList<QThread *> m_threads;
};

} // namespace herald
