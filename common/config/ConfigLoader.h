#pragma once

#include "Config.h"

#include <QCommandLineOption>
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
    QHash<QString, QString> rawValues;    // key -> the effective value as written
    QString envFilePath;
    // Values of the caller's extra options (see ConfigLoader::load); a flag without a value maps to "true".
    QHash<QString, QString> extraValues;

    static constexpr int UsageErrorExitCode = 2;
};

// Merges command line > environment > .env > profile > default into a validated Config.
// Pure: it takes the environment and working directory as arguments, so tests need no process state.
class ConfigLoader
{
public:
    // extraOptions are a face's own flags (the console's --lang, ...), parsed alongside the server's and listed
    // first in --help, under that face's description (empty: the server's).
    static ConfigLoadResult load(const QStringList &arguments, const QHash<QString, QString> &environment,
                                 const QString &workingDirectory, const QString &version,
                                 const QList<QCommandLineOption> &extraOptions = {}, const QString &description = {});
    // --help as a terminal shows it: each option on a line of its own, its description wrapped below it,
    // nothing wider than HelpColumns.
    static QString helpText(const QString &usage, const QString &description,
                            const QList<QPair<QString, QList<QCommandLineOption>>> &sections);
    static constexpr int HelpColumns = 80;
    static QString sourceName(ConfigSource source, const QString &key);
};

} // namespace herald
