#pragma once

#include "config/Config.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QObject>
#include <QPair>
#include <atomic>
#include <memory>

class QTimer;

namespace spdlog {
class logger;
}

namespace herald {

class LogRetention;

// Herald's structured log: one line per event, JSON or text, to stderr, LOG_DIR/herald.log and (errors and
// worse) LOG_DIR/errors.log. spdlog does the sinks, thread safety and size rotation; this class owns the line
// format so every line has the same fields in the same order.
class Logger : public QObject
{
    Q_OBJECT
public:
    using Fields = QList<QPair<QString, QJsonValue>>;

    // Until configure() succeeds the logger writes to stderr only, so start-up errors are never lost.
    explicit Logger(QObject *parent = nullptr);
    ~Logger() override;

    // Opens the files under config.logDir. If they cannot be opened, keeps logging to stderr, logs a
    // warning saying why, and returns false.
    bool configure(const Config &config);
    void setLevel(LogLevel level);
    LogLevel level() const { return m_level; }
    bool isEnabled(LogLevel level) const { return level >= m_level; }

    void log(LogLevel level, const QString &event, const QString &message, const Fields &fields = {});
    void debug(const QString &event, const QString &message, const Fields &fields = {})
    {
        log(LogLevel::Debug, event, message, fields);
    }
    void info(const QString &event, const QString &message, const Fields &fields = {})
    {
        log(LogLevel::Info, event, message, fields);
    }
    void warning(const QString &event, const QString &message, const Fields &fields = {})
    {
        log(LogLevel::Warning, event, message, fields);
    }
    void error(const QString &event, const QString &message, const Fields &fields = {})
    {
        log(LogLevel::Error, event, message, fields);
    }

    // Writes out what the files buffer. Warnings and worse are written at once; the rest within FlushIntervalMs,
    // so that `tail -f herald.log` follows the server without a write per line.
    void flush();
    static constexpr int FlushIntervalMs = 1000;

signals:
    // Every line written, for in-process viewers such as the admin console.
    void lineWritten(herald::LogLevel level, const QString &line);
    // The same line as structured fields, whatever LOG_FORMAT is: "timestamp", "level", "event", "message", then
    // the event's own fields. Built only while something is connected.
    void recordWritten(const QJsonObject &record);

private:
    QString formatLine(const QString &timestamp, LogLevel level, const QString &event, const QString &message,
                       const Fields &fields) const;
    // A log file stopped taking lines (disk full, file gone read-only): says so on stderr, once, and goes on.
    void reportFileFailure(const std::string &reason);

    void emitRecord(const QString &timestamp, LogLevel level, const QString &event, const QString &message,
                    const Fields &fields);

    std::shared_ptr<spdlog::logger> m_sink;
    QTimer *m_flushTimer;
    std::atomic<LogLevel> m_level = LogLevel::Info; // read by every worker thread, set on SIGHUP
    LogFormat m_format = LogFormat::Json;
    LogRetention *m_retention = nullptr;
    std::atomic<bool> m_fileFailureReported = false;
};

} // namespace herald
