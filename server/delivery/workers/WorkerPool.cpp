#include "WorkerPool.h"

#include "AdoptionEvent.h"
#include "ClientDirectory.h"
#include "Worker.h"
#include "config/Config.h"
#include "eventloop/EpollEventDispatcher.h"
#include "notification/Audience.h"
#include "sessions/SessionRegistry.h"
#include "stream/EncodedMessage.h"

#include <QCoreApplication>
#include <QThread>

namespace herald {

WorkerPool::WorkerPool(const Config &config, History *history, Metrics *metrics, Logger *logger,
                       const QElapsedTimer *uptime, QObject *parent)
    : QObject(parent)
    , m_census(config.workers)
    , m_directory(new ClientDirectory(config.workers, this))
{
    const ClientRules rules{config.pingIntervalSeconds,
                            config.pingTimeoutSeconds,
                            ConnectionLimits{config.maxMessageBytes, config.maxQueuedBytes, config.maxQueuedMessages,
                                             double(config.maxClientMessageRate), config.compressionMinBytes},
                            config.maxChannelsPerClient,
                            config.publicChannels,
                            config.recoveryLimit};
    for (int i = 0; i < config.workers; ++i) {
        m_figures.push_back(std::make_unique<PublishedFigures>());
        auto *worker =
            new Worker(i, rules, history, &m_census, m_directory, metrics, logger, uptime, m_figures.back().get());
        if (i == 0) {
            worker->setParent(this);
        } else {
            auto *thread = new QThread(this);
            thread->setObjectName(QStringLiteral("herald-worker-%1").arg(i));
            if (QAbstractEventDispatcher *dispatcher = createClientEventDispatcher())
                thread->setEventDispatcher(dispatcher); // the thread takes ownership
            worker->moveToThread(thread);
            // The documented way to destroy an object in its own thread once that thread's loop is over.
            connect(thread, &QThread::finished, worker, &QObject::deleteLater);
            m_threads.append(thread);
            thread->start();
        }
        connect(worker, &Worker::acknowledged, this, &WorkerPool::acknowledged);
        m_workers.append(worker);
    }
    connect(m_directory, &ClientDirectory::clientRemoved, this, [this] { emit countChanged(m_census.total()); });
}

WorkerPool::~WorkerPool()
{
    stop();
}

void WorkerPool::stop()
{
    for (QThread *thread : std::as_const(m_threads)) {
        thread->quit();
        thread->wait();
    }
}

void WorkerPool::assign(UpgradedSocket socket, const ClientGrant &grant)
{
    const int index = m_census.leastBusy();
    Worker *worker = m_workers[index];
    m_census.admitted(index, UpgradedSocket::addressOf(socket.peer));
    socket.grant = grant;
    // This runs inside the front door's read of the upgrade request: the stream goes to its worker from a fresh
    // turn of the loop (see AdoptionEvent). Worker 0, in this thread, takes it straight from that turn.
    QObject *firstStop = worker->thread() == thread() ? static_cast<QObject *>(worker) : this;
    QCoreApplication::postEvent(firstStop, new AdoptionEvent(std::move(socket), worker), Qt::HighEventPriority);
}

bool WorkerPool::event(QEvent *event)
{
    if (event->type() != registeredEventType<AdoptionEvent>())
        return QObject::event(event);
    auto *adoption = static_cast<AdoptionEvent *>(event);
    Worker *worker = adoption->worker();
    UpgradedSocket socket = adoption->take();
    if (socket.stream)
        socket.stream->moveToThread(worker->thread());
    QCoreApplication::postEvent(worker, new AdoptionEvent(std::move(socket), worker), Qt::HighEventPriority);
    return true;
}

void WorkerPool::postToEach(const std::function<void(Worker *)> &function)
{
    for (Worker *worker : std::as_const(m_workers)) {
        if (worker->thread() != thread())
            QMetaObject::invokeMethod(worker, [worker, function] { function(worker); });
    }
    for (Worker *worker : std::as_const(m_workers)) {
        if (worker->thread() == thread())
            function(worker);
    }
}

bool WorkerPool::runsHere(int i) const
{
    return m_workers[i]->thread() == thread();
}

bool WorkerPool::isRunning(int i) const
{
    return runsHere(i) || m_workers[i]->thread()->isRunning();
}

void WorkerPool::postTo(int i, std::function<void()> call) const
{
    QMetaObject::invokeMethod(m_workers[i], std::move(call));
}

void WorkerPool::forEachWorker(const std::function<void(Worker *)> &function) const
{
    for (Worker *worker : m_workers) {
        if (worker->thread() == thread())
            function(worker);
        else if (worker->thread()->isRunning())
            QMetaObject::invokeMethod(
                worker, [worker, &function] { function(worker); }, Qt::BlockingQueuedConnection);
    }
}

void WorkerPool::forEachSession(const std::function<void(const ClientSession *)> &function) const
{
    forEachWorker([&function](Worker *worker) { worker->sessions()->forEach(function); });
}

QList<WorkerFigures> WorkerPool::figures() const
{
    QList<WorkerFigures> figures;
    figures.reserve(qsizetype(m_figures.size()));
    for (const std::unique_ptr<PublishedFigures> &published : m_figures)
        figures.append({published->clients.load(std::memory_order_relaxed), published->traffic()});
    return figures;
}

int WorkerPool::deliver(const EncodedMessage &frame, const Audience &audience, quint64 offset)
{
    if (!audience.isEveryone()) {
        // Only the workers that serve some of the audience are handed the frame.
        const QList<int> shares = m_directory->audiencePerWorker(audience);
        int recipients = 0;
        for (Worker *worker : std::as_const(m_workers)) {
            const int share = shares[worker->index()];
            recipients += share;
            if (share > 0 && worker->thread() != thread())
                QMetaObject::invokeMethod(
                    worker, [worker, frame, audience, offset] { worker->deliver(frame, audience, offset); });
        }
        for (Worker *worker : std::as_const(m_workers))
            if (shares[worker->index()] > 0 && worker->thread() == thread())
                worker->deliver(frame, audience, offset);
        return recipients;
    }
    // The frame's bytes are shared, not copied, by every worker (their reference count is atomic).
    int recipients = 0;
    for (Worker *worker : std::as_const(m_workers)) {
        if (worker->thread() != thread()) {
            recipients += m_census.of(worker->index());
            QMetaObject::invokeMethod(
                worker, [worker, frame, offset] { worker->deliver(frame, Audience::everyone(), offset); });
        }
    }
    for (Worker *worker : std::as_const(m_workers)) {
        if (worker->thread() == thread())
            recipients += worker->deliver(frame, Audience::everyone(), offset);
    }
    return recipients;
}

int WorkerPool::audienceSize(const Audience &audience) const
{
    return audience.isEveryone() ? m_census.total() : m_directory->audienceSize(audience);
}

void WorkerPool::closeAll(quint16 code, const QString &reason, DisconnectReason why)
{
    postToEach([code, reason, why](Worker *worker) { worker->closeAll(code, reason, why); });
}

void WorkerPool::closeEventStreams(quint16 code, const QString &reason, DisconnectReason why)
{
    postToEach([code, reason, why](Worker *worker) { worker->closeEventStreams(code, reason, why); });
}

void WorkerPool::abortAll(DisconnectReason why)
{
    postToEach([why](Worker *worker) { worker->abortAll(why); });
}

void WorkerPool::startKeepAlive()
{
    postToEach([](Worker *worker) { worker->startKeepAlive(); });
}

void WorkerPool::stopKeepAlive()
{
    postToEach([](Worker *worker) { worker->stopKeepAlive(); });
}

} // namespace herald
