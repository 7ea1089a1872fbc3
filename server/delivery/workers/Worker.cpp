#include "Worker.h"

#include "AdoptionEvent.h"
#include "ClientDirectory.h"
#include "history/StreamRecovery.h"
#include "logging/Logger.h"
#include "metrics/Metrics.h"
#include "notification/Audience.h"
#include "sessions/ChannelIndex.h"
#include "sessions/ClientCensus.h"
#include "sessions/ClientProtocol.h"
#include "sessions/KeepAlive.h"
#include "sessions/SessionRegistry.h"
#include "stream/EncodedMessage.h"
#include "stream/UpgradedSocket.h"

#include <QElapsedTimer>
#include <QTimer>

namespace herald {

template<typename ForEachTarget>
int Worker::fanOut(const EncodedMessage &frame, const Audience &audience, quint64 offset, ForEachTarget &&forEachTarget)
{
    QElapsedTimer fanOut;
    fanOut.start();
    int recipients = 0;
    // Only while some client of this worker is recovering does a kept notification need a look at each recipient.
    const std::optional<StreamKey> stream =
        offset > 0 && !m_recovery->isIdle() ? StreamKey::of(audience) : std::nullopt;
    forEachTarget([&](ClientSession *session) {
        if (session && session->isOpen()) {
            if (!stream || !m_recovery->holds(session, *stream, offset, frame))
                session->sendFrame(frame);
            ++recipients;
        }
    });
    m_metrics->fanOutMeasured(double(fanOut.nsecsElapsed()) / 1e9);
    return recipients;
}

Worker::Worker(int index, const ClientRules &rules, History *history, ClientCensus *census, ClientDirectory *directory,
               Metrics *metrics, Logger *logger, const QElapsedTimer *uptime, PublishedFigures *figures,
               QObject *parent)
    : QObject(parent)
    , m_index(index)
    , m_census(census)
    , m_metrics(metrics)
    , m_logger(logger)
    , m_sessions(new SessionRegistry(rules.limits, this))
    , m_channels(new ChannelIndex(m_sessions, rules.maxChannelsPerClient, this))
    , m_recovery(new StreamRecovery(history, m_sessions, rules.recoveryLimit, this))
    , m_keepAlive(new KeepAlive(m_sessions, rules.pingIntervalSeconds, rules.pingTimeoutSeconds, this))
    , m_figures(figures)
{
    // The directory hears of a client before the protocol welcomes it, so that whatever the client does on
    // being welcomed (a POST /notify to its own id, say) finds it there.
    connect(m_sessions, &SessionRegistry::sessionAdded, this, [this, directory](ClientSession *session) {
        directory->clientArrived(m_index, session->id(), session->identity(), session->remoteAddress(),
                                 session->connectedAt());
    });
    m_protocol = new ClientProtocol(m_sessions, m_channels, history, m_recovery, rules.publicChannels, census, metrics,
                                    logger, uptime, this);
    auto *figuresTimer = new QTimer(this);
    figuresTimer->setInterval(FiguresIntervalMs);
    connect(figuresTimer, &QTimer::timeout, this, [this] {
        if (m_sessions->changes() != m_publishedChanges)
            publishFigures();
    });
    // Started from the worker's own loop: a timer running when the pool moves this worker to its thread makes Qt
    // post a re-registration that holds a heap list, and that list leaks if the thread ends before its first turn.
    QMetaObject::invokeMethod(figuresTimer, qOverload<>(&QTimer::start), Qt::QueuedConnection);
    connect(m_sessions, &SessionRegistry::sessionAdded, this, [this](ClientSession *session) {
        m_metrics->connectionOpened();
        // The fields are built only for a line that is written: at WARNING they cost each connection ~4,500
        // instructions for nothing.
        if (m_logger->isEnabled(LogLevel::Info))
            m_logger->info(QStringLiteral("client_connected"), QStringLiteral("Client connected"),
                           {{QStringLiteral("client_id"), session->id()},
                            {QStringLiteral("remote"), session->remoteAddress()},
                            {QStringLiteral("identity"), session->identity()},
                            {QStringLiteral("worker"), m_index},
                            {QStringLiteral("clients"), m_census->total()}});
        publishFigures();
    });
    connect(m_channels, &ChannelIndex::subscribed, this, [directory](ClientSession *session, const QString &channel) {
        directory->channelJoined(session->id(), channel);
    });
    connect(m_channels, &ChannelIndex::unsubscribed, this, [directory](ClientSession *session, const QString &channel) {
        directory->channelLeft(session->id(), channel);
    });
    connect(m_sessions, &SessionRegistry::protocolViolated, this,
            [this](ClientSession *client, quint16 code, const QString &reason) {
                m_logger->warning(QStringLiteral("client_protocol_error"),
                                  QStringLiteral("Client broke the WebSocket protocol: %1").arg(reason),
                                  {{QStringLiteral("client_id"), client->id()},
                                   {QStringLiteral("remote"), client->remoteAddress()},
                                   {QStringLiteral("close_code"), code}});
            });
    connect(m_sessions, &SessionRegistry::limitExceeded, this, [this](ClientSession *client, const QString &reason) {
        m_logger->warning(
            QStringLiteral("client_limit_exceeded"),
            QStringLiteral("Closing a client that went past its limit: %1").arg(reason),
            {{QStringLiteral("client_id"), client->id()}, {QStringLiteral("remote"), client->remoteAddress()}});
    });
    connect(m_sessions, &SessionRegistry::sessionRemoved, this,
            [this, directory](ClientSession *session, DisconnectReason reason) {
                m_census->left(m_index, UpgradedSocket::addressOf(session->remoteAddress()));
                const QString reasonName = disconnectReasonName(reason);
                m_metrics->connectionClosed(reasonName, session->connectedSeconds());
                if (m_logger->isEnabled(LogLevel::Info))
                    m_logger->info(QStringLiteral("client_disconnected"), QStringLiteral("Client disconnected"),
                                   {{QStringLiteral("client_id"), session->id()},
                                    {QStringLiteral("reason"), reasonName},
                                    {QStringLiteral("duration_seconds"), session->connectedSeconds()},
                                    {QStringLiteral("clients"), m_census->total()}});
                publishFigures();
                directory->clientLeft(session->id(), reasonName);
            });
    connect(m_protocol, &ClientProtocol::acknowledged, this, &Worker::acknowledged);
    connect(m_keepAlive, &KeepAlive::clientTimedOut, this,
            [this, timeout = rules.pingTimeoutSeconds](ClientSession *session) {
                m_logger->warning(
                    QStringLiteral("client_ping_timeout"), QStringLiteral("Client did not answer a ping"),
                    {{QStringLiteral("client_id"), session->id()}, {QStringLiteral("timeout_seconds"), timeout}});
            });
}

bool Worker::event(QEvent *event)
{
    if (event->type() != registeredEventType<AdoptionEvent>())
        return QObject::event(event);
    adopt(static_cast<AdoptionEvent *>(event)->take());
    return true;
}

void Worker::adopt(UpgradedSocket socket)
{
    if (!socket.isValid()) { // left while it was being handed over
        m_census->left(m_index, UpgradedSocket::addressOf(socket.peer));
        return;
    }
    m_sessions->add(std::move(socket));
}

template<typename Send> void Worker::forEachIn(const Audience &audience, Send &&send) const
{
    switch (audience.kind) {
    case Audience::Kind::Everyone:
        m_sessions->forEach(send);
        break;
    case Audience::Kind::Channels:
        // One copy per client even if it is in several of the channels.
        if (audience.names.size() == 1) {
            for (ClientSession *session : m_channels->subscribers(audience.names.first()))
                send(session);
        } else {
            QSet<ClientSession *> reached;
            for (const QString &channel : audience.names)
                reached.unite(m_channels->subscribers(channel));
            for (ClientSession *session : std::as_const(reached))
                send(session);
        }
        break;
    case Audience::Kind::Users:
        for (const QString &user : audience.names)
            for (ClientSession *session : m_sessions->sessionsOf(user))
                send(session);
        break;
    case Audience::Kind::Clients:
        for (const QString &id : audience.names)
            send(m_sessions->find(id));
        break;
    }
}

int Worker::deliver(const EncodedMessage &frame, const Audience &audience, quint64 offset)
{
    const int recipients = fanOut(frame, audience, offset, [&](const auto &send) { forEachIn(audience, send); });
    publishFigures();
    return recipients;
}

void Worker::publishFigures()
{
    m_publishedChanges = m_sessions->changes();
    m_figures->store(m_sessions->count(), m_sessions->trafficTotals());
}

void Worker::closeAll(quint16 code, const QString &reason, DisconnectReason why)
{
    m_sessions->closeAll(code, reason, why);
}

void Worker::closeEventStreams(quint16 code, const QString &reason, DisconnectReason why)
{
    m_sessions->closeEventStreams(code, reason, why);
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
