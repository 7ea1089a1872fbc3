// The HTTP API against a real server on a loopback port.

#include "support/HttpClient.h"
#include "support/TestClient.h"
#include "support/TestServer.h"

#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QTest>

using namespace herald;
using namespace herald::test;

class HttpApiTest : public QObject
{
    Q_OBJECT
private slots:
    void notifyReachesEveryClientWithTheRightCount()
    {
        TestServer server;
        HttpClient http;
        QList<TestClient *> clients;
        for (int i = 0; i < 3; ++i) {
            clients.append(new TestClient(this));
            QVERIFY(clients.last()->connectTo(server.webSocketUrl()));
        }
        const HttpResult result =
            http.post(server.httpUrl("/notify"), R"({"message":"Deploy done","type":"deploy","data":{"build":42}})");
        QCOMPARE(result.status, 200);
        QCOMPARE(result.json.value("recipients").toInt(), 3);
        const QString id = result.json.value("notification_id").toString();
        QVERIFY(!id.isEmpty());
        for (TestClient *client : clients) {
            const QJsonObject received = client->waitFor(QStringLiteral("deploy"));
            QCOMPARE(received.value("message").toString(), QStringLiteral("Deploy done"));
            QCOMPARE(received.value("data").toObject().value("build").toInt(), 42);
            QCOMPARE(received.value("id").toString(), id);
            QVERIFY(received.value("timestamp").toString().endsWith('Z'));
        }
        qDeleteAll(clients);
    }

