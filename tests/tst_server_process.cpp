// End to end: the real herald-server binary, configured by flags, environment and .env, sent real signals.

#include "support/HttpClient.h"
#include "support/RawWebSocketClient.h"
#include "support/ServerProcess.h"
#include "support/TestClient.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace herald::test;

class ServerProcessTest : public QObject
{
    Q_OBJECT

private:
    static void writeFile(const QString &path, const QByteArray &text)
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(text);
    }

private slots:
    void withoutTlsNoTlsLibraryIsLoaded()
    {
        // Starting Qt's TLS backend costs ~19 million instructions and its libraries' memory (issue 18): a server
        // with no certificate must not load it, not even once a client has connected and been welcomed. The
        // backend is a plugin (plugins/tls/libq*backend.so); libssl itself may be mapped without it, because on
        // Debian 13 libQt6Network needs libproxy, whose curl needs ldap, which needs libssl.
        ServerProcess server;
        QTemporaryDir dir;
        QVERIFY2(server.start({"--port", "0", "--host", "127.0.0.1"}, {"NOTIFICATION_INTERVAL=0"}, dir.path()),
                 qPrintable(server.output()));
        TestClient client;
        QVERIFY(client.connectTo(server.webSocketUrl()));
        QCOMPARE(HttpClient().get(server.httpUrl("/status")).status, 200);
        QFile maps(QStringLiteral("/proc/%1/maps").arg(server.processId()));
        QVERIFY(maps.open(QIODevice::ReadOnly));
        const QByteArray mapped = maps.readAll();
        QVERIFY(mapped.contains("libQt6Core")); // the file is read as it should be
        QVERIFY2(!mapped.contains("/tls/libq") && !mapped.contains("opensslbackend"), "Qt's TLS backend is loaded");
    }

    void sigtermDrainsClientsAndExitsZero()
    {
        QTemporaryDir dir;
        // Each source sets something the test can observe: .env the timeout, env the limit, flags the port.
        writeFile(dir.filePath(".env"), "SHUTDOWN_TIMEOUT=30\nMAX_CONNECTIONS=1\nLOG_FORMAT=text\n");
        ServerProcess server;
        QVERIFY2(server.start({"--port", "0", "--host", "127.0.0.1", "--log-format", "json"},
                              {"MAX_CONNECTIONS=3", "NOTIFICATION_INTERVAL=0"}, dir.path()),
                 qPrintable(server.output()));
        HttpClient http;
        const QJsonObject config = http.get(server.httpUrl("/status")).json.value("config").toObject();
        QCOMPARE(config.value("SHUTDOWN_TIMEOUT").toDouble(), 30.0);             // .env
        QCOMPARE(config.value("MAX_CONNECTIONS").toInt(), 3);                    // env beats .env
        QCOMPARE(config.value("LOG_FORMAT").toString(), QStringLiteral("json")); // flag beats .env

        TestClient leaving, staying;
        QVERIFY(leaving.connectTo(server.webSocketUrl()));
        QVERIFY(staying.connectTo(server.webSocketUrl()));

        server.signal(SIGTERM);
        QCOMPARE(leaving.waitFor("shutdown").value("grace_seconds").toDouble(), 30.0);
        QVERIFY(!staying.waitFor("shutdown").isEmpty());
        QCOMPARE(http.get(server.httpUrl("/health")).status, 503);
        RawWebSocketClient newcomer;
        QCOMPARE(newcomer.handshake(server.webSocketUrl()), 503);

        leaving.close();
        QVERIFY(server.waitForOutput("\"clients\":1", 5000)); // the drain counts down
        staying.close();
        QVERIFY(server.waitForExit(10000));
        QCOMPARE(server.exitStatus(), QProcess::NormalExit);
        QCOMPARE(server.exitCode(), 0);
        const QString output = server.output();
        for (const char *step : {"1/6", "2/6", "3/6", "4/6", "5/6", "6/6"})
            QVERIFY2(output.contains(step), step);
        QVERIFY(QFile::exists(dir.filePath("logs/herald.log")));
    }

    void workersServeOnePortAndAllDrainOnSigterm()
    {
        QTemporaryDir dir;
        ServerProcess server;
        QVERIFY2(server.start({"--port", "0", "--host", "127.0.0.1", "--workers", "2"},
                              {"SHUTDOWN_TIMEOUT=0.5", "NOTIFICATION_INTERVAL=0"}, dir.path()),
                 qPrintable(server.output()));
        TestClient clients[4];
        for (TestClient &client : clients)
            QVERIFY(client.connectTo(server.webSocketUrl()));
        HttpClient http;
        const QJsonArray workers = http.get(server.httpUrl("/metrics")).json.value("workers").toArray();
        QCOMPARE(workers.size(), 2);
        QCOMPARE(workers.at(1).toObject().value("clients").toInt(), 2);
        const HttpResult sent = http.post(server.httpUrl("/notify"), R"({"message":"to both workers"})");
        QCOMPARE(sent.json.value("recipients").toInt(), 4);
        for (TestClient &client : clients)
            QCOMPARE(client.waitFor("notification").value("id"), sent.json.value("notification_id"));

        server.signal(SIGTERM);
        for (TestClient &client : clients) {
            QVERIFY(!client.waitFor("shutdown").isEmpty());
            QVERIFY(client.waitForDisconnected(5000));
            QCOMPARE(client.closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
        }
        QVERIFY(server.waitForExit(10000));
        QCOMPARE(server.exitStatus(), QProcess::NormalExit);
        QCOMPARE(server.exitCode(), 0);
    }

    void shortTimeoutForceClosesWith1001()
    {
        QTemporaryDir dir;
        ServerProcess server;
        QVERIFY2(server.start({"--port", "0", "--host", "127.0.0.1"}, {"SHUTDOWN_TIMEOUT=0.5"}, dir.path()),
                 qPrintable(server.output()));
        TestClient stubborn;
        QVERIFY(stubborn.connectTo(server.webSocketUrl()));
        server.signal(SIGINT);
        QVERIFY(!stubborn.waitFor("shutdown").isEmpty());
        QVERIFY(stubborn.waitForDisconnected(5000));
        QCOMPARE(stubborn.closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
        QVERIFY(server.waitForExit(10000));
        QCOMPARE(server.exitCode(), 0);
    }

    void secondSignalSkipsTheWait()
    {
        QTemporaryDir dir;
        ServerProcess server;
        QVERIFY2(server.start({"--port", "0", "--host", "127.0.0.1"}, {"SHUTDOWN_TIMEOUT=600"}, dir.path()),
                 qPrintable(server.output()));
        TestClient client;
        QVERIFY(client.connectTo(server.webSocketUrl()));
        server.signal(SIGTERM);
        QVERIFY(!client.waitFor("shutdown").isEmpty());
        server.signal(SIGTERM);
        QVERIFY(client.waitForDisconnected(5000));
        QVERIFY(server.waitForExit(10000));
        QCOMPARE(server.exitCode(), 0);
    }

    void sighupReloadsLogLevelAndInterval()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath(".env"), "LOG_LEVEL=INFO\nNOTIFICATION_INTERVAL=0\n");
        ServerProcess server;
        QVERIFY2(server.start({"--port", "0", "--host", "127.0.0.1"}, {}, dir.path()), qPrintable(server.output()));
        TestClient client;
        QVERIFY(client.connectTo(server.webSocketUrl()));

        writeFile(dir.filePath(".env"), "LOG_LEVEL=DEBUG\nNOTIFICATION_INTERVAL=0.1\n");
        server.signal(SIGHUP);
        QVERIFY(server.waitForOutput("config_reloaded", 5000));
        QVERIFY(!client.waitFor("periodic").isEmpty());
        HttpClient http;
        QTRY_COMPARE(http.get(server.httpUrl("/status")).json.value("config").toObject().value("LOG_LEVEL").toString(),
                     QStringLiteral("DEBUG"));

        writeFile(dir.filePath(".env"), "LOG_LEVEL=SHOUTY\n");
        server.signal(SIGHUP);
        QVERIFY(server.waitForOutput("config_reload_failed", 5000));
        QCOMPARE(http.get(server.httpUrl("/health")).status, 200); // still serving with the old settings
    }

    void badConfigurationExitsWithCode2AndOneLine_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QStringList>("environment");
        QTest::addColumn<QString>("expected");
        QTest::newRow("port flag") << QStringList{"--port", "70000"} << QStringList{} << "PORT=\"70000\"";
        QTest::newRow("interval env") << QStringList{} << QStringList{"NOTIFICATION_INTERVAL=abc"}
                                      << "NOTIFICATION_INTERVAL=\"abc\"";
        QTest::newRow("log format") << QStringList{} << QStringList{"LOG_FORMAT=xml"} << "json or text";
        QTest::newRow("unknown flag") << QStringList{"--turbo"} << QStringList{} << "turbo";
    }
    void badConfigurationExitsWithCode2AndOneLine()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QStringList, environment);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        ServerProcess server;
        QCOMPARE(server.run(arguments, environment, dir.path()), 2);
        const QString output = server.output().trimmed();
        QVERIFY2(output.contains(expected), qPrintable(output));
        QVERIFY2(!output.contains('\n'), qPrintable(output));
    }

    void helpAndVersionExitZero()
    {
        QTemporaryDir dir;
        ServerProcess help;
        QCOMPARE(help.run({"--help"}, {}, dir.path()), 0);
        QVERIFY(help.output().contains("--notification-interval"));
        ServerProcess version;
        QCOMPARE(version.run({"--version"}, {}, dir.path()), 0);
        QVERIFY(version.output().startsWith("herald-server "));
    }

    void portInUseIsAClearStartFailure()
    {
        QTemporaryDir dir;
        ServerProcess first;
        QVERIFY(first.start({"--port", "0", "--host", "127.0.0.1"}, {}, dir.path()));
        ServerProcess second;
        QCOMPARE(second.run({"--port", QString::number(first.port()), "--host", "127.0.0.1"}, {}, dir.path()), 1);
        QVERIFY2(second.output().contains("cannot listen"), qPrintable(second.output()));
    }

    void fullDiskDegradesLoggingToStderrAndKeepsServing()
    {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkdir("logs"));
        // Every write to herald.log fails as on a full disk (ENOSPC).
        QVERIFY(QFile::link("/dev/full", dir.filePath("logs/herald.log")));
        ServerProcess server;
        QVERIFY2(server.start({"--port", "0", "--host", "127.0.0.1"},
                              {"LOG_DIR=logs", "NOTIFICATION_INTERVAL=0", "SHUTDOWN_TIMEOUT=0"}, dir.path()),
                 qPrintable(server.output()));
        HttpClient http;
        TestClient client;
        QVERIFY(client.connectTo(server.webSocketUrl()));
        QCOMPARE(http.post(server.httpUrl("/notify"), R"({"message":"disk full"})").status, 200);
        QVERIFY(!client.waitFor("notification").isEmpty());
        QCOMPARE(http.get(server.httpUrl("/health")).status, 200);
        server.signal(SIGTERM);
        QVERIFY(server.waitForExit(10000));
        QCOMPARE(server.exitStatus(), QProcess::NormalExit);
        QCOMPARE(server.exitCode(), 0);
        const QString output = server.output();
        QCOMPARE(output.count(QStringLiteral("log_write_failed")), 1);
        QVERIFY2(output.contains(QStringLiteral("No space left on device")), qPrintable(output.right(2000)));
        QVERIFY(output.contains(QStringLiteral("Shutdown complete"))); // stderr kept every line
    }
};

QTEST_GUILESS_MAIN(ServerProcessTest)
#include "tst_server_process.moc"
