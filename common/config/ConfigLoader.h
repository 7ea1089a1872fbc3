#pragma once

#include "Config.h"

#include <QHash>
#include <QString>
#include <QStringList>

namespace herald {

// Where a setting's effective value came from; errors and /status name it.
enum class ConfigSource { Default, Profile, DotEnv, Environment, CommandLine };

struct ConfigLoadResult {
    enum class Outcome { Run, ShowAndExit, Error };
    Outcome outcome = Outcome::Error;
    Config config;
    QString output;                       // help or version text (ShowAndExit), or the one-line error (Error)
    QHash<QString, ConfigSource> sources; // key -> where its value came from
    QString envFilePath;

    static constexpr int UsageErrorExitCode = 2;
};

// Merges command line > environment > .env > profile > default into a validated Config.
// Pure: it takes the environment and working directory as arguments, so tests need no process state.
class ConfigLoader
{
public:
    static ConfigLoadResult load(const QStringList &arguments, const QHash<QString, QString> &environment,
                                 const QString &workingDirectory, const QString &version);
    static QString sourceName(ConfigSource source, const QString &key);
};

} // namespace herald
