// MAX_CONNECTIONS and keep-alive, against a real server with real and raw WebSocket clients.

#include "admin/AdminFeed.h"
#include "logging/Logger.h"
#include "sessions/ClientSession.h"
#include "support/HttpClient.h"
#include "support/RawWebSocketClient.h"
#include "support/TestClient.h"
#include "support/TestServer.h"
#include "workers/WorkerPool.h"

#include <QJsonDocument>
#include <QNetworkRequest>
#include <QSignalSpy>
#include <QTest>

using namespace herald;
using namespace herald::test;

namespace {
// Whether a log line for this event mentions the text (an address, say).
bool loggedLine(const QSignalSpy &lines, const QString &event, const QString &text)
{
    for (const QList<QVariant> &line : lines) {
        const QString written = line.at(1).toString();
        if (written.contains(event) && written.contains(text))
            return true;
    }
    return false;
}
} // namespace

class ConnectionLimitsTest : public QObject
{
    Q_OBJECT
private slots:
    void clientsPastTheLimitAreRefusedClearlyAndCounted()
    {
        Config config = TestServer::defaultConfig();
        config.maxConnections = 2;
        TestServer server(config);
        TestClient a, b;
        QVERIFY(a.connectTo(server.webSocketUrl()));
        QVERIFY(b.connectTo(server.webSocketUrl()));

        RawWebSocketClient refused;
        QCOMPARE(refused.handshake(server.webSocketUrl()), 503);
        QVERIFY2(refused.responseHead().contains("application/json"), refused.responseHead().constData());
        QVERIFY(refused.responseHead().contains("Retry-After"));

        TestClient qtClient; // Qt's client sees the refusal as a failed handshake
        qtClient.socket().open(server.webSocketUrl());
        QVERIFY(qtClient.waitForDisconnected());
        QVERIFY(qtClient.clientId().isEmpty());

        QCOMPARE(server.server().clientCount(), 2);
        HttpClient http;
        const QJsonObject connections = http.get(server.httpUrl("/metrics")).json.value("connections").toObject();
        QCOMPARE(connections.value("refused").toInt(), 2);
        QCOMPARE(connections.value("refused_by_reason").toObject().value("max_connections").toInt(), 2);

        // The admitted clients are unaffected, and a freed place is usable again.
        QCOMPARE(http.post(server.httpUrl("/notify"), R"({"message":"still here"})").json.value("recipients").toInt(),
                 2);
        QVERIFY(!a.waitFor("notification").isEmpty());
        b.close();
        QVERIFY(b.waitForDisconnected());
        QTRY_COMPARE(server.server().clientCount(), 1);
        TestClient c;
        QVERIFY(c.connectTo(server.webSocketUrl()));
    }

    void refusalBodyExplainsWhy()
    {
        Config config = TestServer::defaultConfig();
        config.maxConnections = 1;
        TestServer server(config);
        TestClient a;
        QVERIFY(a.connectTo(server.webSocketUrl()));
        RawWebSocketClient refused;
        QCOMPARE(refused.handshake(server.webSocketUrl()), 503);
        const QJsonObject body = QJsonDocument::fromJson(refused.responseBody()).object();
        QCOMPARE(body.value("error").toString(), QStringLiteral("service_unavailable"));
        QVERIFY2(body.value("message").toString().contains("connection limit (1)"), refused.responseBody().constData());
    }

    void oneAddressIsLimitedAndCounted()
    {
        Config config = TestServer::defaultConfig();
        config.maxConnectionsPerAddress = 2;
        TestServer server(config);
        TestClient a, b;
        QVERIFY(a.connectTo(server.webSocketUrl()));
        QVERIFY(b.connectTo(server.webSocketUrl()));
        RawWebSocketClient third;
        QCOMPARE(third.handshake(server.webSocketUrl()), 429);
        const QJsonObject body = QJsonDocument::fromJson(third.responseBody()).object();
        QVERIFY2(body.value("message").toString().contains("MAX_CONNECTIONS_PER_IP"), third.responseBody().constData());
        const QJsonObject connections = server.server().metricsJson().value("connections").toObject();
        QCOMPARE(connections.value("refused_by_reason").toObject().value("max_connections_per_ip").toInt(), 1);

        // The address's count goes down as its clients leave.
        a.close();
        QVERIFY(a.waitForDisconnected());
        QTRY_COMPARE(server.server().clientCount(), 1);
        TestClient c;
        QVERIFY(c.connectTo(server.webSocketUrl()));
    }

