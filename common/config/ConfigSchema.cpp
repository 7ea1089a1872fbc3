#include "ConfigSchema.h"

#include <QHostAddress>
#include <QRegularExpression>
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

const QList<ConfigKey> &configSchema()
{
    static const QList<ConfigKey> schema{
        {QStringLiteral("HOST"), QStringLiteral("0.0.0.0"), QStringLiteral("Address to listen on"),
         QStringLiteral("an IPv4 or IPv6 address, or \"localhost\""), false,
         [](const QString &raw, Config &c) {
             const QString value = raw.trimmed();
             if (value != u"localhost" && QHostAddress(value).isNull())
                 return false;
             c.host = value;
             return true;
         },
         [](const Config &c) -> QJsonValue { return c.host; }},
        {QStringLiteral("PORT"), QStringLiteral("8000"),
         QStringLiteral("TCP port for HTTP and WebSocket; 0 picks a free one"),
         QStringLiteral("an integer from 0 to 65535"), false,
         [](const QString &raw, Config &c) {
             qint64 v;
             if (!integerInRange(raw, 0, 65535, &v))
                 return false;
             c.port = quint16(v);
             return true;
         },
         [](const Config &c) -> QJsonValue { return int(c.port); }},
        {QStringLiteral("WORKERS"), QStringLiteral("1"), QStringLiteral("Event-loop workers serving the port"),
         QStringLiteral("1 (this version runs a single event loop)"), false,
         [](const QString &raw, Config &c) {
             qint64 v;
             if (!integerInRange(raw, 1, 1, &v))
                 return false;
             c.workers = int(v);
             return true;
         },
         [](const Config &c) -> QJsonValue { return c.workers; }},
        {QStringLiteral("PING_INTERVAL"), QStringLiteral("30"),
         QStringLiteral("Seconds between keep-alive pings; 0 disables them"),
         QStringLiteral("a number of seconds, 0 or more"), false,
         [](const QString &raw, Config &c) { return parse::seconds(raw, &c.pingIntervalSeconds); },
         [](const Config &c) -> QJsonValue { return c.pingIntervalSeconds; }},
        {QStringLiteral("PING_TIMEOUT"), QStringLiteral("10"),
         QStringLiteral("Seconds a client has to answer a ping before it is closed"),
         QStringLiteral("a number of seconds greater than 0"), false,
         [](const QString &raw, Config &c) {
             return parse::seconds(raw, &c.pingTimeoutSeconds) && c.pingTimeoutSeconds > 0;
         },
         [](const Config &c) -> QJsonValue { return c.pingTimeoutSeconds; }},
        {QStringLiteral("MAX_CONNECTIONS"), QStringLiteral("1000"),
         QStringLiteral("WebSocket clients served at once; more are refused"),
         QStringLiteral("an integer from 1 to 1000000"), false,
         [](const QString &raw, Config &c) {
             qint64 v;
             if (!integerInRange(raw, 1, 1000000, &v))
                 return false;
             c.maxConnections = int(v);
             return true;
         },
         [](const Config &c) -> QJsonValue { return c.maxConnections; }},
        {QStringLiteral("NOTIFICATION_INTERVAL"), QStringLiteral("10"),
         QStringLiteral("Seconds between periodic notifications; 0 turns them off"),
         QStringLiteral("a number of seconds, 0 or more"), true,
         [](const QString &raw, Config &c) { return parse::seconds(raw, &c.notificationIntervalSeconds); },
         [](const Config &c) -> QJsonValue { return c.notificationIntervalSeconds; }},
        {QStringLiteral("SHUTDOWN_TIMEOUT"), QStringLiteral("1800"),
         QStringLiteral("Seconds graceful shutdown waits for clients to leave"),
         QStringLiteral("a number of seconds, 0 or more"), false,
         [](const QString &raw, Config &c) { return parse::seconds(raw, &c.shutdownTimeoutSeconds); },
         [](const Config &c) -> QJsonValue { return c.shutdownTimeoutSeconds; }},
        {QStringLiteral("LOG_LEVEL"), QStringLiteral("INFO"), QStringLiteral("Least severe level written"),
         QStringLiteral("one of TRACE, DEBUG, INFO, WARNING, ERROR, CRITICAL"), true,
         [](const QString &raw, Config &c) {
             const auto level = logLevelFromName(raw);
             if (level)
                 c.logLevel = *level;
             return level.has_value();
         },
         [](const Config &c) -> QJsonValue { return logLevelName(c.logLevel); }},
        {QStringLiteral("LOG_FORMAT"), QStringLiteral("json"), QStringLiteral("Log line format"),
         QStringLiteral("json or text"), false,
         [](const QString &raw, Config &c) {
             const QString value = raw.trimmed().toLower();
             if (value != u"json" && value != u"text")
                 return false;
             c.logFormat = value == u"json" ? LogFormat::Json : LogFormat::Text;
             return true;
         },
         [](const Config &c) -> QJsonValue {
             return c.logFormat == LogFormat::Json ? QStringLiteral("json") : QStringLiteral("text");
         }},
        {QStringLiteral("LOG_DIR"), QStringLiteral("logs"), QStringLiteral("Directory for herald.log and errors.log"),
         QStringLiteral("a non-empty directory path"), false,
         [](const QString &raw, Config &c) {
             c.logDir = raw.trimmed();
             return !c.logDir.isEmpty();
         },
         [](const Config &c) -> QJsonValue { return c.logDir; }},
        {QStringLiteral("LOG_ROTATION"), QStringLiteral("100 MB"),
         QStringLiteral("Size at which a log file is rotated"),
         QStringLiteral("a size such as \"100 MB\" (units B, KB, MB, GB; powers of 1024)"), false,
         [](const QString &raw, Config &c) { return parse::byteSize(raw, &c.logRotationBytes); },
         [](const Config &c) -> QJsonValue { return QStringLiteral("%1 B").arg(c.logRotationBytes); }},
        {QStringLiteral("LOG_RETENTION"), QStringLiteral("30 days"),
         QStringLiteral("Age after which rotated log files are deleted"),
         QStringLiteral("a duration such as \"30 days\" (units seconds, minutes, hours, days, weeks)"), false,
         [](const QString &raw, Config &c) { return parse::duration(raw, &c.logRetentionSeconds); },
         [](const Config &c) -> QJsonValue { return QStringLiteral("%1 seconds").arg(c.logRetentionSeconds); }},
        {QStringLiteral("MAX_BODY_SIZE"), QStringLiteral("64 KB"), QStringLiteral("Largest accepted HTTP request body"),
         QStringLiteral("a size such as \"64 KB\" (units B, KB, MB, GB)"), false,
         [](const QString &raw, Config &c) { return parse::byteSize(raw, &c.maxBodyBytes); },
         [](const Config &c) -> QJsonValue { return QStringLiteral("%1 B").arg(c.maxBodyBytes); }},
        {QStringLiteral("DEBUG"), QStringLiteral("false"), QStringLiteral("Debug mode: also serves /docs"),
         QStringLiteral("true or false"), false,
         [](const QString &raw, Config &c) { return parse::boolean(raw, &c.debug); },
         [](const Config &c) -> QJsonValue { return c.debug; }},
        {QStringLiteral("METRICS_ENABLED"), QStringLiteral("true"),
         QStringLiteral("Serve /metrics and /metrics/prometheus"), QStringLiteral("true or false"), false,
         [](const QString &raw, Config &c) { return parse::boolean(raw, &c.metricsEnabled); },
         [](const Config &c) -> QJsonValue { return c.metricsEnabled; }},
        {QStringLiteral("HEALTH_CHECK_ENABLED"), QStringLiteral("true"), QStringLiteral("Serve /health"),
         QStringLiteral("true or false"), false,
         [](const QString &raw, Config &c) { return parse::boolean(raw, &c.healthCheckEnabled); },
         [](const Config &c) -> QJsonValue { return c.healthCheckEnabled; }},
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
    return {};
}

} // namespace herald