    void notifyRejectsBadRequests_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("error");
        QTest::addColumn<QString>("field");
        QTest::newRow("malformed json") << QByteArray("{oops") << QByteArray("application/json") << 400
                                        << "invalid_json"
                                        << "body";
        QTest::newRow("missing message") << QByteArray(R"({"type":"x"})") << QByteArray("application/json") << 422
                                         << "validation_error"
                                         << "message";
        QTest::newRow("wrong type") << QByteArray(R"({"message":["a"]})") << QByteArray("application/json") << 422
                                    << "validation_error"
                                    << "message";
        QTest::newRow("unknown field") << QByteArray(R"({"message":"a","prio":1})") << QByteArray("application/json")
                                       << 422 << "validation_error"
                                       << "prio";
        QTest::newRow("data not object") << QByteArray(R"({"message":"a","data":3})") << QByteArray("application/json")
                                         << 422 << "validation_error"
                                         << "data";
        QTest::newRow("wrong content type")
            << QByteArray(R"({"message":"a"})") << QByteArray("text/plain") << 415 << "unsupported_media_type"
            << "";
        QTest::newRow("too large") << QByteArray(R"({"message":")") + QByteArray(2048, 'x') + QByteArray(R"("})")
                                   << QByteArray("application/json") << 413 << "payload_too_large"
                                   << "";
    }
    void notifyRejectsBadRequests()
    {
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, contentType);
        QFETCH(int, status);
        QFETCH(QString, error);
        QFETCH(QString, field);
        Config config = TestServer::defaultConfig();
        config.maxBodyBytes = 1024;
        TestServer server(config);
        TestClient client;
        QVERIFY(client.connectTo(server.webSocketUrl()));
        HttpClient http;
        const HttpResult result = http.post(server.httpUrl("/notify"), body, contentType);
        QCOMPARE(result.status, status);
        QCOMPARE(result.json.value("error").toString(), error);
        QVERIFY(!result.json.value("message").toString().isEmpty());
        if (!field.isEmpty()) {
            const QJsonObject detail = result.json.value("detail").toArray().first().toObject();
            QCOMPARE(detail.value("field").toString(), field);
            QVERIFY(!detail.value("msg").toString().isEmpty());
        }
        QVERIFY2(client.waitFor(QStringLiteral("notification"), 200).isEmpty(), "a rejected request broadcast");
    }

    void aBatchIsAnsweredItemByItem()
    {
        TestServer server;
        TestClient everyone, subscriber;
        QVERIFY(everyone.connectTo(server.webSocketUrl()));
        QVERIFY(subscriber.connectTo(server.webSocketUrl()));
        QCOMPARE(subscriber.subscribe("orders.42"), QStringLiteral("subscribed"));
        HttpClient http;
        const QByteArray body = QStringLiteral(R"({"notifications":[
            {"message":"to all","type":"all"},
            {"message":"to the channel","type":"order","channel":"orders.42"},
            {"message":"bad channel","channel":"no spaces"},
            "not an object",
            {"message":"to one","type":"direct","client_id":"%1"}]})")
                                    .arg(everyone.clientId())
                                    .toUtf8();
        const HttpResult answer = http.post(server.httpUrl("/notify/batch"), body);
        QCOMPARE(answer.status, 200);
        QCOMPARE(answer.json.value("sent").toInt(), 3);
        QCOMPARE(answer.json.value("failed").toInt(), 2);
        const QJsonArray results = answer.json.value("results").toArray();
        QCOMPARE(results.size(), 5);
        QCOMPARE(results[0].toObject().value("recipients").toInt(), 2);
        QCOMPARE(results[1].toObject().value("recipients").toInt(), 1);
        QCOMPARE(results[2].toObject().value("status").toString(), QStringLiteral("invalid"));
        QCOMPARE(results[2].toObject().value("detail").toArray().first().toObject().value("field").toString(),
                 QStringLiteral("channel"));
        QCOMPARE(results[3].toObject().value("status").toString(), QStringLiteral("invalid"));
        QCOMPARE(results[4].toObject().value("status").toString(), QStringLiteral("sent"));
        QCOMPARE(everyone.waitFor("all").value("id"), results[0].toObject().value("notification_id"));
        QCOMPARE(subscriber.waitFor("order").value("id"), results[1].toObject().value("notification_id"));
        QCOMPARE(everyone.waitFor("direct").value("message").toString(), QStringLiteral("to one"));
        QCOMPARE(subscriber.countOf("all"), 1);
        QVERIFY(everyone.waitFor("order", 200).isEmpty());
        QCOMPARE(subscriber.countOf("direct"), 0);
    }

    void badBatchesAreRefusedWhole_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("field");
        QTest::newRow("not JSON") << QByteArray("{") << 400 << "";
        QTest::newRow("a list") << QByteArray(R"([{"message":"m"}])") << 400 << "";
        QTest::newRow("no notifications") << QByteArray(R"({})") << 422 << "notifications";
        QTest::newRow("not a list") << QByteArray(R"({"notifications":{"message":"m"}})") << 422 << "notifications";
        QTest::newRow("empty") << QByteArray(R"({"notifications":[]})") << 422 << "notifications";
        QTest::newRow("over MAX_BATCH_SIZE")
            << QByteArray(R"({"notifications":[{"message":"1"},{"message":"2"},{"message":"3"}]})") << 422
            << "notifications";
        QTest::newRow("extra field") << QByteArray(R"({"notifications":[{"message":"1"}],"atomic":true})") << 422
                                     << "atomic";
    }
    void badBatchesAreRefusedWhole()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, field);
        Config config = TestServer::defaultConfig();
        config.maxBatchSize = 2;
        TestServer server(config);
        TestClient client;
        QVERIFY(client.connectTo(server.webSocketUrl()));
        HttpClient http;
        const HttpResult answer = http.post(server.httpUrl("/notify/batch"), body);
        QCOMPARE(answer.status, status);
        if (!field.isEmpty())
            QCOMPARE(answer.json.value("detail").toArray().first().toObject().value("field").toString(), field);
        QVERIFY(client.waitFor("notification", 200).isEmpty()); // nothing of it was sent
        QCOMPARE(
            http.post(server.httpUrl("/notify/batch"), R"({"notifications":[{"message":"1"}]})", "text/plain").status,
            415);
    }

    void healthStatusAndMetricsFollowClients()
    {
        TestServer server;
        HttpClient http;
        QCOMPARE(http.get(server.httpUrl("/health")).json.value("status").toString(), QStringLiteral("healthy"));

        TestClient a, b;
        QVERIFY(a.connectTo(server.webSocketUrl()));
        QVERIFY(b.connectTo(server.webSocketUrl()));
        HttpResult status = http.get(server.httpUrl("/status"));
        QCOMPARE(status.status, 200);
        QCOMPARE(status.json.value("connections").toObject().value("active").toInt(), 2);
        QCOMPARE(status.json.value("config").toObject().value("MAX_CONNECTIONS").toInt(), 1000);
        QCOMPARE(status.json.value("shutdown").toObject().value("state").toString(), QStringLiteral("running"));
        QVERIFY(status.json.value("notification_service").isObject());

        QCOMPARE(http.post(server.httpUrl("/notify"), R"({"message":"m"})").status, 200);
        QVERIFY(!a.waitFor("notification").isEmpty());
        a.send({{"type", "ping"}});
        QVERIFY(!a.waitFor("pong").isEmpty());
        b.close();
        QVERIFY(b.waitForDisconnected());
        QTRY_COMPARE(server.server().clientCount(), 1);

        const HttpResult metrics = http.get(server.httpUrl("/metrics"));
        QCOMPARE(metrics.status, 200);
        const QJsonObject connections = metrics.json.value("connections").toObject();
        QCOMPARE(connections.value("active").toInt(), 1);
        QCOMPARE(connections.value("total").toInt(), 2);
        const QJsonObject messages = metrics.json.value("messages").toObject();
        QCOMPARE(messages.value("received").toInt(), 1);
        QVERIFY(messages.value("sent").toInt() >= 5); // 2 welcomes, 2 notifications, 1 pong
        QCOMPARE(metrics.json.value("notifications").toObject().value("broadcast").toInt(), 1);
        const QJsonObject duration = metrics.json.value("connection_duration_seconds").toObject();
        QCOMPARE(duration.value("count").toInt(), 1);
        for (const char *key : {"min", "avg", "max", "p50", "p90", "p99"})
            QVERIFY2(duration.contains(key), key);

        const HttpResult prometheus = http.get(server.httpUrl("/metrics/prometheus"));
        QCOMPARE(prometheus.status, 200);
        QVERIFY(prometheus.header("Content-Type").startsWith("text/plain"));
        const QByteArray text = prometheus.body;
        QVERIFY(text.contains("# TYPE herald_connections_active gauge\nherald_connections_active 1\n"));
        QVERIFY(text.contains("# TYPE herald_connections_total counter\nherald_connections_total 2\n"));
        QVERIFY(text.contains("herald_messages_received_total 1\n"));
        QVERIFY(text.contains("# TYPE herald_connection_duration_seconds histogram"));
        QVERIFY(text.contains("herald_connection_duration_seconds_count 1\n"));
        QVERIFY(text.contains("herald_broadcast_latency_seconds_bucket{le=\"+Inf\"} 1\n"));
        QVERIFY(text.contains("herald_notifications_broadcast_total{source=\"api\"} 1\n"));
        QVERIFY(text.contains("# HELP herald_connections_closed_total"));
    }

    void unknownPathsAndMethodsAreJson()
    {
        TestServer server;
        HttpClient http;
        const HttpResult missing = http.get(server.httpUrl("/nowhere"));
        QCOMPARE(missing.status, 404);
        QCOMPARE(missing.json.value("error").toString(), QStringLiteral("not_found"));
        const HttpResult wrongMethod = http.send(server.httpUrl("/notify"), "GET");
        QCOMPARE(wrongMethod.status, 405);
        QCOMPARE(wrongMethod.json.value("error").toString(), QStringLiteral("method_not_allowed"));
        QCOMPARE(wrongMethod.header("Allow"), QByteArray("POST"));
        QCOMPARE(http.send(server.httpUrl("/health"), "DELETE").status, 405);
        const HttpResult plainWs = http.get(server.httpUrl("/ws"));
        QCOMPARE(plainWs.status, 426);
    }

    void openApiDescribesTheApi()
    {
        TestServer server;
        HttpClient http;
        const HttpResult document = http.get(server.httpUrl("/openapi.json"));
        QCOMPARE(document.status, 200);
        QVERIFY(document.json.value("openapi").toString().startsWith("3."));
        const QJsonObject paths = document.json.value("paths").toObject();
        for (const char *path :
             {"/notify", "/notify/batch", "/health", "/status", "/metrics", "/metrics/prometheus", "/ws", "/channels",
              "/channels/{name}", "/channels/{name}/history", "/users/{sub}", "/notifications/{id}"})
            QVERIFY2(paths.contains(path), path);
        QCOMPARE(http.get(server.httpUrl("/docs")).status, 404); // not in the default profile
        const QJsonObject fields = document.json.value("components")
                                       .toObject()
                                       .value("schemas")
                                       .toObject()
                                       .value("NotificationRequest")
                                       .toObject()
                                       .value("properties")
                                       .toObject();
        QVERIFY(fields.contains("ack"));
    }

    void devServesDocsAndProdAddsSecurityHeaders()
    {
        Config dev = TestServer::defaultConfig();
        dev.profile = Profile::Development;
        TestServer devServer(dev);
        HttpClient http;
        const HttpResult docs = http.get(devServer.httpUrl("/docs"));
        QCOMPARE(docs.status, 200);
        QVERIFY(docs.body.contains("/openapi.json"));
        QVERIFY(http.get(devServer.httpUrl("/health")).header("X-Content-Type-Options").isEmpty());

        Config prod = TestServer::defaultConfig();
        prod.profile = Profile::Production;
        TestServer prodServer(prod);
        const HttpResult health = http.get(prodServer.httpUrl("/health"));
        QCOMPARE(health.header("X-Content-Type-Options"), QByteArray("nosniff"));
        QCOMPARE(health.header("X-Frame-Options"), QByteArray("DENY"));
        QVERIFY(!health.header("Content-Security-Policy").isEmpty());
    }

    void apiTokenGuardsNotifyAndStatusAndIsNeverLogged()
    {
        const QByteArray token = "test-token-0123456789";
        Config config = TestServer::defaultConfig();
        config.apiToken = QString::fromLatin1(token);
        TestServer server(config);
        TestClient client;
        QVERIFY(client.connectTo(server.webSocketUrl()));

        HttpClient anonymous;
        const HttpResult refused = anonymous.post(server.httpUrl("/notify"), R"({"message":"no"})");
        QCOMPARE(refused.status, 401);
        QCOMPARE(refused.header("WWW-Authenticate"), QByteArray("Bearer"));
        QVERIFY2(refused.json.value("message").toString().contains("API token"), refused.body.constData());
        QCOMPARE(anonymous.get(server.httpUrl("/status")).status, 401);
        QCOMPARE(anonymous.get(server.httpUrl("/health")).status, 200); // for load balancers, open
        HttpClient wrong;
        wrong.setHeader("Authorization", "Bearer test-token-0123456788");
        QCOMPARE(wrong.post(server.httpUrl("/notify"), R"({"message":"no"})").status, 401);
        QCOMPARE(anonymous.post(server.httpUrl("/notify/batch"), R"({"notifications":[{"message":"no"}]})").status,
                 401);

        HttpClient authorised;
        authorised.setHeader("Authorization", "Bearer " + token);
        QCOMPARE(authorised.post(server.httpUrl("/notify"), R"({"message":"yes"})").status, 200);
        QCOMPARE(authorised.get(server.httpUrl("/status")).status, 200);
        QCOMPARE(client.waitFor("notification").value("message").toString(), QStringLiteral("yes"));
        QCOMPARE(client.countOf("notification"), 1); // the refused ones never went out

        const QJsonObject settings = authorised.get(server.httpUrl("/status")).json.value("config").toObject();
        QCOMPARE(settings.value("API_TOKEN").toString(), QStringLiteral("***"));
        server.logger().flush();
        QDirIterator logs(server.logDir(), QDir::Files, QDirIterator::Subdirectories);
        while (logs.hasNext()) {
            QFile log(logs.next());
            QVERIFY(log.open(QIODevice::ReadOnly));
            QVERIFY2(!log.readAll().contains(token), qPrintable(log.fileName()));
        }
    }

    void disabledEndpointsAreAbsent()
    {
        Config config = TestServer::defaultConfig();
        config.metricsEnabled = false;
        config.healthCheckEnabled = false;
        TestServer server(config);
        HttpClient http;
        QCOMPARE(http.get(server.httpUrl("/metrics")).status, 404);
        QCOMPARE(http.get(server.httpUrl("/metrics/prometheus")).status, 404);
        QCOMPARE(http.get(server.httpUrl("/health")).status, 404);
        QCOMPARE(http.get(server.httpUrl("/status")).status, 200);
    }
};

QTEST_GUILESS_MAIN(HttpApiTest)
#include "tst_http_api.moc"
