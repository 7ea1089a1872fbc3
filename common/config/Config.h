#pragma once

#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

namespace herald {

enum class LogLevel { Trace, Debug, Info, Warning, Error, Critical };
enum class LogFormat { Json, Text };
enum class Profile { Default, Development, Production };

// How much of a stream's notifications is kept for clients that reconnect: the last `size`, none older than
// `ttlSeconds`. Size 0 or age 0: none.
struct HistoryLimits {
    int size = 100;
    qint64 ttlSeconds = 300;

    bool keepsAny() const { return size > 0 && ttlSeconds > 0; }
};

// HISTORY_CHANNELS: the limits of the channels matching pattern instead of the defaults.
struct HistoryRule {
    QString pattern;
    HistoryLimits limits;
};

// The server's settings after every source has been merged and validated. Plain values, no behaviour.
struct Config {
    QString host = QStringLiteral("0.0.0.0");
    quint16 port = 8000;
    int workers = 1;
    double pingIntervalSeconds = 30;
    double pingTimeoutSeconds = 10;
    int maxConnections = 1000;
    int maxConnectionsPerAddress = 1000; // from one IP address
    int maxChannelsPerClient = 100;
    double notificationIntervalSeconds = 10;
    double shutdownTimeoutSeconds = 1800;
    LogLevel logLevel = LogLevel::Info;
    LogFormat logFormat = LogFormat::Json;
    QString logDir = QStringLiteral("logs");
    qint64 logRotationBytes = 100LL * 1024 * 1024;
    qint64 logRetentionSeconds = 30LL * 24 * 3600;
    qint64 maxBodyBytes = 64 * 1024;
    qint64 maxHeaderBytes = 8 * 1024;
    int maxHeaderCount = 100;
    double httpHeaderTimeoutSeconds = 10;    // request line and headers, from the connection or first byte
    double httpBodyTimeoutSeconds = 30;      // a request body, from the end of its head; also an answer's send
    double httpKeepAliveTimeoutSeconds = 15; // an idle connection between requests
    int notifyRateLimit = 100;               // POST /notify per second from one address; 0: no limit
    int maxBatchSize = 100;                  // notifications in one POST /notify/batch
    HistoryLimits history;                   // every stream's, unless a rule of historyRules matches its channel
    QList<HistoryRule> historyRules;         // the first that matches a channel's name wins
    int recoveryLimit = 500;                 // notifications one reconnecting client is replayed at most
    double ackTimeoutSeconds = 30;           // for a user-targeted "ack": true notification, before the webhook
    qint64 receiptRetentionSeconds = 3600;   // how long GET /notifications/{id} knows a receipt
    QString undeliveredWebhookUrl;           // empty: no fallback for unacknowledged users
    QString webhookSecret;                   // signs the webhook's body (HMAC-SHA256)
    qint64 maxMessageBytes = 64 * 1024;      // from a WebSocket client
    bool compression = true;                 // permessage-deflate for the WebSocket clients that offer it
    qint64 compressionMinBytes = 1024;       // smaller messages go uncompressed
    qint64 maxQueuedBytes = 1024 * 1024;     // waiting for one client that does not read
    int maxQueuedMessages = 1000;
    int maxClientMessageRate = 50; // messages per second from one client
    bool debug = false;
    bool metricsEnabled = true;
    bool healthCheckEnabled = true;
    QString adminToken;      // empty: the /admin channel refuses everyone
    QString apiToken;        // empty: /notify and /status are open (refused by --prod)
    QString clientJwtSecret; // empty: /ws needs no token
    QString redisUrl;        // empty: no backplane, this instance stands alone
    QString redisChannel = QStringLiteral("herald:notifications");
    QStringList allowedOrigins;                     // lower case; empty: any origin may open /ws
    QStringList publicChannels;                     // patterns any client may subscribe to (with client tokens)
    QList<QPair<QHostAddress, int>> trustedProxies; // subnets whose X-Forwarded-For names the client
    QString tlsCertificateFile;                     // PEM; with tlsKeyFile, the port speaks only https and wss
    QString tlsKeyFile;                             // PEM, unencrypted
    Profile profile = Profile::Default;

    bool docsEnabled() const { return profile == Profile::Development || debug; }
    bool tlsEnabled() const { return !tlsCertificateFile.isEmpty(); }
    bool securityHeadersEnabled() const { return profile == Profile::Production; }
};

QString logLevelName(LogLevel level);
QString profileName(Profile profile);

} // namespace herald
