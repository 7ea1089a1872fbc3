#include "ShutdownCoordinator.h"

#include "logging/Logger.h"
#include "protocol/Protocol.h"
#include "protocol/Timestamp.h"
#include "publish/Publisher.h"
#include "sessions/ClientSession.h"
#include "workers/WorkerPool.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QMetaEnum>
#include <QTimer>

namespace herald {

ShutdownCoordinator::ShutdownCoordinator(WorkerPool *workers, Publisher *publisher, Logger *logger,
                                         double timeoutSeconds, QObject *parent)
    : QObject(parent)
    , m_workers(workers)
    , m_publisher(publisher)
    , m_logger(logger)
    , m_timeoutSeconds(timeoutSeconds)
    , m_drainSeconds(timeoutSeconds)
    , m_drainTimer(new QTimer(this))
    , m_handshakeTimer(new QTimer(this))
    , m_progressTimer(new QTimer(this))
{
    m_drainTimer->setSingleShot(true);
    connect(m_drainTimer, &QTimer::timeout, this,
            [this] { closeRemaining(QStringLiteral("SHUTDOWN_TIMEOUT reached")); });
    m_handshakeTimer->setSingleShot(true);
    m_handshakeTimer->setInterval(CloseHandshakeMs);
    connect(m_handshakeTimer, &QTimer::timeout, this, [this] {
        m_logger->warning(QStringLiteral("shutdown_abort_remaining"),
                          QStringLiteral("Dropping clients that did not complete the close handshake"),
                          {{QStringLiteral("clients"), m_workers->clientCount()}});
        m_workers->abortAll(DisconnectReason::ServerShutdown);
    });
    m_progressTimer->setInterval(1000);
    connect(m_progressTimer, &QTimer::timeout, this,
            [this] { emit progress(m_workers->clientCount(), secondsLeft()); });
    connect(workers, &WorkerPool::countChanged, this, &ShutdownCoordinator::onCountChanged);
}

QString ShutdownCoordinator::stateName() const
{
    return QString::fromLatin1(QMetaEnum::fromType<State>().valueToKey(int(m_state))).toLower();
}

int ShutdownCoordinator::step() const
{
    switch (m_state) {
    case State::Running:
        return 0;
    case State::Draining:
        return 4; // 1 to 3 happen at once when the shutdown begins
    case State::Closing:
        return 5;
    case State::Finished:
        return 6;
    }
    return 0;
}

double ShutdownCoordinator::secondsLeft() const
{
    if (m_state != State::Draining)
        return 0;
    return double(m_deadline.remainingTime()) / 1000.0;
}

void ShutdownCoordinator::requestShutdown(const QString &reason, double drainSeconds)
{
    switch (m_state) {
    case State::Running:
        break;
    case State::Draining:
        closeRemaining(QStringLiteral("second request (%1)").arg(reason));
        return;
    case State::Closing:
        m_workers->abortAll(DisconnectReason::ServerShutdown);
        return;
    case State::Finished:
        return;
    }

    m_reason = reason;
    m_drainSeconds = drainSeconds >= 0 ? std::min(drainSeconds, m_timeoutSeconds) : m_timeoutSeconds;
    m_deadline.setRemainingTime(qint64(m_drainSeconds * 1000));
    const int clients = m_workers->clientCount();
    m_clientsAtStart = clients;
    setState(State::Draining);
    m_logger->info(QStringLiteral("shutdown_started"), QStringLiteral("Graceful shutdown started"),
                   {{QStringLiteral("reason"), reason},
                    {QStringLiteral("clients"), clients},
                    {QStringLiteral("timeout_seconds"), m_drainSeconds}});

    emit acceptingStopped();
    m_logger->info(QStringLiteral("shutdown_step"), QStringLiteral("1/6 Stopped accepting new connections"),
                   {{QStringLiteral("step"), 1}});

    emit periodicNotificationsStopped();
    m_logger->info(QStringLiteral("shutdown_step"), QStringLiteral("2/6 Stopped periodic notifications"),
                   {{QStringLiteral("step"), 2}});

    const QJsonObject notice{{QStringLiteral("type"), protocol::type::Shutdown},
                             {QStringLiteral("reason"), reason},
                             {QStringLiteral("grace_seconds"), m_drainSeconds},
                             {QStringLiteral("message"), QStringLiteral("Server is shutting down; please disconnect")},
                             {QStringLiteral("timestamp"), isoTimestampUtc()}};
    const int notified =
        m_publisher->publishLocally(QJsonDocument(notice).toJson(QJsonDocument::Compact), QStringLiteral("shutdown"));
    // An event stream cannot be asked to disconnect: its client only listens. Its stream ends after the notice,
    // and an EventSource reconnects by itself (to another instance, behind a load balancer).
    m_workers->closeEventStreams(protocol::close::GoingAway, QStringLiteral("Server shutting down"),
                                 DisconnectReason::ServerShutdown);
    m_logger->info(QStringLiteral("shutdown_step"), QStringLiteral("3/6 Notified clients of the shutdown"),
                   {{QStringLiteral("step"), 3}, {QStringLiteral("clients"), notified}});

    m_logger->info(QStringLiteral("shutdown_step"), QStringLiteral("4/6 Waiting for clients to disconnect"),
                   {{QStringLiteral("step"), 4},
                    {QStringLiteral("clients"), m_workers->clientCount()},
                    {QStringLiteral("timeout_seconds"), m_drainSeconds}});
    m_progressTimer->start();
    emit progress(m_workers->clientCount(), secondsLeft());
    if (m_workers->clientCount() == 0)
        closeRemaining(QStringLiteral("no clients connected"));
    else
        m_drainTimer->start(std::chrono::milliseconds(qint64(m_drainSeconds * 1000)));
}

void ShutdownCoordinator::closeAllNow()
{
    if (m_state == State::Running)
        requestShutdown(QStringLiteral("close all now"));
    closeRemaining(QStringLiteral("close all now")); // does nothing unless still draining
}

void ShutdownCoordinator::setState(State state)
{
    m_state = state;
    emit stateChanged(state);
}

void ShutdownCoordinator::onCountChanged(int count)
{
    if (m_state == State::Draining && count == 0)
        closeRemaining(QStringLiteral("all clients left"));
    else if (m_state == State::Closing && count == 0)
        finish();
}

void ShutdownCoordinator::closeRemaining(const QString &why)
{
    if (m_state != State::Draining)
        return;
    m_drainTimer->stop();
    setState(State::Closing);
    const int remaining = m_workers->clientCount();
    m_logger->info(QStringLiteral("shutdown_step"), QStringLiteral("5/6 Closing remaining clients"),
                   {{QStringLiteral("step"), 5}, {QStringLiteral("clients"), remaining}, {QStringLiteral("why"), why}});
    if (remaining == 0) {
        finish();
        return;
    }
    m_workers->closeAll(protocol::close::GoingAway, QStringLiteral("Server shutting down"),
                        DisconnectReason::ServerShutdown);
    m_handshakeTimer->start();
}

void ShutdownCoordinator::finish()
{
    if (m_state == State::Finished)
        return;
    m_handshakeTimer->stop();
    m_progressTimer->stop();
    setState(State::Finished);
    m_logger->info(QStringLiteral("shutdown_step"), QStringLiteral("6/6 Shutdown complete"),
                   {{QStringLiteral("step"), 6}});
    m_logger->flush();
    emit progress(0, 0);
    emit finished();
}

} // namespace herald
