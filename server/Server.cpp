#include "Server.h"

#include "admin/AdminChannel.h"
#include "admin/AdminCommands.h"
#include "admin/AdminFeed.h"
#include "backplane/RedisBackplane.h"
#include "backplane/RedisHistory.h"
#include "backplane/RedisReceipts.h"
#include "history/MemoryHistory.h"
#include "http/HistoryApi.h"
#include "http/HttpApi.h"
#include "http/HttpListener.h"
#include "http/HttpRouter.h"
#include "http/PresenceApi.h"
#include "http/ReceiptApi.h"
#include "http/TlsCredentials.h"
#include "logging/Logger.h"
#include "presence/Presence.h"
#include "protocol/Protocol.h"
#include "publish/LocalBroker.h"
#include "publish/PeriodicNotifier.h"
#include "receipts/ReceiptBook.h"
#include "receipts/UndeliveredWebhook.h"
#include "status/ServerStatus.h"
#include "workers/WorkerPool.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QHostAddress>
#include <QSslCertificate>
#include <QSysInfo>

namespace herald {

namespace {
constexpr int ListenBacklog = 4096;

int milliseconds(double seconds)
{
    return int(qMin(seconds * 1000.0, double(std::numeric_limits<int>::max())));
}

void warnIfExpiring(const QSslConfiguration &tls, Logger *logger)
{
    const QSslCertificate certificate = tls.localCertificate();
    const QDateTime expiry = certificate.expiryDate();
    if (expiry >= QDateTime::currentDateTimeUtc().addDays(14))
        return;
    logger->warning(QStringLiteral("tls_certificate_expiring"),
                    expiry < QDateTime::currentDateTimeUtc()
                        ? QStringLiteral("The TLS certificate has expired; clients will refuse it")
                        : QStringLiteral("The TLS certificate expires within 14 days"),
                    {{QStringLiteral("expires"), expiry.toString(Qt::ISODate)},
                     {QStringLiteral("subject"), certificate.subjectDisplayName()}});
}

// One instance keeps its history in memory; instances that share Redis keep it there, appended by the same script
// that hands each notification to the others.
History *makeHistory(const Config &config, Broker *broker, QObject *parent)
{
    HistoryPolicy policy(config.history, config.historyRules);
    if (auto *backplane = qobject_cast<RedisBackplane *>(broker))
        return new RedisHistory(std::move(policy), backplane, QUrl(config.redisUrl), parent);
    return new MemoryHistory(std::move(policy), parent);
}
} // namespace

Server::Server(const Config &config, Logger *logger, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_clientAddresses(config.trustedProxies)
    , m_logger(logger)
    , m_broker(config.redisUrl.isEmpty() ? static_cast<Broker *>(new LocalBroker(this))
                                         : new RedisBackplane(QUrl(config.redisUrl), config.redisChannel, logger, this))
    , m_history(makeHistory(config, m_broker, this))
    , m_receipts(new ReceiptBook(config.ackTimeoutSeconds, config.receiptRetentionSeconds,
                                 config.redisUrl.isEmpty()
                                     ? nullptr
                                     : new RedisReceipts(QUrl(config.redisUrl), config.redisChannel.toUtf8(),
                                                         config.receiptRetentionSeconds, this),
                                 this))
    , m_webhook(new UndeliveredWebhook(QUrl(config.undeliveredWebhookUrl), config.webhookSecret.toUtf8(), &m_metrics,
                                       logger, this))
    , m_workers(new WorkerPool(config, m_history, &m_metrics, logger, &m_uptime, this))
    , m_publisher(new Publisher(m_workers, m_broker, m_history, m_receipts, &m_metrics, logger, this))
    , m_periodic(new PeriodicNotifier(m_publisher, &m_workers->census(), this))
    , m_shutdown(new ShutdownCoordinator(m_workers, m_publisher, logger, config.shutdownTimeoutSeconds, this))
    , m_presence(new Presence(m_workers, m_broker, this))
    , m_status(new ServerStatus(&m_config, m_workers, m_broker, m_presence, m_history, m_periodic, m_shutdown,
                                &m_metrics, &m_uptime, this))
    , m_clientAdmission(config, &m_workers->census(), [this] { return m_shutdown->isAccepting(); })
    , m_router(new HttpRouter(this))
    , m_api(new HttpApi(&m_config, m_publisher, m_shutdown, m_status, m_router, this))
    , m_presenceApi(new PresenceApi(m_presence, m_router, this))
    , m_historyApi(new HistoryApi(m_history, m_router, this))
    , m_receiptApi(new ReceiptApi(m_receipts, m_router, this))
    , m_adminFeed(new AdminFeed(m_workers, m_presence, m_shutdown, m_status, logger, this))
    , m_adminCommands(new AdminCommands(m_publisher, m_shutdown, m_adminFeed, this))
    , m_admin(new AdminChannel(config.adminToken, m_adminFeed, m_adminCommands, logger, this))
{
    m_uptime.start();

    connect(m_publisher, &Publisher::published, this, &Server::broadcastSent);
    connect(m_workers, &WorkerPool::acknowledged, m_receipts, &ReceiptBook::acknowledge);
    connect(m_receipts, &ReceiptBook::unacknowledged, m_webhook, &UndeliveredWebhook::send);
    connect(m_receipts, &ReceiptBook::changed, m_adminFeed, &AdminFeed::receiptChanged);

    connect(m_shutdown, &ShutdownCoordinator::acceptingStopped, this, &Server::shutdownStarted);
    connect(m_shutdown, &ShutdownCoordinator::progress, this, &Server::shutdownProgress);
    connect(m_shutdown, &ShutdownCoordinator::periodicNotificationsStopped, m_periodic, &PeriodicNotifier::stop);
    connect(m_shutdown, &ShutdownCoordinator::finished, this, [this] {
        if (m_listener) // the port is free again: an embedded server can be started on it once more
            m_listener->close();
        m_workers->stopKeepAlive();
        m_presence->stop();
        // The consoles have the "finished" event in their queues; each gets a close frame after it and a moment
        // to take both, so that a remote console sees the end instead of a lost link. First the broker settles
        // what it still had on its way (a bounded wait).
        connect(m_broker, &Broker::stopped, m_admin, &AdminChannel::closeConsoles, Qt::SingleShotConnection);
        m_broker->stop();
    });
    connect(m_admin, &AdminChannel::consolesClosed, this, &Server::stopped);

    const auto admitClient = [this](const HttpRequest &request) { return m_clientAdmission.admit(request); };
    const auto serveClient = [this](UpgradedSocket socket, const ClientGrant &grant) {
        m_workers->assign(std::move(socket), grant);
    };
    m_router->addWebSocketPath(protocol::WebSocketPath, admitClient, serveClient, HttpRouter::PlainRequests::Told,
                               m_config.compression ? HttpRouter::Compression::Negotiated
                                                    : HttpRouter::Compression::Off);
    m_router->addEventStreamPath(protocol::EventStreamPath, admitClient, serveClient);
    m_router->addWebSocketPath(
        protocol::AdminPath,
        [this](const HttpRequest &request) {
            return Admission{m_admin->admission(request), {}};
        },
        [this](UpgradedSocket socket, const ClientGrant &) { m_admin->accept(std::move(socket)); },
        HttpRouter::PlainRequests::Admitted);
    connect(m_router, &HttpRouter::upgradeRefused, this,
            [this](const QString &path, int status, const QString &because, const QString &message,
                   const QString &client) { refused(because, status, message, client, path); });
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
    // No new client while the rest goes; the connections still speaking HTTP are closed.
    if (m_listener)
        m_listener->close();
    // The worker threads use the metrics and the logger: they end before those do.
    m_workers->stop();
}

bool Server::start(QString *error)
{
    HttpListener::Settings settings;
    settings.connection.limits = {m_config.maxHeaderBytes, m_config.maxHeaderCount, m_config.maxBodyBytes};
    settings.connection.timeouts = {milliseconds(m_config.httpHeaderTimeoutSeconds),
                                    milliseconds(m_config.httpBodyTimeoutSeconds),
                                    milliseconds(m_config.httpKeepAliveTimeoutSeconds)};
    if (m_config.securityHeadersEnabled())
        settings.connection.commonHeaders = {{"X-Content-Type-Options", "nosniff"},
                                             {"X-Frame-Options", "DENY"},
                                             {"Referrer-Policy", "no-referrer"},
                                             {"Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"},
                                             {"Cache-Control", "no-store"}};
    settings.maxConnectionsPerAddress = m_config.maxConnectionsPerAddress;
    if (m_config.tlsEnabled()) {
        settings.tls = loadTlsConfiguration(m_config.tlsCertificateFile, m_config.tlsKeyFile, error);
        if (!settings.tls)
            return false;
        warnIfExpiring(*settings.tls, m_logger);
    }
    auto *listener = new HttpListener(
        std::move(settings), &m_clientAddresses,
        [this](const HttpRequest &request) { return m_router->answer(request); },
        [this](const QString &address) { return m_workers->census().fromAddress(address); }, this);
    const QHostAddress address =
        m_config.host == u"localhost" ? QHostAddress(QHostAddress::LocalHost) : QHostAddress(m_config.host);
    // A short backlog (Qt's default was 50) drops SYNs when clients reconnect in a crowd (after a restart, say), and
    // each dropped one costs its client a second; the kernel caps this at net.core.somaxconn anyway.
    QString listenError;
    if (!listener->listen(address, m_config.port, ListenBacklog, &listenError)) {
        *error = QStringLiteral("cannot listen on %1:%2: %3").arg(m_config.host).arg(m_config.port).arg(listenError);
        delete listener;
        return false;
    }
    m_listener = listener;
    connect(listener, &HttpListener::requestRefused, this, [this](const HttpRefusal &refusal, const QString &client) {
        m_metrics.httpRequest(refusal.status);
        refused(refusal.reason, refusal.status, refusal.message, client);
    });
    connect(listener, &HttpListener::connectionClosed, this,
            [this](const QString &reason) { m_metrics.httpConnectionClosed(reason); });
    connect(listener, &HttpListener::acceptFailed, this,
            [this](const QString &reason) { m_metrics.acceptFailed(reason); });
    connect(listener, &HttpListener::acceptFailing, this, [this](const QString &reason, int failures) {
        m_logger->error(QStringLiteral("accept_failed"),
                        QStringLiteral("Cannot accept connections: the process is out of descriptors; pausing "
                                       "accept and retrying every 100 ms"),
                        {{QStringLiteral("reason"), reason}, {QStringLiteral("failures"), failures}});
    });
    connect(listener, &HttpListener::tlsHandshakeFailed, this, [this](const QString &peer, const QString &problem) {
        m_logger->warning(QStringLiteral("tls_handshake_failed"), problem, {{QStringLiteral("remote"), peer}});
    });
    m_port = listener->port();
    m_status->setPort(m_port);
    m_workers->startKeepAlive();
    m_periodic->setIntervalSeconds(m_config.notificationIntervalSeconds);
    m_presence->setInstanceName(QStringLiteral("%1:%2").arg(QSysInfo::machineHostName()).arg(m_port));
    m_broker->start();
    m_presence->start();
    if (m_config.profile == Profile::Production && m_config.clientJwtSecret.isEmpty())
        m_logger->warning(QStringLiteral("channels_open"),
                          QStringLiteral("Without CLIENT_JWT_SECRET every client may subscribe to every channel"));
    m_logger->info(QStringLiteral("server_started"), QStringLiteral("Herald is listening"),
                   {{QStringLiteral("host"), m_config.host},
                    {QStringLiteral("port"), m_port},
                    {QStringLiteral("tls"), m_config.tlsEnabled()},
                    {QStringLiteral("version"), QCoreApplication::applicationVersion()},
                    {QStringLiteral("profile"), profileName(m_config.profile)},
                    {QStringLiteral("max_connections"), m_config.maxConnections}});
    return true;
}

void Server::refused(const QString &reason, int status, const QString &message, const QString &clientAddress,
                     const QString &path)
{
    m_metrics.connectionRefused(reason);
    Logger::Fields fields{{QStringLiteral("reason"), reason},
                          {QStringLiteral("status"), status},
                          {QStringLiteral("remote"), clientAddress}};
    if (!path.isEmpty())
        fields.append({QStringLiteral("path"), path});
    m_logger->warning(QStringLiteral("connection_refused"), message, fields);
}

PublishReceipt Server::broadcast(const NotificationRequest &notification, const QString &source)
{
    return m_publisher->publish(notification, source);
}

bool Server::isAcceptingConnections() const
{
    return m_shutdown->isAccepting();
}

int Server::clientCount() const
{
    return m_status->clientCount();
}

QJsonObject Server::healthJson() const
{
    return m_status->health();
}

QJsonObject Server::statusJson() const
{
    return m_status->status();
}

QJsonObject Server::metricsJson() const
{
    return m_status->metrics();
}

void Server::shutdown(const QString &reason, double drainSeconds)
{
    m_shutdown->requestShutdown(reason, drainSeconds);
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

} // namespace herald
