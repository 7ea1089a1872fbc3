// The WebSocket protocol against a real server on a loopback port, with real QWebSocket clients.

#include "support/TestClient.h"
#include "support/TestServer.h"

#include <QDateTime>
#include <QTest>

using namespace herald;
using namespace herald::test;

class ClientProtocolTest : public QObject
{
    Q_OBJECT
private slots:
    void welcomeCarriesUniqueIdAndUtcTimestamp()
    {
        TestServer server;
        TestClient first, second;
        QVERIFY(first.connectTo(server.webSocketUrl()));
        QVERIFY(second.connectTo(server.webSocketUrl()));
        QVERIFY(first.clientId() != second.clientId());

        TestClient third;
        third.socket().open(server.webSocketUrl());
        const QJsonObject welcome = third.waitFor(QStringLiteral("welcome"));
        const QString timestamp = welcome.value(QStringLiteral("timestamp")).toString();
        QVERIFY2(timestamp.endsWith(QLatin1Char('Z')), qPrintable(timestamp));
        const QDateTime parsed = QDateTime::fromString(timestamp, Qt::ISODateWithMs);
        QVERIFY(parsed.isValid());
        QVERIFY(qAbs(parsed.secsTo(QDateTime::currentDateTimeUtc())) < 60);
    }

    void pingIsAnsweredWithPong()
    {
        TestServer server;
        TestClient client;
        QVERIFY(client.connectTo(server.webSocketUrl()));
        client.send({{QStringLiteral("type"), QStringLiteral("ping")}});
        const QJsonObject pong = client.waitFor(QStringLiteral("pong"));
        QCOMPARE(pong.value(QStringLiteral("client_id")).toString(), client.clientId());
        QVERIFY(!pong.value(QStringLiteral("timestamp")).toString().isEmpty());
    }

    void statusRequestReportsLiveCounts()
    {
        TestServer server;
        TestClient a, b;
        QVERIFY(a.connectTo(server.webSocketUrl()));
        QVERIFY(b.connectTo(server.webSocketUrl()));
        a.send({{QStringLiteral("type"), QStringLiteral("status_request")}});
        QJsonObject status = a.waitFor(QStringLiteral("status"));
        QCOMPARE(status.value(QStringLiteral("connected_clients")).toInt(), 2);
        QVERIFY(status.value(QStringLiteral("uptime_seconds")).toDouble() >= 0);
        QCOMPARE(status.value(QStringLiteral("messages_received")).toInt(), 1);

        b.close();
        QVERIFY(b.waitForDisconnected());
        QTRY_COMPARE(server.server().clientCount(), 1);
        a.send({{QStringLiteral("type"), QStringLiteral("status_request")}});
        status = a.waitFor(QStringLiteral("status"));
        QCOMPARE(status.value(QStringLiteral("connected_clients")).toInt(), 1);
    }

    void badInputIsAnsweredWithAnErrorAndTheConnectionStays_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("binary");
        QTest::addColumn<QString>("code");
        QTest::newRow("invalid json") << "{not json" << false << "invalid_json";
        QTest::newRow("not an object") << "[1, 2]" << false << "invalid_message";
        QTest::newRow("unknown type") << R"({"type":"publish"})" << false << "unknown_type";
        QTest::newRow("subscribe without a channel") << R"({"type":"subscribe"})" << false << "invalid_channel";
        QTest::newRow("binary frame") << "\x01\x02" << true << "binary_not_supported";
    }
    void badInputIsAnsweredWithAnErrorAndTheConnectionStays()
    {
        QFETCH(QString, text);
        QFETCH(bool, binary);
        QFETCH(QString, code);
        TestServer server;
        TestClient client;
        QVERIFY(client.connectTo(server.webSocketUrl()));
        if (binary)
            client.sendBinary(text.toLatin1());
        else
            client.sendRaw(text);
        const QJsonObject error = client.waitFor(QStringLiteral("error"));
        QCOMPARE(error.value(QStringLiteral("code")).toString(), code);
        QVERIFY(!error.value(QStringLiteral("message")).toString().isEmpty());

        client.send({{QStringLiteral("type"), QStringLiteral("ping")}});
        QVERIFY(!client.waitFor(QStringLiteral("pong")).isEmpty());
        QVERIFY(client.isConnected());
        QCOMPARE(server.server()
                     .metricsJson()
                     .value(QStringLiteral("errors"))
                     .toObject()
                     .value(QStringLiteral("client_protocol"))
                     .toObject()
                     .value(code)
                     .toInt(),
                 1);
    }

    void periodicNotificationsCarryAnIncreasingSequence()
    {
        Config config = TestServer::defaultConfig();
        config.notificationIntervalSeconds = 0.1;
        TestServer server(config);
        TestClient client;
        QVERIFY(client.connectTo(server.webSocketUrl()));
        const QJsonObject first = client.waitFor(QStringLiteral("periodic"));
        const QJsonObject second = client.waitFor(QStringLiteral("periodic"));
        QVERIFY(!first.isEmpty() && !second.isEmpty());
        QCOMPARE(second.value(QStringLiteral("sequence")).toInteger(),
                 first.value(QStringLiteral("sequence")).toInteger() + 1);
        QCOMPARE(first.value(QStringLiteral("connected_clients")).toInt(), 1);
    }

    void periodicNotificationsOffAtZero()
    {
        TestServer server; // NOTIFICATION_INTERVAL=0 in the test defaults
        TestClient client;
        QVERIFY(client.connectTo(server.webSocketUrl()));
        QVERIFY(client.waitFor(QStringLiteral("periodic"), 300).isEmpty());
        QCOMPARE(server.server()
                     .statusJson()
                     .value(QStringLiteral("notification_service"))
                     .toObject()
                     .value(QStringLiteral("running"))
                     .toBool(),
                 false);
    }

    void reloadChangesTheNotificationInterval()
    {
        TestServer server;
        TestClient client;
        QVERIFY(client.connectTo(server.webSocketUrl()));
        Config reloaded = server.server().config();
        reloaded.notificationIntervalSeconds = 0.1;
        server.server().applyReloadedConfig(reloaded);
        QVERIFY(!client.waitFor(QStringLiteral("periodic")).isEmpty());
    }
};

QTEST_GUILESS_MAIN(ClientProtocolTest)
#include "tst_client_protocol.moc"
