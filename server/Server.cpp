#include "Server.h"

#include "admin/AdminChannel.h"
#include "admin/AdminCommands.h"
#include "admin/AdminFeed.h"
#include "backplane/RedisBackplane.h"
#include "broadcast/PeriodicNotifier.h"
#include "config/ConfigSchema.h"
#include "http/HttpApi.h"
#include "http/HttpRouter.h"
#include "http/TlsCredentials.h"
#include "logging/Logger.h"
#include "protocol/Protocol.h"
#include "workers/WorkerPool.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QHostAddress>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QWebSocket>

namespace herald {

namespace {
constexpr int ListenBacklog = 4096;
constexpr int TlsHandshakeTimeoutMs = 10000;

// A secret shows whether it is set, never what it is.
QJsonValue redacted(const QJsonValue &value)
{
    return value.toString().isEmpty() ? QStringLiteral("") : QStringLiteral("***");
}
} // namespace

Server::Server(const Config &config, Logger *logger, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_clientTokens(config.clientJwtSecret)
    , m_logger(logger)
    , m_workers(new WorkerPool(config, &m_metrics, logger, &m_uptime, this))
    , m_broadcaster(new Broadcaster(m_workers, &m_metrics, logger, this))
    , m_periodic(new PeriodicNotifier(m_broadcaster, &m_workers->census(), this))
    , m_shutdown(new ShutdownCoordinator(m_workers, m_broadcaster, logger, config.shutdownTimeoutSeconds, this))
    , m_router(new HttpRouter(this))
    , m_api(new HttpApi(this, m_router, this))
    , m_adminFeed(new AdminFeed(this, logger, this))
    , m_adminCommands(new AdminCommands(this, this))
    , m_admin(new AdminChannel(config.adminToken, m_adminFeed, m_adminCommands, logger, this))
{
    m_uptime.start();

    connect(m_broadcaster, &Broadcaster::broadcastSent, this, &Server::broadcastSent);

    connect(m_shutdown, &ShutdownCoordinator::acceptingStopped, this, [this] { m_accepting = false; });
    connect(m_shutdown, &ShutdownCoordinator::periodicNotificationsStopped, m_periodic, &PeriodicNotifier::stop);
    connect(m_shutdown, &ShutdownCoordinator::finished, this, [this] {
        m_workers->stopKeepAlive();
        if (m_backplane)
            m_backplane->stop();
        emit stopped();
    });

    if (!config.redisUrl.isEmpty()) {
        m_backplane = new RedisBackplane(QUrl(config.redisUrl), config.redisChannel, logger, this);
        connect(m_backplane, &RedisBackplane::notificationReceived, this, [this](const QByteArray &notification) {
            m_broadcaster->sendToAll(notification, QStringLiteral("backplane"));
        });
    }

    m_router->addWebSocketPath(protocol::WebSocketPath, [this](const QHttpServerRequest &request) {
        const QString origin = QString::fromUtf8(request.value("origin")).toLower();
        if (!origin.isEmpty() && !m_config.allowedOrigins.isEmpty() && !m_config.allowedOrigins.contains(origin))
            return HttpResponse::error(403, QStringLiteral("forbidden_origin"),
                                       QStringLiteral("Origin %1 is not in ALLOWED_ORIGINS").arg(origin.left(200)))
                .because(QStringLiteral("forbidden_origin"));
        if (m_clientTokens.isEnabled()) {
            const ClientTokenVerifier::Result token = m_clientTokens.verify(
                ClientTokenVerifier::presentedToken(request.value("authorization"), request.url()),
                QDateTime::currentSecsSinceEpoch());
            if (!token.accepted)
                return HttpResponse::error(
                           401, QStringLiteral("unauthorized"),
                           QStringLiteral("WebSocket clients need a valid token: %1").arg(token.problem))
                    .withHeader("WWW-Authenticate", "Bearer")
                    .because(QStringLiteral("unauthorized"));
        }
        const std::optional<Refusal> refusal = upgradeRefusal(m_router->clientAddress(request));
        if (!refusal)
            return HttpResponse{};
        const QString error =
            refusal->status == 429 ? QStringLiteral("too_many_requests") : QStringLiteral("service_unavailable");
        return HttpResponse::error(refusal->status, error, refusal->message)
            .withHeader("Retry-After", "5")
            .because(refusal->metricName);
    });
    m_router->addWebSocketPath(protocol::AdminPath,
                               [this](const QHttpServerRequest &request) { return m_admin->admission(request); });
    connect(m_router, &QAbstractHttpServer::newWebSocketConnection, this, &Server::acceptPendingWebSockets);
    connect(
        m_router, &HttpRouter::upgradeRefused, this,
        [this](const QString &path, int status, const QString &because, const QString &message, const QString &remote) {
            if (path == protocol::WebSocketPath)
                m_metrics.connectionRefused(because);
            m_logger->warning(QStringLiteral("connection_refused"), message,
                              {{QStringLiteral("path"), path},
                               {QStringLiteral("status"), status},
                               {QStringLiteral("remote"), remote}});
        });
    connect(m_router, &HttpRouter::requestHandled, this,
            [this](const QString &method, const QString &path, int status) {
                m_metrics.httpRequest(status);
                // Refusals (4xx, 503 while shutting down) are answers, not faults; only an internal error is.
                m_logger->log(status == 500 ? LogLevel::Error : LogLevel::Debug, QStringLiteral("http_request"),
                              QStringLiteral("%1 %2").arg(method, path), {{QStringLiteral("status"), status}});
            });
}

Server::~Server()
{
    // The worker threads use the metrics and the logger: they end before those do.
    m_workers->stop();
}

bool Server::start(QString *error)
{
    QTcpServer *listener = nullptr;
    if (m_config.tlsEnabled()) {
        const std::optional<QSslConfiguration> tls =
            loadTlsConfiguration(m_config.tlsCertificateFile, m_config.tlsKeyFile, error);
        if (!tls)
            return false;
        listener = createTlsListener(*tls);
    } else {
        listener = new QTcpServer(this);
    }
    // Qt's default backlog of 50 drops SYNs when clients reconnect in a crowd (after a restart, say), and each
    // dropped one costs its client a second; the kernel caps this at net.core.somaxconn anyway.
    listener->setListenBacklogSize(ListenBacklog);
    const QHostAddress address =
        m_config.host == u"localhost" ? QHostAddress(QHostAddress::LocalHost) : QHostAddress(m_config.host);
    if (!listener->listen(address, m_config.port)) {
        *error = QStringLiteral("cannot listen on %1:%2: %3")
                     .arg(m_config.host)
                     .arg(m_config.port)
                     .arg(listener->errorString());
        delete listener;
        return false;
    }
    m_router->bind(listener);
    m_port = listener->serverPort();
    m_workers->startKeepAlive();
    m_periodic->setIntervalSeconds(m_config.notificationIntervalSeconds);
    if (m_backplane)
        m_backplane->start();
    m_logger->info(QStringLiteral("server_started"), QStringLiteral("Herald is listening"),
                   {{QStringLiteral("host"), m_config.host},
                    {QStringLiteral("port"), m_port},
                    {QStringLiteral("tls"), m_config.tlsEnabled()},
                    {QStringLiteral("version"), QCoreApplication::applicationVersion()},
                    {QStringLiteral("profile"), profileName(m_config.profile)},
                    {QStringLiteral("max_connections"), m_config.maxConnections}});
    return true;
}

QTcpServer *Server::createTlsListener(const QSslConfiguration &tls)
{
    auto *listener = new QSslServer(this);
    listener->setSslConfiguration(tls);
    // A client that opens a connection and never finishes its handshake holds a descriptor until this passes.
    listener->setHandshakeTimeout(TlsHandshakeTimeoutMs);
    connect(listener, &QSslServer::errorOccurred, this, [this](QSslSocket *socket, QAbstractSocket::SocketError) {
        // Usually a client that does not speak TLS or does not trust the certificate; every handshake failing
        // (a key that does not match the certificate, say) shows here too.
        m_logger->warning(QStringLiteral("tls_handshake_failed"), socket->errorString(),
                          {{QStringLiteral("remote"), socket->peerAddress().toString()}});
    });
    const QSslCertificate certificate = tls.localCertificate();
    const QDateTime expiry = certificate.expiryDate();
    if (expiry < QDateTime::currentDateTimeUtc().addDays(14))
        m_logger->warning(QStringLiteral("tls_certificate_expiring"),
                          expiry < QDateTime::currentDateTimeUtc()
                              ? QStringLiteral("The TLS certificate has expired; clients will refuse it")
                              : QStringLiteral("The TLS certificate expires within 14 days"),
                          {{QStringLiteral("expires"), expiry.toString(Qt::ISODate)},
                           {QStringLiteral("subject"), certificate.subjectDisplayName()}});
    return listener;
}

BroadcastReceipt Server::broadcast(const NotificationRequest &notification, const QString &source,
                                   const QStringList &targetClientIds)
{
    BroadcastReceipt receipt = m_broadcaster->broadcast(notification, source, targetClientIds);
    // Targets name this instance's clients, so only broadcasts to everyone travel to the other instances.
    if (m_backplane && targetClientIds.isEmpty())
        receipt.backplane = m_backplane->publish(receipt.id, receipt.encoded);
    return receipt;
}

bool Server::isAcceptingConnections() const
{
    return m_accepting;
}

int Server::clientCount() const
{
    return m_workers->clientCount();
}

void Server::shutdown(const QString &reason)
{
    m_shutdown->requestShutdown(reason);
}

void Server::applyReloadedConfig(const Config &config)
{
    Logger::Fields changed;
    if (config.logLevel != m_config.logLevel) {
        m_config.logLevel = config.logLevel;
        m_logger->setLevel(config.logLevel);
        changed.append({QStringLiteral("LOG_LEVEL"), logLevelName(config.logLevel)});
    }
    if (config.notificationIntervalSeconds != m_config.notificationIntervalSeconds) {
        m_config.notificationIntervalSeconds = config.notificationIntervalSeconds;
        if (m_shutdown->state() == ShutdownCoordinator::State::Running)
            m_periodic->setIntervalSeconds(config.notificationIntervalSeconds);
        changed.append({QStringLiteral("NOTIFICATION_INTERVAL"), config.notificationIntervalSeconds});
    }
    m_logger->info(QStringLiteral("config_reloaded"),
                   changed.isEmpty() ? QStringLiteral("Settings re-read; nothing changed")
                                     : QStringLiteral("Settings re-read and applied"),
                   changed);
}

std::optional<Server::Refusal> Server::upgradeRefusal(const QString &address) const
{
    if (!m_accepting)
        return Refusal{503, QStringLiteral("shutting_down"),
                       QStringLiteral("Server is shutting down; try another instance")};
    if (m_workers->clientCount() >= m_config.maxConnections)
        return Refusal{
            503, QStringLiteral("max_connections"),
            QStringLiteral("Server is at its connection limit (%1); try again later").arg(m_config.maxConnections)};
    if (m_workers->census().fromAddress(address) >= m_config.maxConnectionsPerAddress)
        return Refusal{429, QStringLiteral("max_connections_per_ip"),
                       QStringLiteral("%1 already has %2 connections (MAX_CONNECTIONS_PER_IP)")
                           .arg(address)
                           .arg(m_config.maxConnectionsPerAddress)};
    return std::nullopt;
}

void Server::acceptPendingWebSockets()
{
    while (m_router->hasPendingWebSocketConnections()) {
        std::unique_ptr<QWebSocket> socket = m_router->nextPendingWebSocketConnection();
        if (socket->requestUrl().path() == protocol::AdminPath) {
            m_admin->accept(std::move(socket));
            continue;
        }
        const QString address = m_router->clientAddress(*socket);
        const std::optional<Refusal> refusal = upgradeRefusal(address);
        QTcpSocket *transport = m_router->takeTransport(*socket);
        if (!refusal && transport) {
            // Admission checked the token already; this reads the identity it carries.
            const QString identity =
                m_clientTokens.isEnabled()
                    ? m_clientTokens
                          .verify(ClientTokenVerifier::presentedToken(socket->request().rawHeader("Authorization"),
                                                                      socket->requestUrl()),
                                  QDateTime::currentSecsSinceEpoch())
                          .identity
                    : QString();
            m_workers->assign(std::move(socket), transport, address, identity);
            continue;
        }
        if (!transport) // gone during the handshake
            continue;
        // Several upgrades admitted in one loop iteration can overshoot the limit: close the excess at once.
        m_metrics.connectionRefused(refusal->metricName);
        m_logger->warning(QStringLiteral("connection_refused"), refusal->message,
                          {{QStringLiteral("remote"), address}});
        QWebSocket *late = socket.release();
        late->setParent(this);
        connect(late, &QWebSocket::disconnected, late, &QObject::deleteLater);
        late->close(QWebSocketProtocol::CloseCode(protocol::close::TryAgainLater), refusal->message);
    }
}

LiveFigures Server::liveFigures() const
{
    LiveFigures live;
    live.activeConnections = m_workers->clientCount();
    live.maxConnections = m_config.maxConnections;
    live.uptimeSeconds = uptimeSeconds();
    live.workers = m_workers->figures();
    for (const WorkerFigures &worker : std::as_const(live.workers))
        live.traffic += worker.traffic;
    if (m_backplane)
        live.backplane = m_backplane->statusJson();
    return live;
}

QJsonObject Server::healthJson() const
{
    // Degraded still serves its own clients, so it stays in rotation (HTTP 200); shutting down does not.
    QString status = QStringLiteral("healthy");
    if (m_shutdown->state() != ShutdownCoordinator::State::Running)
        status = QStringLiteral("shutting_down");
    else if (m_backplane && m_backplane->state() != RedisBackplane::State::Connected)
        status = QStringLiteral("degraded");
    QJsonObject health{{QStringLiteral("status"), status},
                       {QStringLiteral("uptime_seconds"), uptimeSeconds()},
                       {QStringLiteral("connections"), m_workers->clientCount()},
                       {QStringLiteral("version"), QCoreApplication::applicationVersion()}};
    if (m_backplane)
        health.insert(QStringLiteral("backplane"), m_backplane->stateName());
    return health;
}

QJsonObject Server::statusJson() const
{
    QJsonObject settings;
    for (const ConfigKey &key : configSchema())
        settings.insert(key.name, key.secret ? redacted(key.show(m_config)) : key.show(m_config));
    settings.insert(QStringLiteral("PORT"), m_port); // the bound port, which differs from PORT=0
    settings.insert(QStringLiteral("PROFILE"), profileName(m_config.profile));

    return {
        {QStringLiteral("service"), QStringLiteral("herald")},
        {QStringLiteral("version"), QCoreApplication::applicationVersion()},
        {QStringLiteral("uptime_seconds"), uptimeSeconds()},
        {QStringLiteral("connections"), QJsonObject{{QStringLiteral("active"), m_workers->clientCount()},
                                                    {QStringLiteral("max"), m_config.maxConnections},
                                                    {QStringLiteral("total"), qint64(m_metrics.connectionsTotal())},
                                                    {QStringLiteral("accepting"), m_accepting}}},
        {QStringLiteral("notification_service"),
         QJsonObject{{QStringLiteral("running"), m_periodic->isRunning()},
                     {QStringLiteral("interval_seconds"), m_periodic->intervalSeconds()},
                     {QStringLiteral("sequence"), qint64(m_periodic->sequence())}}},
        {QStringLiteral("shutdown"), QJsonObject{{QStringLiteral("state"), m_shutdown->stateName()},
                                                 {QStringLiteral("reason"), m_shutdown->reason()},
                                                 {QStringLiteral("seconds_left"), m_shutdown->secondsLeft()},
                                                 {QStringLiteral("timeout_seconds"), m_shutdown->timeoutSeconds()}}},
        {QStringLiteral("backplane"),
         m_backplane ? m_backplane->statusJson() : QJsonObject{{QStringLiteral("enabled"), false}}},
        {QStringLiteral("config"), settings}};
}

QJsonObject Server::metricsJson() const
{
    return m_metrics.toJson(liveFigures());
}

QByteArray Server::metricsPrometheus() const
{
    return m_metrics.toPrometheus(liveFigures());
}

} // namespace herald
