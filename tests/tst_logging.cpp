// Structured logs: format, files, rotation, retention, and the fallback to stderr.

#include "logging/Logger.h"
#include "support/TestClient.h"
#include "support/TestServer.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace herald;
using namespace herald::test;

namespace {
QList<QByteArray> lines(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QList<QByteArray> result = file.readAll().split('\n');
    result.removeAll(QByteArray());
    return result;
}

Config configIn(const QString &dir)
{
    Config config;
    config.logDir = dir;
    config.logLevel = LogLevel::Debug;
    return config;
}
} // namespace

class LoggingTest : public QObject
{
    Q_OBJECT
private slots:
    void jsonLinesCarryTheirFieldsInOrder()
    {
        QTemporaryDir dir;
        Logger logger;
        QVERIFY(logger.configure(configIn(dir.path())));
        logger.info("client_connected", "Client connected", {{"client_id", "abc"}, {"count", 3}});
        logger.flush();
        const QList<QByteArray> written = lines(dir.filePath("herald.log"));
        QCOMPARE(written.size(), 1);
        QVERIFY2(written[0].startsWith("{\"timestamp\":"), written[0].constData());
        const QJsonObject line = QJsonDocument::fromJson(written[0]).object();
        QCOMPARE(line.value("level").toString(), QStringLiteral("INFO"));
        QCOMPARE(line.value("event").toString(), QStringLiteral("client_connected"));
        QCOMPARE(line.value("message").toString(), QStringLiteral("Client connected"));
        QCOMPARE(line.value("client_id").toString(), QStringLiteral("abc"));
        QCOMPARE(line.value("count").toInt(), 3);
    }

    void textFormatAndLevelFilter()
    {
        QTemporaryDir dir;
        Config config = configIn(dir.path());
        config.logFormat = LogFormat::Text;
        config.logLevel = LogLevel::Warning;
        Logger logger;
        QVERIFY(logger.configure(config));
        logger.info("ignored", "below the level");
        logger.warning("disk_low", "Disk is low", {{"free_mb", 12}});
        logger.flush();
        const QList<QByteArray> written = lines(dir.filePath("herald.log"));
        QCOMPARE(written.size(), 1);
        QVERIFY2(written[0].contains("WARNING") && written[0].contains("disk_low: Disk is low free_mb=12"),
                 written[0].constData());
        logger.setLevel(LogLevel::Debug);
        logger.debug("now_visible", "after a level change");
        logger.flush();
        QCOMPARE(lines(dir.filePath("herald.log")).size(), 2);
    }

    void errorsAlsoGoToErrorsLog()
    {
        QTemporaryDir dir;
        Logger logger;
        QVERIFY(logger.configure(configIn(dir.path())));
        logger.info("fine", "all good");
        logger.error("broken", "something failed");
        logger.log(LogLevel::Critical, "worse", "very bad");
        logger.flush();
        QCOMPARE(lines(dir.filePath("herald.log")).size(), 3);
        const QList<QByteArray> errors = lines(dir.filePath("errors.log"));
        QCOMPARE(errors.size(), 2);
        QVERIFY(errors[0].contains("broken"));
        QVERIFY(errors[1].contains("worse"));
    }

    void rotatesAtTheConfiguredSize()
    {
        QTemporaryDir dir;
        Config config = configIn(dir.path());
        config.logRotationBytes = 1024;
        Logger logger;
        QVERIFY(logger.configure(config));
        for (int i = 0; i < 40; ++i)
            logger.info("filler", QStringLiteral("line %1 ").arg(i) + QString(50, QLatin1Char('x')));
        logger.flush();
        QVERIFY(QFile::exists(dir.filePath("herald.1.log")));
        QVERIFY(QFile::exists(dir.filePath("herald.2.log")));
        QVERIFY(QFileInfo(dir.filePath("herald.log")).size() <= 1024);
        QVERIFY(QFileInfo(dir.filePath("herald.1.log")).size() <= 1024);
    }

    void retentionDeletesOldRotatedFilesOnly()
    {
        QTemporaryDir dir;
        const QDateTime old = QDateTime::currentDateTimeUtc().addDays(-3);
        for (const char *name : {"herald.1.log", "errors.1.log", "herald.2.log", "notes.log"}) {
            QFile file(dir.filePath(name));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("old\n");
            file.flush(); // or closing would write, and stamp the file as new again
            QVERIFY(file.setFileTime(old, QFileDevice::FileModificationTime));
        }
        QFile recent(dir.filePath("herald.3.log"));
        QVERIFY(recent.open(QIODevice::WriteOnly));
        recent.close();

        Config config = configIn(dir.path());
        config.logRetentionSeconds = 24 * 3600;
        Logger logger;
        QVERIFY(logger.configure(config));
        QVERIFY(!QFile::exists(dir.filePath("herald.1.log")));
        QVERIFY(!QFile::exists(dir.filePath("errors.1.log")));
        QVERIFY(!QFile::exists(dir.filePath("herald.2.log")));
        QVERIFY(QFile::exists(dir.filePath("herald.3.log"))); // younger than the retention
        QVERIFY(QFile::exists(dir.filePath("notes.log")));    // not Herald's
    }

    void unwritableDirectoryFallsBackToStderr()
    {
        QTemporaryDir dir;
        QFile blocker(dir.filePath("not-a-dir"));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        Config config = configIn(dir.filePath("not-a-dir/logs"));
        Logger logger;
        QList<QString> seen;
        connect(&logger, &Logger::lineWritten, this, [&](LogLevel, const QString &line) { seen << line; });
        QVERIFY(!logger.configure(config));
        QCOMPARE(seen.size(), 1);
        QVERIFY(seen[0].contains("log_files_unavailable"));
        logger.info("still_logging", "goes to stderr");
        QCOMPARE(seen.size(), 2);
    }

    void linesAboutAClientCarryItsId()
    {
        Config config = TestServer::defaultConfig();
        config.logLevel = LogLevel::Debug;
        TestServer server(config);
        TestClient client;
        QVERIFY(client.connectTo(server.webSocketUrl()));
        client.sendRaw("not json");
        QVERIFY(!client.waitFor("error").isEmpty());
        client.close();
        QVERIFY(client.waitForDisconnected());
        QTRY_COMPARE(server.server().clientCount(), 0);
        server.logger().flush();

        int aboutClient = 0;
        for (const QByteArray &raw : lines(QDir(server.logDir()).filePath("herald.log"))) {
            const QJsonObject line = QJsonDocument::fromJson(raw).object();
            const QString event = line.value("event").toString();
            if (event.startsWith("client_")) {
                QCOMPARE(line.value("client_id").toString(), client.clientId());
                ++aboutClient;
            }
        }
        QCOMPARE(aboutClient, 3); // connected, message rejected, disconnected
    }
};

QTEST_GUILESS_MAIN(LoggingTest)
#include "tst_logging.moc"
