#pragma once

#include "metrics/Metrics.h"
#include "sessions/ClientCensus.h"
#include "stream/UpgradedSocket.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <functional>
#include <memory>
#include <vector>

class QElapsedTimer;

namespace herald {

class ClientDirectory;
class ClientSession;
class History;
class Logger;
class Worker;
struct Audience;
class EncodedMessage;
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

    // Sends to audience in every worker that serves some of it and returns how many it went to, without waiting
    // for any worker thread: to everyone the count is the census's, to channels, users or connections the
    // directory's (exact for worker 0, as the others last reported for them).
    // offset: the frame's place in the stream audience is, 0 for none (see Worker::deliver).
    int deliver(const EncodedMessage &frame, const Audience &audience, quint64 offset = 0);
    // How many of this instance's clients are in audience now.
    int audienceSize(const Audience &audience) const;
    // Every client of this instance as the pool's thread knows it (see ClientDirectory), and the signals of
    // their coming and going.
    const ClientDirectory *directory() const { return m_directory; }
    void closeAll(quint16 code, const QString &reason, herald::DisconnectReason why);
    // The same for the event-stream clients only, which cannot be asked to leave: they only listen.
    void closeEventStreams(quint16 code, const QString &reason, herald::DisconnectReason why);
    void abortAll(herald::DisconnectReason why);
    void startKeepAlive();
    void stopKeepAlive();

    // Runs function once per worker, in that worker's thread, and returns when every worker has run it. The
    // calls happen one after another while the caller waits, so function may use the caller's data freely.
    // Worker threads never wait for the main thread, so this cannot deadlock. Only a console's attachment waits
    // like this (AdminFeed::snapshot()); everything periodic uses collect().
    void forEachWorker(const std::function<void(Worker *)> &function) const;
    void forEachSession(const std::function<void(const ClientSession *)> &function) const;
    // Runs read once per worker, in that worker's thread, without waiting for any; once all have answered, calls
    // done with the answers in worker order. context lives in the pool's thread; nothing is called if it is gone
    // by then. A worker whose thread has stopped answers with T().
    template<typename T>
    void collect(std::function<T(Worker *)> read, QObject *context, std::function<void(QList<T>)> done) const;
    // Each worker's count and traffic as it last published them (at most a tenth of a second old), read
    // without waiting for any worker thread.
    QList<WorkerFigures> figures() const;

    // Joins the worker threads; their clients are dropped. Called before the server's shared parts go.
    void stop();

signals:
    void countChanged(int clients);
    // A client acknowledged a notification; in this (the pool's) thread.
    void acknowledged(const QString &notificationId, const QString &clientId, const QString &user);

protected:
    bool event(QEvent *event) override; // an AdoptionEvent on its way to another thread's worker

private:
    // Queues function for every worker thread first, then runs it for worker 0 here, so the main thread's own
    // fan-out does not delay the others'.
    void postToEach(const std::function<void(Worker *)> &function);
    // For collect(), which cannot see Worker: whether worker i runs in this thread, whether its thread runs, and
    // a call queued for its thread.
    bool runsHere(int i) const;
    bool isRunning(int i) const;
    void postTo(int i, std::function<void()> call) const;

    ClientCensus m_census;
    ClientDirectory *m_directory;
    std::vector<std::unique_ptr<PublishedFigures>> m_figures; // one per worker, written by it
    QList<Worker *> m_workers;
    QList<QThread *> m_threads;
};

template<typename T>
void WorkerPool::collect(std::function<T(Worker *)> read, QObject *context, std::function<void(QList<T>)> done) const
{
    struct Collection {
        QList<T> answers;
        int pending = 0;
        std::function<void(QList<T>)> done;
    };
    auto collection = std::make_shared<Collection>();
    collection->answers.resize(m_workers.size());
    collection->pending = int(m_workers.size());
    collection->done = std::move(done);
    const auto answered = [collection](int index, T answer) {
        collection->answers[index] = std::move(answer);
        if (--collection->pending == 0)
            collection->done(std::move(collection->answers));
    };
    // The answers come back through the pool, which outlives its worker threads; context is looked at only in
    // its own thread, the pool's.
    Q_ASSERT(context->thread() == thread());
    const QPointer<QObject> receiver(context);
    auto *pool = const_cast<WorkerPool *>(this);
    for (int i = 0; i < count(); ++i) {
        if (runsHere(i) || !isRunning(i))
            continue;
        Worker *worker = m_workers[i];
        postTo(i, [pool, worker, i, read, receiver, answered] {
            QMetaObject::invokeMethod(pool, [i, answer = read(worker), receiver, answered]() mutable {
                if (receiver)
                    answered(i, std::move(answer));
            });
        });
    }
    for (int i = 0; i < count(); ++i) {
        if (runsHere(i))
            answered(i, read(m_workers[i]));
        else if (!isRunning(i))
            answered(i, T());
    }
}

} // namespace herald
