#include "Worker.h"

#include "AdoptionEvent.h"
#include "ClientCensus.h"
#include "broadcast/TextFrame.h"
#include "logging/Logger.h"
#include "metrics/Metrics.h"
#include "sessions/ClientProtocol.h"
#include "sessions/KeepAlive.h"
#include "sessions/SessionRegistry.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTcpSocket>
#include <QWebSocket>

namespace herald {

Worker::Worker(int index, double pingIntervalSeconds, double pingTimeoutSeconds, ClientCensus *census, Metrics *metrics,
               Logger *logger, const QElapsedTimer *uptime, QObject *parent)
    : QObject(parent)
    , m_index(index)
    , m_census(census)
    , m_metrics(metrics)
    , m_logger(logger)
    , m_sessions(new SessionRegistry(this))
    , m_protocol(new ClientProtocol(m_sessions, census, metrics, logger, uptime, this))
    , m_keepAlive(new KeepAlive(m_sessions, pingIntervalSeconds, pingTimeoutSeconds, this))
{
    connect(m_sessions, &SessionRegistry::sessionAdded, this, [this](ClientSession *session) {
        m_metrics->connectionOpened();
        m_logger->info(QStringLiteral("client_connected"), QStringLiteral("Client connected"),
                       {{QStringLiteral("client_id"), session->id()},
                        {QStringLiteral("remote"), session->remoteAddress()},
                        {QStringLiteral("worker"), m_index},
                        {QStringLiteral("clients"), m_census->total()}});
        emit clientAdded(session->id());
    });
    connect(m_sessions, &SessionRegistry::sessionRemoved, this,
            [this](ClientSession *session, DisconnectReason reason) {
                m_census->left(m_index);
                const QString reasonName = disconnectReasonName(reason);
                m_metrics->connectionClosed(reasonName, session->connectedSeconds());
                m_logger->info(QStringLiteral("client_disconnected"), QStringLiteral("Client disconnected"),
                               {{QStringLiteral("client_id"), session->id()},
                                {QStringLiteral("reason"), reasonName},
                                {QStringLiteral("duration_seconds"), session->connectedSeconds()},
                                {QStringLiteral("clients"), m_census->total()}});
                emit clientRemoved(session->id(), reasonName);
            });
    connect(m_keepAlive, &KeepAlive::clientTimedOut, this, [this, pingTimeoutSeconds](ClientSession *session) {
        m_logger->warning(
            QStringLiteral("client_ping_timeout"), QStringLiteral("Client did not answer a ping"),
            {{QStringLiteral("client_id"), session->id()}, {QStringLiteral("timeout_seconds"), pingTimeoutSeconds}});
    });
}

bool Worker::event(QEvent *event)
{
    if (event->type() != AdoptionEvent::registeredType())
        return QObject::event(event);
    const auto *adoption = static_cast<AdoptionEvent *>(event);
    adopt(adoption->socket(), adoption->transport());
    return true;
}

void Worker::adopt(QWebSocket *socket, QTcpSocket *transport)
{
    transport->setParent(socket); // owned from now on by the session that owns the WebSocket
    std::unique_ptr<QWebSocket> owned(socket);
    if (owned->state() != QAbstractSocket::ConnectedState) { // left while it was being handed over
        m_census->left(m_index);
        return;
    }
    m_sessions->add(std::move(owned), transport);
}

int Worker::deliver(const TextFrame &frame, const QStringList &targetClientIds)
{
    QElapsedTimer fanOut;
    fanOut.start();
    int recipients = 0;
    const auto send = [&](ClientSession *session) {
        if (session && session->isOpen()) {
            session->sendFrame(frame);
            ++recipients;
        }
    };
    if (targetClientIds.isEmpty()) {
        m_sessions->forEach(send);
    } else {
        for (const QString &id : targetClientIds)
            send(m_sessions->find(id));
    }
    m_metrics->fanOutMeasured(double(fanOut.nsecsElapsed()) / 1e9);
    return recipients;
}

void Worker::closeAll(quint16 code, const QString &reason, DisconnectReason why)
{
    m_sessions->closeAll(code, reason, why);
}

void Worker::abortAll(DisconnectReason why)
{
    m_sessions->abortAll(why);
}

void Worker::startKeepAlive()
{
    m_keepAlive->start();
}

void Worker::stopKeepAlive()
{
    m_keepAlive->stop();
}

} // namespace herald
