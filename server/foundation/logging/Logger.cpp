#include "Logger.h"

#include "LogRetention.h"
#include "protocol/Timestamp.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMetaMethod>
#include <QTimer>
#include <cstdio>

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace herald {

namespace {

// Rotated files kept at most, whatever their age; LOG_RETENTION usually removes them sooner.
constexpr std::size_t MaxRotatedFiles = 100;

spdlog::level::level_enum toSpdlog(LogLevel level)
{
    switch (level) {
    case LogLevel::Trace:
        return spdlog::level::trace;
    case LogLevel::Debug:
        return spdlog::level::debug;
    case LogLevel::Info:
        return spdlog::level::info;
    case LogLevel::Warning:
        return spdlog::level::warn;
    case LogLevel::Error:
        return spdlog::level::err;
    case LogLevel::Critical:
        return spdlog::level::critical;
    }
    return spdlog::level::info;
}

QByteArray jsonValueText(const QJsonValue &value)
{
    const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2);
}

std::shared_ptr<spdlog::logger> makeLogger(std::vector<spdlog::sink_ptr> sinks)
{
    auto logger = std::make_shared<spdlog::logger>("herald", sinks.begin(), sinks.end());
    logger->set_pattern("%v");
    logger->set_level(spdlog::level::trace); // filtering happens in Logger::log
    logger->flush_on(spdlog::level::warn);
    return logger;
}

} // namespace

Logger::Logger(QObject *parent)
    : QObject(parent)
    , m_sink(makeLogger({std::make_shared<spdlog::sinks::stderr_sink_mt>()}))
    , m_flushTimer(new QTimer(this))
    , m_retention(new LogRetention(this))
{
    m_flushTimer->setInterval(FlushIntervalMs);
    connect(m_flushTimer, &QTimer::timeout, this, &Logger::flush);
    connect(m_retention, &LogRetention::fileDeleted, this, [this](const QString &path) {
        info(QStringLiteral("log_file_expired"), QStringLiteral("Deleted rotated log file past retention"),
             {{QStringLiteral("path"), path}});
    });
}

Logger::~Logger()
{
    flush();
}

bool Logger::configure(const Config &config)
{
    m_level = config.logLevel;
    m_format = config.logFormat;
    std::vector<spdlog::sink_ptr> sinks{std::make_shared<spdlog::sinks::stderr_sink_mt>()};

    const QDir dir(config.logDir);
    QString failure;
    if (!QDir().mkpath(dir.absolutePath())) {
        failure = QStringLiteral("cannot create log directory");
    } else {
        try {
            const std::string base = dir.absolutePath().toStdString();
            const auto rotation = std::size_t(config.logRotationBytes);
            sinks.push_back(std::make_shared<spdlog::sinks::rotating_file_sink_mt>(base + "/herald.log", rotation,
                                                                                   MaxRotatedFiles));
            auto errors =
                std::make_shared<spdlog::sinks::rotating_file_sink_mt>(base + "/errors.log", rotation, MaxRotatedFiles);
            errors->set_level(spdlog::level::err);
            sinks.push_back(errors);
        } catch (const spdlog::spdlog_ex &e) {
            failure = QString::fromStdString(e.what());
            sinks.resize(1);
        }
    }
    m_sink->flush();
    m_sink = makeLogger(std::move(sinks));
    m_fileFailureReported = false;
    // spdlog keeps writing to the other sinks (stderr first) when one fails, and calls this instead of throwing.
    m_sink->set_error_handler([this](const std::string &reason) { reportFileFailure(reason); });

    if (!failure.isEmpty()) {
        warning(QStringLiteral("log_files_unavailable"), QStringLiteral("Logging to stderr only"),
                {{QStringLiteral("log_dir"), dir.absolutePath()}, {QStringLiteral("reason"), failure}});
        return false;
    }
    m_retention->setPolicy(dir.absolutePath(), config.logRetentionSeconds);
    m_retention->sweep();
    m_flushTimer->start();
    return true;
}

void Logger::setLevel(LogLevel level)
{
    m_level = level;
}

void Logger::log(LogLevel level, const QString &event, const QString &message, const Fields &fields)
{
    if (!isEnabled(level))
        return;
    const QString timestamp = isoTimestampUtc();
    const QString line = formatLine(timestamp, level, event, message, fields);
    m_sink->log(toSpdlog(level), "{}", line.toStdString());
    emit lineWritten(level, line);
    emitRecord(timestamp, level, event, message, fields);
}

void Logger::emitRecord(const QString &timestamp, LogLevel level, const QString &event, const QString &message,
                        const Fields &fields)
{
    static const QMetaMethod recordSignal = QMetaMethod::fromSignal(&Logger::recordWritten);
    if (!isSignalConnected(recordSignal))
        return;
    QJsonObject record{{QStringLiteral("timestamp"), timestamp},
                       {QStringLiteral("level"), logLevelName(level)},
                       {QStringLiteral("event"), event},
                       {QStringLiteral("message"), message}};
    for (const auto &[key, value] : fields)
        record.insert(key, value);
    emit recordWritten(record);
}

void Logger::reportFileFailure(const std::string &reason)
{
    if (m_fileFailureReported.exchange(true))
        return;
    const QString timestamp = isoTimestampUtc();
    const QString event = QStringLiteral("log_write_failed");
    const QString message = QStringLiteral("A log file cannot be written; logging goes on to stderr");
    const Fields fields{{QStringLiteral("reason"), QString::fromStdString(reason)}};
    const QString line = formatLine(timestamp, LogLevel::Warning, event, message, fields);
    // Straight to stderr: through the logger it would meet the failing file again.
    std::fputs(qPrintable(line + QLatin1Char('\n')), stderr);
    std::fflush(stderr);
    emit lineWritten(LogLevel::Warning, line);
    emitRecord(timestamp, LogLevel::Warning, event, message, fields);
}

void Logger::flush()
{
    m_sink->flush();
}

QString Logger::formatLine(const QString &timestamp, LogLevel level, const QString &event, const QString &message,
                           const Fields &fields) const
{
    if (m_format == LogFormat::Json) {
        QByteArray line = "{\"timestamp\":" + jsonValueText(timestamp) +
                          ",\"level\":" + jsonValueText(logLevelName(level)) + ",\"event\":" + jsonValueText(event) +
                          ",\"message\":" + jsonValueText(message);
        for (const auto &[key, value] : fields)
            line += ',' + jsonValueText(key) + ':' + jsonValueText(value);
        line += '}';
        return QString::fromUtf8(line);
    }
    QString line = QStringLiteral("%1 %2 %3: %4").arg(timestamp, logLevelName(level).leftJustified(8), event, message);
    for (const auto &[key, value] : fields) {
        const QByteArray text = value.isString() ? value.toString().toUtf8() : jsonValueText(value);
        line += QLatin1Char(' ') + key + QLatin1Char('=') + QString::fromUtf8(text);
    }
    return line;
}

} // namespace herald
