#pragma once

#include "Config.h"

#include <QJsonValue>
#include <QList>
#include <QString>
#include <functional>

namespace herald {

// One configuration key: its name in the environment and .env, its CLI flag, its default and how to apply a
// raw string to a Config. The table of these is the single source for flags, validation, docs and /status.
struct ConfigKey {
    QString name; // environment / .env name, e.g. "PING_INTERVAL"
    QString defaultValue;
    QString description;
    QString allowed;         // what a valid value looks like, quoted in error messages
    bool reloadable = false; // re-read on SIGHUP
    // Returns false if raw is not acceptable; then the loader reports `allowed`.
    std::function<bool(const QString &raw, Config &config)> apply;
    // The effective value as /status shows it.
    std::function<QJsonValue(const Config &config)> show;
    bool secret = false;     // shown as "***" wherever settings are displayed
    QString cliFlag() const; // "--ping-interval"
};

const QList<ConfigKey> &configSchema();

// Values that a profile flag (--dev, --prod) uses instead of the built-in default. Explicit settings from the
// command line, environment or .env still win over them.
QString profileDefault(Profile profile, const QString &key);

// Parsers shared by the schema and by tests.
namespace parse {
bool boolean(const QString &raw, bool *out);
bool seconds(const QString &raw, double *out);
bool byteSize(const QString &raw, qint64 *out);
bool duration(const QString &raw, qint64 *outSeconds);
} // namespace parse

} // namespace herald
