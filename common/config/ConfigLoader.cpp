#include "ConfigLoader.h"

#include "ConfigSchema.h"
#include "DotEnvFile.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>

namespace herald {

namespace {

ConfigLoadResult failure(const QString &message)
{
    ConfigLoadResult result;
    result.outcome = ConfigLoadResult::Outcome::Error;
    result.output = message;
    return result;
}

QString optionName(const ConfigKey &key)
{
    return key.cliFlag().mid(2);
}

} // namespace

QString ConfigLoader::sourceName(ConfigSource source, const QString &key)
{
    switch (source) {
    case ConfigSource::CommandLine:
        return QStringLiteral("command line");
    case ConfigSource::Environment:
        return QStringLiteral("environment variable %1").arg(key);
    case ConfigSource::DotEnv:
        return QStringLiteral(".env file");
    case ConfigSource::Profile:
        return QStringLiteral("profile");
    case ConfigSource::Default:
        break;
    }
    return QStringLiteral("default");
}

namespace {
// Words of text, filled into lines of at most width columns, each starting with indent.
QStringList wrapped(const QString &text, int indent, int width)
{
    QStringList lines;
    QString line;
    const QString margin(indent, QLatin1Char(' '));
    for (const QString &word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        if (!line.isEmpty() && line.size() + 1 + word.size() > width - indent) {
            lines.append(margin + line);
            line.clear();
        }
        line += (line.isEmpty() ? QString() : QStringLiteral(" ")) + word;
    }
    if (!line.isEmpty())
        lines.append(margin + line);
    return lines;
}
} // namespace

QString ConfigLoader::helpText(const QString &usage, const QString &description,
                               const QList<QPair<QString, QList<QCommandLineOption>>> &sections)
{
    QStringList lines{QStringLiteral("Usage: %1 [options]").arg(usage), QString()};
    for (const QString &paragraph : description.split(QLatin1Char('\n')))
        lines += wrapped(paragraph, 0, HelpColumns);
    for (const auto &[title, options] : sections) {
        lines += {QString(), title + QLatin1Char(':')};
        for (const QCommandLineOption &option : options) {
            QStringList names;
            for (const QString &name : option.names())
                names.append((name.size() == 1 ? QStringLiteral("-") : QStringLiteral("--")) + name);
            QString head = QStringLiteral("  ") + names.join(QStringLiteral(", "));
            if (!option.valueName().isEmpty())
                head += QStringLiteral(" <%1>").arg(option.valueName());
            lines.append(head);
            lines += wrapped(option.description(), 6, HelpColumns);
        }
    }
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

ConfigLoadResult ConfigLoader::load(const QStringList &arguments, const QHash<QString, QString> &environment,
                                    const QString &workingDirectory, const QString &version,
                                    const QList<QCommandLineOption> &extraOptions, const QString &description)
{
    QCommandLineParser parser;
    const QCommandLineOption helpOption(QStringList{QStringLiteral("h"), QStringLiteral("help")},
                                        QStringLiteral("Show this help and exit."));
    const QCommandLineOption versionOption(QStringList{QStringLiteral("v"), QStringLiteral("version")},
                                           QStringLiteral("Show the version and exit."));
    const QCommandLineOption devOption(QStringLiteral("dev"),
                                       QStringLiteral("Development profile: debug, text logs at DEBUG, /docs."));
    const QCommandLineOption prodOption(QStringLiteral("prod"),
                                        QStringLiteral("Production profile: JSON logs, security headers."));
    const QCommandLineOption envFileOption(QStringLiteral("env-file"),
                                           QStringLiteral("Read settings from <path> instead of ./.env."),
                                           QStringLiteral("path"));
    parser.addOptions({helpOption, versionOption, devOption, prodOption, envFileOption});
    parser.addOptions(extraOptions);
    QList<QCommandLineOption> settingOptions;
    for (const ConfigKey &key : configSchema())
        settingOptions.append(QCommandLineOption(optionName(key),
                                                 QStringLiteral("%1 (env %2, default \"%3\"; %4).")
                                                     .arg(key.description, key.name, key.defaultValue, key.allowed),
                                                 key.name.toLower()));
    parser.addOptions(settingOptions);

    if (!parser.parse(arguments))
        return failure(QStringLiteral("%1 (see --help)").arg(parser.errorText()));
    if (!parser.positionalArguments().isEmpty())
        return failure(
            QStringLiteral("unexpected argument \"%1\" (see --help)").arg(parser.positionalArguments().first()));

    ConfigLoadResult result;
    for (const QCommandLineOption &option : extraOptions)
        if (parser.isSet(option))
            result.extraValues.insert(option.names().constLast(),
                                      option.valueName().isEmpty() ? QStringLiteral("true") : parser.value(option));
    if (parser.isSet(helpOption) || parser.isSet(versionOption)) {
        result.outcome = ConfigLoadResult::Outcome::ShowAndExit;
        const QString program = QFileInfo(arguments.value(0)).fileName();
        const QString serverDescription = QStringLiteral(
            "Herald real-time notification server: WebSocket clients at /ws and an HTTP API on one port.\n"
            "Settings come from flags, then environment variables, then the .env file, then defaults.");
        QList<QPair<QString, QList<QCommandLineOption>>> sections;
        if (!extraOptions.isEmpty())
            sections.append({QStringLiteral("Console options"), extraOptions});
        sections.append({QStringLiteral("Options"), {helpOption, versionOption, devOption, prodOption, envFileOption}});
        sections.append(
            {extraOptions.isEmpty() ? QStringLiteral("Settings") : QStringLiteral("Settings of the embedded server"),
             settingOptions});
        result.output = parser.isSet(helpOption)
                            ? helpText(program, description.isEmpty() ? serverDescription : description, sections)
                            : QStringLiteral("%1 %2\n").arg(program, version);
        return result;
    }
    if (parser.isSet(devOption) && parser.isSet(prodOption))
        return failure(QStringLiteral("--dev and --prod cannot be used together"));

    Config &config = result.config;
    config.profile = parser.isSet(devOption)    ? Profile::Development
                     : parser.isSet(prodOption) ? Profile::Production
                                                : Profile::Default;

    const bool envFileExplicit = parser.isSet(envFileOption);
    result.envFilePath =
        QDir(workingDirectory).absoluteFilePath(envFileExplicit ? parser.value(envFileOption) : QStringLiteral(".env"));
    const DotEnvFile dotEnv = DotEnvFile::read(result.envFilePath);
    if (!dotEnv.error.isEmpty())
        return failure(dotEnv.error);
    if (envFileExplicit && !dotEnv.exists)
        return failure(QStringLiteral("--env-file: %1 does not exist").arg(result.envFilePath));

    for (const ConfigKey &key : configSchema()) {
        QString raw = key.defaultValue;
        ConfigSource source = ConfigSource::Default;
        if (parser.isSet(optionName(key))) {
            raw = parser.value(optionName(key));
            source = ConfigSource::CommandLine;
        } else if (environment.contains(key.name)) {
            raw = environment.value(key.name);
            source = ConfigSource::Environment;
        } else if (dotEnv.values.contains(key.name)) {
            raw = dotEnv.values.value(key.name);
            source = ConfigSource::DotEnv;
        } else if (const QString fromProfile = profileDefault(config.profile, key.name); !fromProfile.isEmpty()) {
            raw = fromProfile;
            source = ConfigSource::Profile;
        }
        if (!key.apply(raw, config)) {
            const QString where = source == ConfigSource::CommandLine ? key.cliFlag() : sourceName(source, key.name);
            // A secret's value is never repeated, not even a wrong one: it may be a real secret set in the wrong key.
            const QString shown = key.secret ? QStringLiteral("(hidden)") : QStringLiteral("\"%1\"").arg(raw);
            return failure(
                QStringLiteral("invalid %1=%2 (from %3): expected %4").arg(key.name, shown, where, key.allowed));
        }
        result.sources.insert(key.name, source);
        result.rawValues.insert(key.name, raw);
    }
    if (config.tlsCertificateFile.isEmpty() != config.tlsKeyFile.isEmpty())
        return failure(QStringLiteral("TLS_CERT_FILE and TLS_KEY_FILE go together: set both for https and wss, or "
                                      "neither for plain http and ws"));
    if (!config.undeliveredWebhookUrl.isEmpty() && config.webhookSecret.isEmpty())
        return failure(QStringLiteral("UNDELIVERED_WEBHOOK_URL needs WEBHOOK_SECRET (at least 16 characters): the "
                                      "backend checks each body's signature with it, e.g. "
                                      "WEBHOOK_SECRET=$(openssl rand -hex 32)"));
    if (config.profile == Profile::Production && config.apiToken.isEmpty())
        return failure(QStringLiteral("--prod requires API_TOKEN (at least 16 characters): without it anyone who "
                                      "reaches the port can broadcast to every client. Set it in the environment or "
                                      ".env, e.g. API_TOKEN=$(openssl rand -hex 32)"));
    result.outcome = ConfigLoadResult::Outcome::Run;
    return result;
}

} // namespace herald
