#include "ConfigSchema.h"

#include "protocol/ChannelName.h"

#include <QHostAddress>
#include <QRegularExpression>
#include <QThread>
#include <QUrl>
#include <algorithm>
#include <cmath>

namespace herald {

QString logLevelName(LogLevel level)
{
    switch (level) {
    case LogLevel::Trace:
        return QStringLiteral("TRACE");
    case LogLevel::Debug:
        return QStringLiteral("DEBUG");
    case LogLevel::Info:
        return QStringLiteral("INFO");
    case LogLevel::Warning:
        return QStringLiteral("WARNING");
    case LogLevel::Error:
        return QStringLiteral("ERROR");
    case LogLevel::Critical:
        return QStringLiteral("CRITICAL");
    }
    return {};
}

QString profileName(Profile profile)
{
    switch (profile) {
    case Profile::Development:
        return QStringLiteral("development");
    case Profile::Production:
        return QStringLiteral("production");
    case Profile::Default:
        break;
    }
    return QStringLiteral("default");
}

QString ConfigKey::cliFlag() const
{
    return QStringLiteral("--") + name.toLower().replace(QLatin1Char('_'), QLatin1Char('-'));
}

namespace parse {

bool boolean(const QString &raw, bool *out)
{
    const QString value = raw.trimmed().toLower();
    if (value == u"true" || value == u"1" || value == u"yes" || value == u"on") {
        *out = true;
        return true;
    }
    if (value == u"false" || value == u"0" || value == u"no" || value == u"off") {
        *out = false;
        return true;
    }
    return false;
}

bool seconds(const QString &raw, double *out)
{
    static const QRegularExpression number(QStringLiteral("^\\d+(\\.\\d+)?$"));
    const QString value = raw.trimmed();
    if (!number.match(value).hasMatch())
        return false;
    const double parsed = value.toDouble();
    if (!std::isfinite(parsed) || parsed > 365.0 * 24 * 3600)
        return false;
    *out = parsed;
    return true;
}

namespace {
// "<number> <unit>" with the unit looked up in a table; shared by sizes and durations.
bool numberWithUnit(const QString &raw, const QList<QPair<QStringList, qint64>> &units, qint64 *out)
{
    static const QRegularExpression pattern(QStringLiteral("^(\\d+(?:\\.\\d+)?)\\s*([A-Za-z]*)$"));
    const QRegularExpressionMatch match = pattern.match(raw.trimmed());
    if (!match.hasMatch())
        return false;
    const double amount = match.captured(1).toDouble();
    const QString unit = match.captured(2).toLower();
    for (const auto &[names, factor] : units) {
        if (names.contains(unit)) {
            const double total = amount * double(factor);
            if (total < 1 || total > 1e15)
                return false;
            *out = qint64(total);
            return true;
        }
    }
    return false;
}
} // namespace

bool byteSize(const QString &raw, qint64 *out)
{
    static const QList<QPair<QStringList, qint64>> units{
        {{QString(), QStringLiteral("b"), QStringLiteral("bytes")}, 1},
        {{QStringLiteral("kb"), QStringLiteral("kib"), QStringLiteral("k")}, 1024},
        {{QStringLiteral("mb"), QStringLiteral("mib"), QStringLiteral("m")}, 1024 * 1024},
        {{QStringLiteral("gb"), QStringLiteral("gib"), QStringLiteral("g")}, 1024LL * 1024 * 1024},
    };
    return numberWithUnit(raw, units, out);
}

bool duration(const QString &raw, qint64 *outSeconds)
{
    static const QList<QPair<QStringList, qint64>> units{
        {{QStringLiteral("s"), QStringLiteral("sec"), QStringLiteral("second"), QStringLiteral("seconds")}, 1},
        {{QStringLiteral("min"), QStringLiteral("minute"), QStringLiteral("minutes")}, 60},
        {{QStringLiteral("h"), QStringLiteral("hour"), QStringLiteral("hours")}, 3600},
        {{QStringLiteral("d"), QStringLiteral("day"), QStringLiteral("days")}, 24 * 3600},
        {{QStringLiteral("w"), QStringLiteral("week"), QStringLiteral("weeks")}, 7 * 24 * 3600},
    };
    return numberWithUnit(raw, units, outSeconds);
}

} // namespace parse

namespace {

bool integerInRange(const QString &raw, qint64 min, qint64 max, qint64 *out)
{
    bool ok = false;
    const qint64 value = raw.trimmed().toLongLong(&ok);
    if (!ok || value < min || value > max)
        return false;
    *out = value;
    return true;
}

std::optional<LogLevel> logLevelFromName(const QString &raw)
{
    const QString name = raw.trimmed().toUpper();
    for (LogLevel level :
         {LogLevel::Trace, LogLevel::Debug, LogLevel::Info, LogLevel::Warning, LogLevel::Error, LogLevel::Critical})
        if (name == logLevelName(level))
            return level;
    if (name == u"WARN")
        return LogLevel::Warning;
    return std::nullopt;
}

} // namespace

namespace {

// How a key reads into and shows out of its Config member; the builders below cover the usual kinds.
struct Binding {
    std::function<bool(const QString &, Config &)> apply;
    std::function<QJsonValue(const Config &)> show;
};

template<typename T> Binding integerBetween(T Config::*field, qint64 min, qint64 max)
{
    return {[=](const QString &raw, Config &c) {
                qint64 value;
                if (!integerInRange(raw, min, max, &value))
                    return false;
                c.*field = T(value);
                return true;
            },
            [=](const Config &c) -> QJsonValue { return qint64(c.*field); }};
}

// A member of a member, such as Config::history's size.
template<typename Part, typename T> Binding integerBetween(Part Config::*part, T Part::*field, qint64 min, qint64 max)
{
    return {[=](const QString &raw, Config &c) {
                qint64 value;
                if (!integerInRange(raw, min, max, &value))
                    return false;
                (c.*part).*field = T(value);
                return true;
            },
            [=](const Config &c) -> QJsonValue { return qint64((c.*part).*field); }};
}

// A history's age: a duration, a bare number of seconds, or 0 for none.
bool historyTtl(const QString &raw, qint64 *outSeconds)
{
    double seconds = 0;
    if (parse::seconds(raw, &seconds)) {
        *outSeconds = qint64(std::ceil(seconds));
        return true;
    }
    return parse::duration(raw, outSeconds);
}

// "pattern=size" or "pattern=size/duration"; the age is the default's when not given.
std::optional<HistoryRule> historyRule(const QString &text, const HistoryLimits &defaults)
{
    const qsizetype equals = text.indexOf(QLatin1Char('='));
    if (equals <= 0)
        return std::nullopt;
    HistoryRule rule{text.left(equals).trimmed(), defaults};
    if (!ChannelName::isValidPattern(rule.pattern))
        return std::nullopt;
    const QString limits = text.mid(equals + 1);
    const qsizetype slash = limits.indexOf(QLatin1Char('/'));
    qint64 size = 0;
    if (!integerInRange(limits.left(slash), 0, 100000, &size))
        return std::nullopt;
    rule.limits.size = int(size);
    if (slash >= 0 && !historyTtl(limits.mid(slash + 1), &rule.limits.ttlSeconds))
        return std::nullopt;
    return rule;
}

Binding secondsAtLeast(double Config::*field, bool zeroAllowed)
{
    return {[=](const QString &raw, Config &c) {
                return parse::seconds(raw, &(c.*field)) && (zeroAllowed || c.*field > 0);
            },
            [=](const Config &c) -> QJsonValue { return c.*field; }};
}

Binding boolean(bool Config::*field)
{
    return {[=](const QString &raw, Config &c) { return parse::boolean(raw, &(c.*field)); },
            [=](const Config &c) -> QJsonValue { return c.*field; }};
}

Binding byteSize(qint64 Config::*field)
{
    return {[=](const QString &raw, Config &c) { return parse::byteSize(raw, &(c.*field)); },
            [=](const Config &c) -> QJsonValue { return QStringLiteral("%1 B").arg(c.*field); }};
}

// Checked for existence when the server starts, where the file is read: a path may be valid only there.
Binding filePath(QString Config::*field)
{
    return {[=](const QString &raw, Config &c) {
                c.*field = raw.trimmed();
                return true;
            },
            [=](const Config &c) -> QJsonValue { return c.*field; }};
}

ConfigKey key(const char *name, const char *defaultValue, const char *description, const char *allowed, Binding binding,
              bool reloadable = false)
{
    return {QString::fromLatin1(name),
            QString::fromLatin1(defaultValue),
            QString::fromLatin1(description),
            QString::fromLatin1(allowed),
            reloadable,
            std::move(binding.apply),
            std::move(binding.show)};
}

ConfigKey secret(ConfigKey key)
{
    key.secret = true;
    return key;
}

const char *const SecondsAllowed = "a number of seconds, 0 or more";

} // namespace

const QList<ConfigKey> &configSchema()
{
    static const QList<ConfigKey> schema{
        key("HOST", "0.0.0.0", "Address to listen on", "an IPv4 or IPv6 address, or \"localhost\"",
            {[](const QString &raw, Config &c) {
                 const QString value = raw.trimmed();
                 if (value != u"localhost" && QHostAddress(value).isNull())
                     return false;
                 c.host = value;
                 return true;
             },
             [](const Config &c) -> QJsonValue { return c.host; }}),
        key("PORT", "8000", "TCP port for HTTP and WebSocket; 0 picks a free one", "an integer from 0 to 65535",
            integerBetween(&Config::port, 0, 65535)),
        key("WORKERS", "1", "Event loops (threads) serving WebSocket clients; --prod defaults to one per core",
            "an integer from 1 to 64", integerBetween(&Config::workers, 1, 64)),
        key("PING_INTERVAL", "30", "Seconds between keep-alive pings; 0 disables them", SecondsAllowed,
            secondsAtLeast(&Config::pingIntervalSeconds, true)),
        key("PING_TIMEOUT", "10", "Seconds a client has to answer a ping before it is closed",
            "a number of seconds greater than 0", secondsAtLeast(&Config::pingTimeoutSeconds, false)),
        key("MAX_CONNECTIONS", "1000", "WebSocket clients served at once; more are refused",
            "an integer from 1 to 1000000", integerBetween(&Config::maxConnections, 1, 1000000)),
        key("MAX_CONNECTIONS_PER_IP", "1000", "WebSocket clients served at once from one IP address; more get 429",
            "an integer from 1 to 1000000", integerBetween(&Config::maxConnectionsPerAddress, 1, 1000000)),
        key("MAX_CHANNELS_PER_CLIENT", "100",
            "Channels one client may subscribe to at once; past it, too_many_channels", "an integer from 1 to 10000",
            integerBetween(&Config::maxChannelsPerClient, 1, 10000)),
        key("NOTIFICATION_INTERVAL", "10", "Seconds between periodic notifications; 0 turns them off", SecondsAllowed,
            secondsAtLeast(&Config::notificationIntervalSeconds, true), true),
        key("SHUTDOWN_TIMEOUT", "1800", "Seconds graceful shutdown waits for clients to leave", SecondsAllowed,
            secondsAtLeast(&Config::shutdownTimeoutSeconds, true)),
        key("LOG_LEVEL", "INFO", "Least severe level written", "one of TRACE, DEBUG, INFO, WARNING, ERROR, CRITICAL",
            {[](const QString &raw, Config &c) {
                 const auto level = logLevelFromName(raw);
                 if (level)
                     c.logLevel = *level;
                 return level.has_value();
             },
             [](const Config &c) -> QJsonValue { return logLevelName(c.logLevel); }},
            true),
        key("LOG_FORMAT", "json", "Log line format", "json or text",
            {[](const QString &raw, Config &c) {
                 const QString value = raw.trimmed().toLower();
                 if (value != u"json" && value != u"text")
                     return false;
                 c.logFormat = value == u"json" ? LogFormat::Json : LogFormat::Text;
                 return true;
             },
             [](const Config &c) -> QJsonValue {
                 return c.logFormat == LogFormat::Json ? QStringLiteral("json") : QStringLiteral("text");
             }}),
        key("LOG_DIR", "logs", "Directory for herald.log and errors.log", "a non-empty directory path",
            {[](const QString &raw, Config &c) {
                 c.logDir = raw.trimmed();
                 return !c.logDir.isEmpty();
             },
             [](const Config &c) -> QJsonValue { return c.logDir; }}),
        key("LOG_ROTATION", "100 MB", "Size at which a log file is rotated",
            "a size such as \"100 MB\" (units B, KB, MB, GB; powers of 1024)", byteSize(&Config::logRotationBytes)),
        key("LOG_RETENTION", "30 days", "Age after which rotated log files are deleted",
            "a duration such as \"30 days\" (units seconds, minutes, hours, days, weeks)",
            {[](const QString &raw, Config &c) { return parse::duration(raw, &c.logRetentionSeconds); },
             [](const Config &c) -> QJsonValue { return QStringLiteral("%1 seconds").arg(c.logRetentionSeconds); }}),
        key("MAX_BODY_SIZE", "64 KB", "Largest accepted HTTP request body; a larger Content-Length gets 413 unread",
            "a size such as \"64 KB\" (units B, KB, MB, GB)", byteSize(&Config::maxBodyBytes)),
        key("MAX_HEADER_SIZE", "8 KB", "Largest HTTP request line and headers; larger requests get 431 at once",
            "a size such as \"8 KB\" (units B, KB, MB, GB)", byteSize(&Config::maxHeaderBytes)),
        key("MAX_HEADER_COUNT", "100", "Most HTTP header fields in one request; more get 431",
            "an integer from 1 to 10000", integerBetween(&Config::maxHeaderCount, 1, 10000)),
        key("HTTP_HEADER_TIMEOUT", "10",
            "Seconds a connection has to send its request line and headers (408; closed silently if it sent nothing)",
            "a number of seconds greater than 0", secondsAtLeast(&Config::httpHeaderTimeoutSeconds, false)),
        key("HTTP_BODY_TIMEOUT", "30",
            "Seconds a request body may take after its headers (408), and an answer may wait for a client to read it",
            "a number of seconds greater than 0", secondsAtLeast(&Config::httpBodyTimeoutSeconds, false)),
        key("HTTP_KEEPALIVE_TIMEOUT", "15", "Seconds an idle HTTP connection is kept open between requests",
            "a number of seconds greater than 0", secondsAtLeast(&Config::httpKeepAliveTimeoutSeconds, false)),
        key("NOTIFY_RATE_LIMIT", "100",
            "POST /notify requests per second from one address (bursts of twice that); more get 429; 0: no limit",
            "an integer from 0 to 1000000", integerBetween(&Config::notifyRateLimit, 0, 1000000)),
        key("MAX_BATCH_SIZE", "100", "Notifications one POST /notify/batch may carry; more get 422",
            "an integer from 1 to 10000", integerBetween(&Config::maxBatchSize, 1, 10000)),
        key("HISTORY_SIZE", "100",
            "Notifications kept per stream (each channel, the broadcasts to everyone, each user's) for clients that "
            "reconnect; 0 keeps none",
            "an integer from 0 to 100000", integerBetween(&Config::history, &HistoryLimits::size, 0, 100000)),
        key("HISTORY_TTL", "5 min", "Age past which a kept notification is forgotten; 0 keeps none",
            "a duration such as \"5 min\" (units seconds, minutes, hours, days, weeks), or 0",
            {[](const QString &raw, Config &c) { return historyTtl(raw, &c.history.ttlSeconds); },
             [](const Config &c) -> QJsonValue { return QStringLiteral("%1 seconds").arg(c.history.ttlSeconds); }}),
        key("HISTORY_CHANNELS", "",
            "History limits for the channels matching a pattern instead of HISTORY_SIZE and HISTORY_TTL, the first "
            "match winning, such as chat.*=500/1h,ticker.*=0",
            "a comma-separated list of pattern=size or pattern=size/duration, or empty",
            {[](const QString &raw, Config &c) {
                 c.historyRules.clear();
                 for (const QString &part : raw.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
                     const auto rule = historyRule(part.trimmed(), c.history);
                     if (!rule)
                         return false;
                     c.historyRules.append(*rule);
                 }
                 return true;
             },
             [](const Config &c) -> QJsonValue {
                 QStringList rules;
                 for (const HistoryRule &rule : c.historyRules)
                     rules << QStringLiteral("%1=%2/%3s")
                                  .arg(rule.pattern)
                                  .arg(rule.limits.size)
                                  .arg(rule.limits.ttlSeconds);
                 return rules.join(QLatin1Char(','));
             }}),
        key("RECOVERY_LIMIT", "500",
            "Notifications one reconnecting client is replayed at most; a longer gap is answered recovered: false",
            "an integer from 1 to 100000", integerBetween(&Config::recoveryLimit, 1, 100000)),
        key("ACK_TIMEOUT", "30",
            "Seconds a user-targeted notification with \"ack\": true waits for its users to acknowledge it before "
            "the ones who did not are POSTed to UNDELIVERED_WEBHOOK_URL",
            "a number of seconds greater than 0", secondsAtLeast(&Config::ackTimeoutSeconds, false)),
        key("RECEIPT_RETENTION", "1 h", "How long GET /notifications/{id} keeps a notification's receipt",
            "a duration such as \"1 h\" (units seconds, minutes, hours, days, weeks)",
            {[](const QString &raw, Config &c) { return parse::duration(raw, &c.receiptRetentionSeconds); },
             [](const Config &c) -> QJsonValue {
                 return QStringLiteral("%1 seconds").arg(c.receiptRetentionSeconds);
             }}),
        key("UNDELIVERED_WEBHOOK_URL", "",
            "Where the users a notification with \"ack\": true did not reach within ACK_TIMEOUT are POSTed (signed "
            "with WEBHOOK_SECRET), for a push or an email instead; empty: nowhere",
            "an http or https URL, or empty",
            {[](const QString &raw, Config &c) {
                 c.undeliveredWebhookUrl = raw.trimmed();
                 const QUrl url(c.undeliveredWebhookUrl, QUrl::StrictMode);
                 return c.undeliveredWebhookUrl.isEmpty() ||
                        (url.isValid() && (url.scheme() == u"http" || url.scheme() == u"https") &&
                         !url.host().isEmpty());
             },
             [](const Config &c) -> QJsonValue { return c.undeliveredWebhookUrl; }}),
        secret(key("WEBHOOK_SECRET", "",
                   "Key of the HMAC-SHA256 signature of each webhook body (X-Herald-Signature: sha256=<hex>); needed "
                   "with UNDELIVERED_WEBHOOK_URL",
                   "any text (at least 16 characters), or empty",
                   {[](const QString &raw, Config &c) {
                        c.webhookSecret = raw.trimmed();
                        return c.webhookSecret.isEmpty() || c.webhookSecret.size() >= 16;
                    },
                    [](const Config &c) -> QJsonValue { return c.webhookSecret; }})),
        key("MAX_MESSAGE_SIZE", "64 KB", "Largest message a WebSocket client may send; larger ones close it (1009)",
            "a size such as \"64 KB\" (units B, KB, MB, GB)", byteSize(&Config::maxMessageBytes)),
        key("COMPRESSION", "true",
            "Offer permessage-deflate (RFC 7692) to WebSocket clients that ask for it (browsers do): each message "
            "is compressed once for every client that agreed",
            "true or false", boolean(&Config::compression)),
        key("COMPRESSION_MIN_SIZE", "1 KB",
            "Messages smaller than this go uncompressed even to clients that agreed on compression",
            "a size such as \"1 KB\" (units B, KB, MB, GB)", byteSize(&Config::compressionMinBytes)),
        key("MAX_QUEUED_BYTES", "1 MB",
            "Bytes waiting for one client that does not read; past it the client is closed (1008, slow_consumer)",
            "a size such as \"1 MB\" (units B, KB, MB, GB)", byteSize(&Config::maxQueuedBytes)),
        key("MAX_QUEUED_MESSAGES", "1000",
            "Messages waiting for one client that does not read; past it the client is closed (1008, slow_consumer)",
            "an integer from 1 to 1000000", integerBetween(&Config::maxQueuedMessages, 1, 1000000)),
        key("CLIENT_MESSAGE_RATE", "50",
            "Messages (and pings) per second one client may send, bursts of twice that; more close it (1008)",
            "an integer from 1 to 100000", integerBetween(&Config::maxClientMessageRate, 1, 100000)),
        key("TLS_CERT_FILE", "",
            "Certificate (PEM, the server's first, then its chain) for https and wss on the port; empty: plain "
            "http and ws",
            "a file path, or empty (set with TLS_KEY_FILE)", filePath(&Config::tlsCertificateFile)),
        key("TLS_KEY_FILE", "", "Private key (PEM, RSA or EC, not encrypted) of TLS_CERT_FILE",
            "a file path, or empty (set with TLS_CERT_FILE)", filePath(&Config::tlsKeyFile)),
        key("DEBUG", "false", "Debug mode: also serves /docs", "true or false", boolean(&Config::debug)),
        key("METRICS_ENABLED", "true", "Serve /metrics and /metrics/prometheus", "true or false",
            boolean(&Config::metricsEnabled)),
        key("HEALTH_CHECK_ENABLED", "true", "Serve /health", "true or false", boolean(&Config::healthCheckEnabled)),
        secret(key("API_TOKEN", "",
                   "Bearer token POST /notify and GET /status require; empty leaves them open (--prod refuses that)",
                   "any text (at least 16 characters), or empty",
                   {[](const QString &raw, Config &c) {
                        c.apiToken = raw.trimmed();
                        return c.apiToken.isEmpty() || c.apiToken.size() >= 16;
                    },
                    [](const Config &c) -> QJsonValue { return c.apiToken; }})),
        secret(key("CLIENT_JWT_SECRET", "",
                   "HS256 secret for the signed tokens (JWT) /ws clients must present; their \"sub\" names the client "
                   "in logs and the console; empty: no token needed",
                   "any text of at least 32 characters, or empty",
                   {[](const QString &raw, Config &c) {
                        c.clientJwtSecret = raw.trimmed();
                        return c.clientJwtSecret.isEmpty() || c.clientJwtSecret.size() >= 32;
                    },
                    [](const Config &c) -> QJsonValue { return c.clientJwtSecret; }})),
        secret(key("ADMIN_TOKEN", "", "Token the admin console sends to /admin; empty disables the admin channel",
                   "any text (at least 16 characters), or empty",
                   {[](const QString &raw, Config &c) {
                        c.adminToken = raw.trimmed();
                        return c.adminToken.isEmpty() || c.adminToken.size() >= 16;
                    },
                    [](const Config &c) -> QJsonValue { return c.adminToken; }})),
        key("REDIS_URL", "", "Redis server that fans notifications out to every Herald instance; empty: none",
            "redis://[:password@]host[:port], or empty",
            {[](const QString &raw, Config &c) {
                 const QUrl url(raw.trimmed(), QUrl::StrictMode);
                 if (!raw.trimmed().isEmpty() && (!url.isValid() || url.scheme() != u"redis" || url.host().isEmpty()))
                     return false;
                 c.redisUrl = raw.trimmed();
                 return true;
             },
             [](const Config &c) -> QJsonValue {
                 QUrl shown(c.redisUrl);
                 if (!shown.password().isEmpty())
                     shown.setPassword(QStringLiteral("***"));
                 return shown.toString();
             }}),
        key("REDIS_CHANNEL", "herald:notifications", "Redis stream the instances share", "a non-empty key name",
            {[](const QString &raw, Config &c) {
                 c.redisChannel = raw.trimmed();
                 return !c.redisChannel.isEmpty();
             },
             [](const Config &c) -> QJsonValue { return c.redisChannel; }}),
        key("ALLOWED_ORIGINS", "",
            "Browser origins allowed to open /ws, comma-separated; empty allows any. Clients that send no Origin "
            "(not browsers) are not affected",
            "a comma-separated list of origins such as https://app.example.com, or empty",
            {[](const QString &raw, Config &c) {
                 c.allowedOrigins.clear();
                 for (const QString &part : raw.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
                     const QString origin = part.trimmed();
                     const QUrl url(origin, QUrl::StrictMode);
                     if (!url.isValid() || url.scheme().isEmpty() || url.host().isEmpty() || !url.path().isEmpty())
                         return false;
                     c.allowedOrigins.append(origin.toLower());
                 }
                 return true;
             },
             [](const Config &c) -> QJsonValue { return c.allowedOrigins.join(QLatin1Char(',')); }}),
        key("PUBLIC_CHANNELS", "",
            "Channels every client may subscribe to when CLIENT_JWT_SECRET is set (tokens grant the rest), "
            "comma-separated names or prefix patterns such as news,status.*; without client tokens every channel is "
            "open",
            "a comma-separated list of channel names or patterns ending in *, or empty",
            {[](const QString &raw, Config &c) {
                 c.publicChannels.clear();
                 for (const QString &part : raw.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
                     const QString pattern = part.trimmed();
                     if (!ChannelName::isValidPattern(pattern))
                         return false;
                     c.publicChannels.append(pattern);
                 }
                 return true;
             },
             [](const Config &c) -> QJsonValue { return c.publicChannels.join(QLatin1Char(',')); }}),
        key("TRUSTED_PROXIES", "",
            "Reverse proxies (addresses or subnets, comma-separated) whose X-Forwarded-For header names the client for "
            "per-address limits, logs and the console; empty: the peer is the client and X-Forwarded-For is ignored",
            "a comma-separated list of IP addresses or CIDR subnets such as 127.0.0.1,10.0.0.0/8, or empty",
            {[](const QString &raw, Config &c) {
                 c.trustedProxies.clear();
                 for (const QString &part : raw.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
                     QString entry = part.trimmed();
                     // A bare address is that one host (parseSubnet would give an IPv4 one its classful network).
                     if (!entry.contains(QLatin1Char('/')))
                         entry += entry.contains(QLatin1Char(':')) ? QStringLiteral("/128") : QStringLiteral("/32");
                     const QPair<QHostAddress, int> subnet = QHostAddress::parseSubnet(entry);
                     if (subnet.first.isNull() || subnet.second < 0)
                         return false;
                     c.trustedProxies.append(subnet);
                 }
                 return true;
             },
             [](const Config &c) -> QJsonValue {
                 QStringList subnets;
                 for (const auto &[address, length] : c.trustedProxies)
                     subnets << QStringLiteral("%1/%2").arg(address.toString()).arg(length);
                 return subnets.join(QLatin1Char(','));
             }}),
    };
    return schema;
}

QString profileDefault(Profile profile, const QString &key)
{
    if (profile == Profile::Development) {
        if (key == u"DEBUG")
            return QStringLiteral("true");
        if (key == u"LOG_FORMAT")
            return QStringLiteral("text");
        if (key == u"LOG_LEVEL")
            return QStringLiteral("DEBUG");
    }
    if (profile == Profile::Production && key == u"LOG_FORMAT")
        return QStringLiteral("json");
    if (profile == Profile::Production && key == u"WORKERS")
        return QString::number(std::clamp(QThread::idealThreadCount(), 1, 64));
    return {};
}

} // namespace herald
