#pragma once

#include "config/Config.h"
#include "metrics/Metrics.h"
#include "publish/Publisher.h"
#include "shutdown/ShutdownCoordinator.h"

#include "http/ClientAddressResolver.h"
#include "http/ClientAdmission.h"

#include <QElapsedTimer>
#include <QJsonObject>

#include <QObject>

namespace herald {

class Logger;
class WorkerPool;
class History;
class PeriodicNotifier;
class HttpRouter;
class HttpListener;
struct HttpRefusal;
class HttpApi;
class NotificationRequest;
class ClientSession;
class AdminFeed;
class AdminCommands;
class AdminChannel;
class Broker;
class Presence;
class ServerStatus;
class PresenceApi;
class HistoryApi;
class ReceiptApi;
class ReceiptBook;
class UndeliveredWebhook;

// The composition root: makes the layers' parts, connects them and hands both faces (herald-server and the
// admin console) the few things they use: start(), broadcast(), shutdown(), the reports, the console's feed and
// commands, and signals for everything a viewer wants to follow. It passes its parts to one another, never out.
class Server : public QObject
{
    Q_OBJECT
public:
    Server(const Config &config, Logger *logger, QObject *parent = nullptr);
    ~Server() override;

    bool start(QString *error);
    quint16 port() const { return m_port; }
    const Config &config() const { return m_config; }

    // To whom the notification says (its channels or client ids), or to every client; see Publisher::publish.
    PublishReceipt broadcast(const NotificationRequest &notification, const QString &source);

    bool isAcceptingConnections() const;
    int clientCount() const;
    // What GET /health, /status and /metrics answer (see ServerStatus).
    QJsonObject healthJson() const;
    QJsonObject statusJson() const;
    QJsonObject metricsJson() const;

    // What the admin console (embedded or remote) watches and commands: its one way into the server.
    AdminFeed *adminFeed() const { return m_adminFeed; }
    AdminCommands *adminCommands() const { return m_adminCommands; }

public slots:
    // drainSeconds: see ShutdownCoordinator::requestShutdown.
    void shutdown(const QString &reason, double drainSeconds = -1);
    // Applies the settings that may change at run time (log level, notification interval); logs what changed.
    void applyReloadedConfig(const herald::Config &config);

signals:
    void broadcastSent(const QString &id, const QString &type, int recipients, const QString &source);
    // A graceful shutdown began (step 1: no new connections), and how it goes while clients leave.
    void shutdownStarted();
    void shutdownProgress(int remainingClients, double secondsLeft);
    // The shutdown is complete, the port is free, and attached consoles have been told (or were given a second).
    void stopped();

private:
    // Every refusal, wherever the front door decided it, is counted and logged here.
    void refused(const QString &reason, int status, const QString &message, const QString &clientAddress,
                 const QString &path = {});

    Config m_config;
    ClientAddressResolver m_clientAddresses;
    Logger *m_logger;
    QElapsedTimer m_uptime;
    Metrics m_metrics;
    quint16 m_port = 0;
    Broker *m_broker;   // LocalBroker, or RedisBackplane with REDIS_URL
    History *m_history; // MemoryHistory, or RedisHistory with REDIS_URL
    ReceiptBook *m_receipts;
    UndeliveredWebhook *m_webhook;
    WorkerPool *m_workers;
    Publisher *m_publisher;
    PeriodicNotifier *m_periodic;
    ShutdownCoordinator *m_shutdown;
    Presence *m_presence;
    ServerStatus *m_status;
    ClientAdmission m_clientAdmission;
    HttpRouter *m_router;
    HttpListener *m_listener = nullptr; // from start()
    HttpApi *m_api;
    PresenceApi *m_presenceApi;
    HistoryApi *m_historyApi;
    ReceiptApi *m_receiptApi;
    AdminFeed *m_adminFeed;
    AdminCommands *m_adminCommands;
    AdminChannel *m_admin;
};

} // namespace herald
