// The six-step graceful shutdown, driven through the Server facade as the console and signals drive it.

#include "support/HttpClient.h"
#include "support/RawWebSocketClient.h"
#include "support/TestClient.h"
#include "support/TestServer.h"

#include <QSignalSpy>
#include <QTest>

using namespace herald;
using namespace herald::test;

class ShutdownTest : public QObject
{
    Q_OBJECT
private slots:
    void clientsAreToldAndNewWorkIsRefused()
    {
        Config config = TestServer::defaultConfig();
        config.shutdownTimeoutSeconds = 30;
        config.notificationIntervalSeconds = 0.1;
        TestServer server(config);
        TestClient a, b;
        QVERIFY(a.connectTo(server.webSocketUrl()));
        QVERIFY(b.connectTo(server.webSocketUrl()));
        QVERIFY(!a.waitFor("periodic").isEmpty());

        server.server().shutdown(QStringLiteral("test"));
        const QJsonObject notice = a.waitFor("shutdown");
        QCOMPARE(notice.value("reason").toString(), QStringLiteral("test"));
        QCOMPARE(notice.value("grace_seconds").toDouble(), 30.0);
        QVERIFY(!b.waitFor("shutdown").isEmpty());

        HttpClient http;
        const HttpResult health = http.get(server.httpUrl("/health"));
        QCOMPARE(health.status, 503);
        QCOMPARE(health.json.value("status").toString(), QStringLiteral("shutting_down"));
        const HttpResult notify = http.post(server.httpUrl("/notify"), R"({"message":"late"})");
        QCOMPARE(notify.status, 503);
        QCOMPARE(notify.json.value("error").toString(), QStringLiteral("shutting_down"));
        RawWebSocketClient newcomer;
        QCOMPARE(newcomer.handshake(server.webSocketUrl()), 503);
        const QJsonObject status = http.get(server.httpUrl("/status")).json;
        QCOMPARE(status.value("shutdown").toObject().value("state").toString(), QStringLiteral("draining"));
        QCOMPARE(status.value("notification_service").toObject().value("running").toBool(), false);

        // Periodic sends have stopped: nothing more arrives after the notice.
        const int periodicSoFar = a.countOf("periodic");
        QVERIFY(a.waitFor("periodic", 400).isEmpty());
        QCOMPARE(a.countOf("periodic"), periodicSoFar);
    }

    void finishesAsSoonAsTheLastClientLeaves()
    {
        Config config = TestServer::defaultConfig();
        config.shutdownTimeoutSeconds = 60;
        TestServer server(config);
        TestClient a, b;
        QVERIFY(a.connectTo(server.webSocketUrl()));
        QVERIFY(b.connectTo(server.webSocketUrl()));
        QSignalSpy stopped(&server.server(), &Server::stopped);
        server.server().shutdown(QStringLiteral("test"));
        QVERIFY(!a.waitFor("shutdown").isEmpty());
        a.close();
        QTRY_COMPARE(server.server().clientCount(), 1);
        QCOMPARE(stopped.count(), 0);
        b.close();
        QTRY_COMPARE(stopped.count(), 1);
        QCOMPARE(server.server().statusJson().value("shutdown").toObject().value("state").toString(),
                 QStringLiteral("finished"));
    }

    void remainingClientsAreClosedWith1001AtTheTimeout()
    {
        Config config = TestServer::defaultConfig();
        config.shutdownTimeoutSeconds = 0.3;
        TestServer server(config);
        TestClient stubborn;
        QVERIFY(stubborn.connectTo(server.webSocketUrl()));
        QSignalSpy stopped(&server.server(), &Server::stopped);
        server.server().shutdown(QStringLiteral("test"));
        QVERIFY(stubborn.waitForDisconnected(5000));
        QCOMPARE(stubborn.closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
        QTRY_COMPARE(stopped.count(), 1);
        QCOMPARE(server.server()
                     .metricsJson()
                     .value("connections")
                     .toObject()
                     .value("closed_by_reason")
                     .toObject()
                     .value("server_shutdown")
                     .toInt(),
                 1);
    }

    void secondRequestSkipsTheWait()
    {
        Config config = TestServer::defaultConfig();
        config.shutdownTimeoutSeconds = 600;
        TestServer server(config);
        TestClient client;
        QVERIFY(client.connectTo(server.webSocketUrl()));
        QSignalSpy stopped(&server.server(), &Server::stopped);
        server.server().shutdown(QStringLiteral("first"));
        QVERIFY(!client.waitFor("shutdown").isEmpty());
        server.server().shutdown(QStringLiteral("second"));
        QVERIFY(client.waitForDisconnected(5000));
        QCOMPARE(client.closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
        QTRY_COMPARE(stopped.count(), 1);
    }

    void clientThatIgnoresTheCloseIsDroppedAfterTheHandshakeGrace()
    {
        Config config = TestServer::defaultConfig();
        config.shutdownTimeoutSeconds = 0;
        TestServer server(config);
        RawWebSocketClient deaf; // never answers the close frame
        QCOMPARE(deaf.handshake(server.webSocketUrl()), 101);
        QTRY_COMPARE(server.server().clientCount(), 1);
        QSignalSpy stopped(&server.server(), &Server::stopped);
        server.server().shutdown(QStringLiteral("test"));
        QTRY_COMPARE_WITH_TIMEOUT(stopped.count(), 1, ShutdownCoordinator::CloseHandshakeMs + 3000);
        QCOMPARE(server.server().clientCount(), 0);
    }

    void notificationsSentBeforeShutdownArriveBeforeTheClose()
    {
        Config config = TestServer::defaultConfig();
        config.shutdownTimeoutSeconds = 0;
        TestServer server(config);
        TestClient client;
        QVERIFY(client.connectTo(server.webSocketUrl()));
        HttpClient http;
        for (int i = 0; i < 50; ++i)
            QCOMPARE(
                http.post(server.httpUrl("/notify"), QByteArray(R"({"message":"n)") + QByteArray::number(i) + "\"}")
                    .status,
                200);
        server.server().shutdown(QStringLiteral("test"));
        QVERIFY(client.waitForDisconnected(5000));
        QCOMPARE(client.countOf("notification"), 50);
        QCOMPARE(client.countOf("shutdown"), 1);
    }
};

QTEST_GUILESS_MAIN(ShutdownTest)
#include "tst_shutdown.moc"
