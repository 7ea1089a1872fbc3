#include "config/ConfigLoader.h"
#include "config/ConfigSchema.h"
#include "config/DotEnvFile.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace herald;

class ConfigTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    ConfigLoadResult load(const QStringList &flags, const QHash<QString, QString> &environment = {})
    {
        return ConfigLoader::load(QStringList{QStringLiteral("herald-server")} + flags, environment, m_dir.path(),
                                  QStringLiteral("9.9.9"));
    }
    void writeDotEnv(const QByteArray &text)
    {
        QFile file(m_dir.filePath(QStringLiteral(".env")));
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(text);
    }

private slots:
    void init() { QFile::remove(m_dir.filePath(QStringLiteral(".env"))); }

    void defaultsMatchTheDocumentedTable()
    {
        const ConfigLoadResult result = load({});
        QCOMPARE(result.outcome, ConfigLoadResult::Outcome::Run);
        const Config &c = result.config;
        QCOMPARE(c.host, QStringLiteral("0.0.0.0"));
        QCOMPARE(c.port, quint16(8000));
        QCOMPARE(c.workers, 1);
        QCOMPARE(c.pingIntervalSeconds, 30.0);
        QCOMPARE(c.pingTimeoutSeconds, 10.0);
        QCOMPARE(c.maxConnections, 1000);
        QCOMPARE(c.notificationIntervalSeconds, 10.0);
        QCOMPARE(c.shutdownTimeoutSeconds, 1800.0);
        QCOMPARE(c.logLevel, LogLevel::Info);
        QCOMPARE(c.logFormat, LogFormat::Json);
        QCOMPARE(c.logDir, QStringLiteral("logs"));
        QCOMPARE(c.logRotationBytes, 100LL * 1024 * 1024);
        QCOMPARE(c.logRetentionSeconds, 30LL * 24 * 3600);
        QCOMPARE(c.debug, false);
        QCOMPARE(c.metricsEnabled, true);
        QCOMPARE(c.healthCheckEnabled, true);
    }

    void commandLineBeatsEnvironmentBeatsDotEnvBeatsDefault()
    {
        writeDotEnv("PORT=1111\nMAX_CONNECTIONS=7\nPING_TIMEOUT=3\nLOG_LEVEL=ERROR\n");
        const ConfigLoadResult result = load({QStringLiteral("--port"), QStringLiteral("3333")},
                                             {{QStringLiteral("PORT"), QStringLiteral("2222")},
                                              {QStringLiteral("MAX_CONNECTIONS"), QStringLiteral("8")}});
        QCOMPARE(result.outcome, ConfigLoadResult::Outcome::Run);
        QCOMPARE(result.config.port, quint16(3333));            // CLI over env and .env
        QCOMPARE(result.config.maxConnections, 8);              // env over .env
        QCOMPARE(result.config.pingTimeoutSeconds, 3.0);        // .env over default
        QCOMPARE(result.config.logLevel, LogLevel::Error);      // .env over default
        QCOMPARE(result.config.shutdownTimeoutSeconds, 1800.0); // default
        QCOMPARE(result.sources.value(QStringLiteral("PORT")), ConfigSource::CommandLine);
        QCOMPARE(result.sources.value(QStringLiteral("MAX_CONNECTIONS")), ConfigSource::Environment);
        QCOMPARE(result.sources.value(QStringLiteral("PING_TIMEOUT")), ConfigSource::DotEnv);
        QCOMPARE(result.sources.value(QStringLiteral("SHUTDOWN_TIMEOUT")), ConfigSource::Default);
    }

    void everyKeyHasAFlag()
    {
        const ConfigLoadResult result = load(
            {QStringLiteral("--host"), QStringLiteral("127.0.0.1"), QStringLiteral("--workers"), QStringLiteral("1"),
             QStringLiteral("--log-level"), QStringLiteral("debug"), QStringLiteral("--notification-interval"),
             QStringLiteral("0.5"), QStringLiteral("--log-rotation"), QStringLiteral("2 KB"),
             QStringLiteral("--log-retention"), QStringLiteral("3 hours"), QStringLiteral("--metrics-enabled"),
             QStringLiteral("no"), QStringLiteral("--health-check-enabled=off")});
        QCOMPARE(result.outcome, ConfigLoadResult::Outcome::Run);
        QCOMPARE(result.config.host, QStringLiteral("127.0.0.1"));
        QCOMPARE(result.config.logLevel, LogLevel::Debug);
        QCOMPARE(result.config.notificationIntervalSeconds, 0.5);
        QCOMPARE(result.config.logRotationBytes, 2048);
        QCOMPARE(result.config.logRetentionSeconds, 3 * 3600);
        QCOMPARE(result.config.metricsEnabled, false);
        QCOMPARE(result.config.healthCheckEnabled, false);
        for (const ConfigKey &key : configSchema())
            QVERIFY2(result.sources.contains(key.name), qPrintable(key.name));
    }

    void profilesSetDefaultsThatExplicitSettingsOverride()
    {
        ConfigLoadResult dev = load({QStringLiteral("--dev")});
        QCOMPARE(dev.config.profile, Profile::Development);
        QCOMPARE(dev.config.debug, true);
        QCOMPARE(dev.config.logFormat, LogFormat::Text);
        QCOMPARE(dev.config.logLevel, LogLevel::Debug);
        QVERIFY(dev.config.docsEnabled());

        dev = load({QStringLiteral("--dev")}, {{QStringLiteral("LOG_FORMAT"), QStringLiteral("json")}});
        QCOMPARE(dev.config.logFormat, LogFormat::Json);

        const QHash<QString, QString> token{{QStringLiteral("API_TOKEN"), QStringLiteral("0123456789abcdef")}};
        const ConfigLoadResult prod = load({QStringLiteral("--prod")}, token);
        QCOMPARE(prod.config.profile, Profile::Production);
        QCOMPARE(prod.config.logFormat, LogFormat::Json);
        QVERIFY(prod.config.securityHeadersEnabled());
        QVERIFY(!prod.config.docsEnabled());
        QCOMPARE(prod.config.workers, std::clamp(QThread::idealThreadCount(), 1, 64));
        QCOMPARE(
            load({QStringLiteral("--prod"), QStringLiteral("--workers"), QStringLiteral("3")}, token).config.workers,
            3);
    }

    void productionRefusesToStartWithoutAnApiToken()
    {
        const ConfigLoadResult prod = load({QStringLiteral("--prod")});
        QCOMPARE(prod.outcome, ConfigLoadResult::Outcome::Error);
        QVERIFY2(prod.output.contains(QStringLiteral("--prod requires API_TOKEN")), qPrintable(prod.output));
        QCOMPARE(load({QStringLiteral("--dev")}).outcome, ConfigLoadResult::Outcome::Run);
    }

    void aRejectedSecretIsNeverRepeated()
    {
        const ConfigLoadResult result = load({}, {{QStringLiteral("API_TOKEN"), QStringLiteral("short-secret")}});
        QCOMPARE(result.outcome, ConfigLoadResult::Outcome::Error);
        QVERIFY2(result.output.contains(QStringLiteral("API_TOKEN")), qPrintable(result.output));
        QVERIFY2(!result.output.contains(QStringLiteral("short-secret")), qPrintable(result.output));
    }

    void badValuesStopWithOneLineNamingKeyValueAndAllowed_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("expectedAllowed");
        QTest::newRow("origin without scheme") << "ALLOWED_ORIGINS"
                                               << "https://ok.example, app.example.com"
                                               << "comma-separated list of origins";
        QTest::newRow("origin with a path") << "ALLOWED_ORIGINS"
                                            << "https://app.example.com/page"
                                            << "comma-separated list of origins";
        QTest::newRow("public channel with a space") << "PUBLIC_CHANNELS"
                                                     << "news, bad name"
                                                     << "channel names or patterns ending in *";
        QTest::newRow("public pattern with * inside") << "PUBLIC_CHANNELS"
                                                      << "a*b"
                                                      << "channel names or patterns ending in *";
        QTest::newRow("channels per client zero") << "MAX_CHANNELS_PER_CLIENT"
                                                  << "0"
                                                  << "an integer from 1 to 10000";
        QTest::newRow("proxy not an address") << "TRUSTED_PROXIES"
                                              << "127.0.0.1, nginx"
                                              << "IP addresses or CIDR subnets";
        QTest::newRow("proxy subnet too wide") << "TRUSTED_PROXIES"
                                               << "10.0.0.0/33"
                                               << "IP addresses or CIDR subnets";
        QTest::newRow("port too large") << "PORT"
                                        << "70000"
                                        << "0 to 65535";
        QTest::newRow("port not a number") << "PORT"
                                           << "http"
                                           << "0 to 65535";
        QTest::newRow("interval abc") << "NOTIFICATION_INTERVAL"
                                      << "abc"
                                      << "seconds";
        QTest::newRow("negative interval") << "PING_INTERVAL"
                                           << "-1"
                                           << "seconds";
        QTest::newRow("zero timeout") << "PING_TIMEOUT"
                                      << "0"
                                      << "greater than 0";
        QTest::newRow("unknown format") << "LOG_FORMAT"
                                        << "xml"
                                        << "json or text";
        QTest::newRow("unknown level") << "LOG_LEVEL"
                                       << "LOUD"
                                       << "TRACE, DEBUG";
        QTest::newRow("bad host") << "HOST"
                                  << "not a host"
                                  << "IPv4 or IPv6";
        QTest::newRow("zero connections") << "MAX_CONNECTIONS"
                                          << "0"
                                          << "1 to 1000000";
        QTest::newRow("rotation unit") << "LOG_ROTATION"
                                       << "100 parsecs"
                                       << "units B, KB";
        QTest::newRow("retention unit") << "LOG_RETENTION"
                                        << "forever"
                                        << "units seconds";
        QTest::newRow("boolean") << "METRICS_ENABLED"
                                 << "maybe"
                                 << "true or false";
        QTest::newRow("workers") << "WORKERS"
                                 << "65"
                                 << "from 1 to 64";
        QTest::newRow("shutdown timeout") << "SHUTDOWN_TIMEOUT"
                                          << "soon"
                                          << "seconds";
        QTest::newRow("body size") << "MAX_BODY_SIZE"
                                   << "0"
                                   << "size";
        QTest::newRow("history size") << "HISTORY_SIZE"
                                      << "-1"
                                      << "0 to 100000";
        QTest::newRow("history age") << "HISTORY_TTL"
                                     << "a while"
                                     << "a duration";
        QTest::newRow("history rule without a size") << "HISTORY_CHANNELS"
                                                     << "chat.*"
                                                     << "pattern=size";
        QTest::newRow("history rule with a bad pattern") << "HISTORY_CHANNELS"
                                                         << "a*b=5"
                                                         << "pattern=size";
        QTest::newRow("recovery limit") << "RECOVERY_LIMIT"
                                        << "0"
                                        << "1 to 100000";
        QTest::newRow("ack timeout") << "ACK_TIMEOUT"
                                     << "0"
                                     << "greater than 0";
        QTest::newRow("webhook not http") << "UNDELIVERED_WEBHOOK_URL"
                                          << "ftp://backend.example/undelivered"
                                          << "http or https URL";
    }

    void historyRulesAreReadInOrder()
    {
        const ConfigLoadResult result =
            load({}, {{"HISTORY_TTL", "10 min"}, {"HISTORY_CHANNELS", "chat.*=500/1h, ticker.*=0"}});
        QCOMPARE(result.outcome, ConfigLoadResult::Outcome::Run);
        QCOMPARE(result.config.historyRules.size(), 2);
        QCOMPARE(result.config.historyRules[0].pattern, QStringLiteral("chat.*"));
        QCOMPARE(result.config.historyRules[0].limits.size, 500);
        QCOMPARE(result.config.historyRules[0].limits.ttlSeconds, 3600);
        QCOMPARE(result.config.historyRules[1].limits.size, 0);
        QCOMPARE(result.config.historyRules[1].limits.ttlSeconds, 600); // HISTORY_TTL's
    }

    void aWebhookNeedsItsSecret()
    {
        const ConfigLoadResult result = load({}, {{"UNDELIVERED_WEBHOOK_URL", "https://backend.example/undelivered"}});
        QCOMPARE(result.outcome, ConfigLoadResult::Outcome::Error);
        QVERIFY2(result.output.contains(QStringLiteral("WEBHOOK_SECRET")), qPrintable(result.output));
    }
    void badValuesStopWithOneLineNamingKeyValueAndAllowed()
    {
        QFETCH(QString, key);
        QFETCH(QString, value);
        QFETCH(QString, expectedAllowed);
        for (const bool fromFlag : {false, true}) {
            const QString flag = QStringLiteral("--") + key.toLower().replace(QLatin1Char('_'), QLatin1Char('-'));
            const ConfigLoadResult result = fromFlag ? load({flag, value}) : load({}, {{key, value}});
            QCOMPARE(result.outcome, ConfigLoadResult::Outcome::Error);
            QVERIFY2(result.output.contains(key + QStringLiteral("=\"") + value + QLatin1Char('"')),
                     qPrintable(result.output));
            QVERIFY2(result.output.contains(expectedAllowed), qPrintable(result.output));
            QVERIFY2(result.output.contains(fromFlag ? flag : QStringLiteral("environment variable")),
                     qPrintable(result.output));
            QVERIFY(!result.output.contains(QLatin1Char('\n')));
        }
    }

    void trustedProxiesTakeAddressesAndSubnets()
    {
        const ConfigLoadResult result =
            load({QStringLiteral("--trusted-proxies"), QStringLiteral("127.0.0.1, 10.0.0.0/8 ,::1")});
        QCOMPARE(result.outcome, ConfigLoadResult::Outcome::Run);
        const auto &proxies = result.config.trustedProxies;
        QCOMPARE(proxies.size(), 3);
        QCOMPARE(proxies.at(0), qMakePair(QHostAddress(QStringLiteral("127.0.0.1")), 32));
        QCOMPARE(proxies.at(1), qMakePair(QHostAddress(QStringLiteral("10.0.0.0")), 8));
        QCOMPARE(proxies.at(2), qMakePair(QHostAddress(QStringLiteral("::1")), 128));
    }

    void badValueInDotEnvNamesTheFile()
    {
        writeDotEnv("PORT=99999\n");
        const ConfigLoadResult result = load({});
        QCOMPARE(result.outcome, ConfigLoadResult::Outcome::Error);
        QVERIFY2(result.output.contains(QStringLiteral(".env")), qPrintable(result.output));
    }

    void commandLineMistakesAreErrors_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("expected");
        QTest::newRow("unknown flag") << QStringList{"--colour"} << "colour";
        QTest::newRow("missing value") << QStringList{"--port"} << "port";
        QTest::newRow("dev and prod") << QStringList{"--dev", "--prod"} << "cannot be used together";
        QTest::newRow("positional") << QStringList{"serve"} << "serve";
        QTest::newRow("missing env file") << QStringList{"--env-file", "nope.env"} << "does not exist";
    }
    void commandLineMistakesAreErrors()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, expected);
        const ConfigLoadResult result = load(arguments);
        QCOMPARE(result.outcome, ConfigLoadResult::Outcome::Error);
        QVERIFY2(result.output.contains(expected), qPrintable(result.output));
    }

    void helpAndVersion()
    {
        const ConfigLoadResult help = load({QStringLiteral("--help")});
        QCOMPARE(help.outcome, ConfigLoadResult::Outcome::ShowAndExit);
        for (const ConfigKey &key : configSchema())
            QVERIFY2(help.output.contains(key.cliFlag()), qPrintable(key.cliFlag()));
        const ConfigLoadResult version = load({QStringLiteral("--version")});
        QCOMPARE(version.outcome, ConfigLoadResult::Outcome::ShowAndExit);
        QVERIFY(version.output.contains(QStringLiteral("9.9.9")));
    }

    void helpIsReadableInEightyColumns()
    {
        const QString server = load({QStringLiteral("--help")}).output;
        // A face with options of its own lists them first, under its own description.
        const QString console =
            ConfigLoader::load({QStringLiteral("herald-admin"), QStringLiteral("--help")}, {}, m_dir.path(),
                               QStringLiteral("9.9.9"),
                               {QCommandLineOption(QStringLiteral("attach"), QStringLiteral("Watch a server."),
                                                   QStringLiteral("url"))},
                               QStringLiteral("Herald admin console."))
                .output;
        QVERIFY(console.startsWith(QStringLiteral("Usage: herald-admin [options]\n\nHerald admin console.")));
        QVERIFY(console.indexOf(QStringLiteral("--attach <url>")) < console.indexOf(QStringLiteral("--port <port>")));
        QVERIFY(server.contains(QStringLiteral("Herald real-time notification server")));
        for (const QString &help : {server, console})
            for (const QString &line : help.split(QLatin1Char('\n')))
                QVERIFY2(line.size() <= ConfigLoader::HelpColumns, qPrintable(line));
        // Descriptions are not squeezed into a narrow column beside long option names.
        QVERIFY(server.contains(QStringLiteral("\n  --max-connections <max_connections>\n      ")));
    }

    void dotEnvSyntax()
    {
        const DotEnvFile file =
            DotEnvFile::parse(QStringLiteral("# comment\n\nexport PORT=9000\nHOST = \"127.0.0.1\" \n"
                                             "LOG_DIR='/tmp/a b'\nLOG_LEVEL=debug # inline\nEMPTY=\n"),
                              QStringLiteral("x.env"));
        QVERIFY2(file.error.isEmpty(), qPrintable(file.error));
        QCOMPARE(file.values.value(QStringLiteral("PORT")), QStringLiteral("9000"));
        QCOMPARE(file.values.value(QStringLiteral("HOST")), QStringLiteral("127.0.0.1"));
        QCOMPARE(file.values.value(QStringLiteral("LOG_DIR")), QStringLiteral("/tmp/a b"));
        QCOMPARE(file.values.value(QStringLiteral("LOG_LEVEL")), QStringLiteral("debug"));
        QCOMPARE(file.values.value(QStringLiteral("EMPTY")), QString());

        const DotEnvFile broken =
            DotEnvFile::parse(QStringLiteral("PORT=1\nthis is not a setting\n"), QStringLiteral("x.env"));
        QVERIFY(broken.error.contains(QStringLiteral("x.env:2")));
        const DotEnvFile unterminated = DotEnvFile::parse(QStringLiteral("HOST=\"abc\n"), QStringLiteral("x.env"));
        QVERIFY(unterminated.error.contains(QStringLiteral("unterminated")));
    }

    void dotEnvUpdateKeepsCommentsAndOtherLines()
    {
        writeDotEnv("# settings for staging\nPORT=9000\nexport LOG_LEVEL=debug # chatty\nOTHER_TOOL=x\n");
        const QString path = m_dir.filePath(QStringLiteral(".env"));
        QVERIFY(DotEnvFile::update(path, {{QStringLiteral("LOG_LEVEL"), QStringLiteral("ERROR")},
                                          {QStringLiteral("LOG_ROTATION"), QStringLiteral("5 MB")}})
                    .isEmpty());
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), QByteArray("# settings for staging\nPORT=9000\nLOG_LEVEL=ERROR\nOTHER_TOOL=x\n"
                                            "LOG_ROTATION=\"5 MB\"\n"));
        const DotEnvFile reread = DotEnvFile::read(path);
        QCOMPARE(reread.values.value(QStringLiteral("LOG_ROTATION")), QStringLiteral("5 MB"));
    }

    void exampleFileDocumentsEveryKey()
    {
        QFile example(QStringLiteral(HERALD_SOURCE_DIR "/.env.example"));
        QVERIFY(example.open(QIODevice::ReadOnly));
        const DotEnvFile parsed = DotEnvFile::parse(QString::fromUtf8(example.readAll()), example.fileName());
        QVERIFY2(parsed.error.isEmpty(), qPrintable(parsed.error));
        for (const ConfigKey &key : configSchema()) {
            QVERIFY2(parsed.values.contains(key.name),
                     qPrintable(key.name + QStringLiteral(" missing from .env.example")));
            QCOMPARE(parsed.values.value(key.name), key.defaultValue);
        }
    }

    void unitParsers_data()
    {
        QTest::addColumn<QString>("raw");
        QTest::addColumn<qint64>("bytes");
        QTest::newRow("plain") << "512" << qint64(512);
        QTest::newRow("KB") << "2 KB" << qint64(2048);
        QTest::newRow("MB lower") << "100mb" << qint64(100) * 1024 * 1024;
        QTest::newRow("GiB") << "1 GiB" << qint64(1024) * 1024 * 1024;
        QTest::newRow("fraction") << "1.5 KB" << qint64(1536);
    }
    void unitParsers()
    {
        QFETCH(QString, raw);
        QFETCH(qint64, bytes);
        qint64 parsed = 0;
        QVERIFY(parse::byteSize(raw, &parsed));
        QCOMPARE(parsed, bytes);
    }
};

QTEST_GUILESS_MAIN(ConfigTest)
#include "tst_config.moc"