    void behindATrustedProxyTheForwardedAddressIsTheClient()
    {
        Config config = TestServer::defaultConfig();
        config.logLevel = LogLevel::Info;
        config.maxConnectionsPerAddress = 1;
        config.trustedProxies = {QHostAddress::parseSubnet(QStringLiteral("127.0.0.0/8"))};
        TestServer server(config);
        QSignalSpy logged(&server.logger(), &Logger::lineWritten);

        RawWebSocketClient first;
        QCOMPARE(first.handshake(server.webSocketUrl(), 5000, "X-Forwarded-For: 203.0.113.7\r\n"), 101);
        QTRY_VERIFY(loggedLine(logged, "client_connected", "203.0.113.7"));

        // The same client again, through the same proxy: its limit, not the proxy's, and it is named.
        RawWebSocketClient again;
        QCOMPARE(again.handshake(server.webSocketUrl(), 5000, "X-Forwarded-For: 203.0.113.7\r\n"), 429);
        QVERIFY2(again.responseBody().contains("203.0.113.7 already has 1"), again.responseBody().constData());
        QTRY_VERIFY(loggedLine(logged, "connection_refused", "203.0.113.7"));

        // Another client through the same proxy; a spoofed first hop is not believed past the nearest untrusted one.
        RawWebSocketClient other;
        QCOMPARE(other.handshake(server.webSocketUrl(), 5000, "X-Forwarded-For: 203.0.113.7, 198.51.100.4\r\n"), 101);
        QTRY_COMPARE(server.server().clientCount(), 2);
    }

    void forwardedForFromAnUntrustedPeerIsIgnored()
    {
        Config config = TestServer::defaultConfig();
        config.maxConnectionsPerAddress = 1;
        TestServer server(config); // no TRUSTED_PROXIES: the loopback peer is the client
        RawWebSocketClient first;
        QCOMPARE(first.handshake(server.webSocketUrl(), 5000, "X-Forwarded-For: 203.0.113.7\r\n"), 101);
        RawWebSocketClient second;
        QCOMPARE(second.handshake(server.webSocketUrl(), 5000, "X-Forwarded-For: 198.51.100.4\r\n"), 429);
        QVERIFY2(second.responseBody().contains("127.0.0.1 already has 1"), second.responseBody().constData());
    }

    void notifyRateIsPerForwardedClient()
    {
        Config config = TestServer::defaultConfig();
        config.notifyRateLimit = 1;
        config.trustedProxies = {QHostAddress::parseSubnet(QStringLiteral("127.0.0.1/32"))};
        TestServer server(config);
        HttpClient first;
        first.setHeader("X-Forwarded-For", "203.0.113.7");
        HttpResult refused;
        for (int i = 0; i < 10 && refused.status == 0; ++i) {
            const HttpResult answer = first.post(server.httpUrl("/notify"), R"({"message":"m"})");
            if (answer.status != 200)
                refused = answer;
        }
        QCOMPARE(refused.status, 429);
        QVERIFY2(refused.json.value("message").toString().contains("from 203.0.113.7"), refused.body.constData());
        HttpClient second; // behind the same proxy, a client with its own allowance
        second.setHeader("X-Forwarded-For", "198.51.100.4");
        QCOMPARE(second.post(server.httpUrl("/notify"), R"({"message":"m"})").status, 200);
    }

    void onlyAllowedBrowserOriginsMayConnect()
    {
        Config config = TestServer::defaultConfig();
        config.allowedOrigins = {QStringLiteral("https://app.example.com")};
        TestServer server(config);
        RawWebSocketClient stranger;
        QCOMPARE(stranger.handshake(server.webSocketUrl(), 5000, "Origin: https://evil.example\r\n"), 403);
        QVERIFY2(stranger.responseBody().contains("ALLOWED_ORIGINS"), stranger.responseBody().constData());
        RawWebSocketClient app;
        QCOMPARE(app.handshake(server.webSocketUrl(), 5000, "Origin: HTTPS://app.example.com\r\n"), 101);
        RawWebSocketClient backend; // no Origin: not a browser, not subject to the list
        QCOMPARE(backend.handshake(server.webSocketUrl()), 101);
        QTRY_COMPARE(server.server().clientCount(), 2);
        const QJsonObject connections = server.server().metricsJson().value("connections").toObject();
        QCOMPARE(connections.value("refused_by_reason").toObject().value("forbidden_origin").toInt(), 1);
    }

    void oversizedHeadersAreRefusedWith431()
    {
        Config config = TestServer::defaultConfig();
        config.maxHeaderBytes = 2048;
        TestServer server(config);
        HttpClient http;
        http.setHeader("X-Padding", QByteArray(3000, 'p'));
        const HttpResult answer = http.get(server.httpUrl("/health"));
        QCOMPARE(answer.status, 431);
        QVERIFY2(answer.json.value("message").toString().contains("MAX_HEADER_SIZE"), answer.body.constData());

        TestClient client; // the same before a WebSocket upgrade: refused, never upgraded
        QNetworkRequest request(server.webSocketUrl());
        request.setRawHeader("X-Padding", QByteArray(3000, 'p'));
        client.open(request);
        QVERIFY(client.waitForDisconnected());
        QCOMPARE(server.server().clientCount(), 0);
    }

    void notifyIsRateLimitedPerAddress()
    {
        Config config = TestServer::defaultConfig();
        config.notifyRateLimit = 5;
        TestServer server(config);
        HttpClient http;
        int accepted = 0;
        HttpResult refused;
        for (int i = 0; i < 30 && refused.status == 0; ++i) {
            const HttpResult answer = http.post(server.httpUrl("/notify"), R"({"message":"m"})");
            if (answer.status == 200)
                ++accepted;
            else
                refused = answer;
        }
        QCOMPARE(refused.status, 429);
        QVERIFY(accepted >= 10); // the burst: twice the rate
        QCOMPARE(refused.header("Retry-After"), QByteArray("1"));
        QVERIFY2(refused.json.value("message").toString().contains("NOTIFY_RATE_LIMIT"), refused.body.constData());
    }

    void silentClientIsClosedAfterPingTimeout()
    {
        Config config = TestServer::defaultConfig();
        config.pingIntervalSeconds = 0.2;
        config.pingTimeoutSeconds = 0.3;
        TestServer server(config);

        TestClient healthy; // Qt answers pings by itself
        QVERIFY(healthy.connectTo(server.webSocketUrl()));
        RawWebSocketClient silent; // completes the handshake, then never answers
        QCOMPARE(silent.handshake(server.webSocketUrl()), 101);
        QTRY_COMPARE(server.server().clientCount(), 2);

        QVERIFY(silent.waitForDisconnected(5000));
        QTRY_COMPARE(server.server().clientCount(), 1);
        QVERIFY(healthy.isConnected());
        const QJsonObject closed =
            server.server().metricsJson().value("connections").toObject().value("closed_by_reason").toObject();
        QCOMPARE(closed.value("ping_timeout").toInt(), 1);

        // The healthy client is pinged too, answers, and stays.
        const auto lastRoundTripMs = [&server] {
            qint64 roundTrip = -1;
            for (const QJsonValue &row : server.server().adminFeed()->snapshot().value("clients").toArray())
                roundTrip = row.toObject().value("rtt_ms").toInteger(-1);
            return roundTrip;
        };
        QTRY_VERIFY_WITH_TIMEOUT(lastRoundTripMs() >= 0, 3000);
        QVERIFY(healthy.isConnected());
    }
};

QTEST_GUILESS_MAIN(ConnectionLimitsTest)
#include "tst_connection_limits.moc"
