// Delivery receipts: "ack": true in /notify, clients' {"type": "ack"}, GET /notifications/{id} counting
// connections and users, and the webhook for users who did not acknowledge within ACK_TIMEOUT, against a real
// local HTTP receiver that checks the signature (retries on 500, nothing for acknowledged notifications, a 4xx
// ends it), and the same across two instances sharing a real redis-server. Real server, real WebSocket clients.

#include "admin/AdminFeed.h"
#include "support/ClientTokens.h"
#include "support/HttpClient.h"
#include "support/RedisProcess.h"
#include "support/TestClient.h"
#include "support/TestServer.h"
#include "support/WebhookReceiver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QTest>
#include <QUuid>

using namespace herald;
using namespace herald::test;

namespace {

const QString WebhookSecret = QStringLiteral("a-webhook-secret-for-tests");

Config withTokens()
{
    Config config = TestServer::defaultConfig();
    config.clientJwtSecret = QString::fromLatin1(ClientTokenSecret);
    return config;
}

Config withWebhook(const WebhookReceiver &receiver)
{
    Config config = withTokens();
    config.undeliveredWebhookUrl = receiver.url().toString();
    config.webhookSecret = WebhookSecret;
    config.ackTimeoutSeconds = 0.3;
    return config;
}

QString notify(TestServer &server, const QJsonObject &body)
{
    HttpClient http;
    const HttpResult sent = http.post(server.httpUrl("/notify"), QJsonDocument(body).toJson());
    return sent.status == 200 ? sent.json.value("notification_id").toString() : QString();
}

QJsonObject receiptOf(TestServer &server, const QString &id)
{
    HttpClient http;
    return http.get(server.httpUrl("/notifications/" + id)).json;
}

void acknowledge(TestClient &client, const QString &id)
{
    client.send({{"type", "ack"}, {"id", id}});
}

bool signedWithTheSecret(const WebhookReceiver::Request &request)
{
    return request.headers.value("x-herald-signature") ==
           "sha256=" +
               QMessageAuthenticationCode::hash(request.body, WebhookSecret.toUtf8(), QCryptographicHash::Sha256)
                   .toHex();
}

} // namespace

class ReceiptsTest : public QObject
{
    Q_OBJECT
private slots:
    void connectionsAreCountedAsTheyAcknowledge()
    {
        TestServer server;
        TestClient first, second;
        QVERIFY(first.connectTo(server.webSocketUrl()));
        QVERIFY(second.connectTo(server.webSocketUrl()));
        const QString id = notify(server, {{"message", "please confirm"}, {"ack", true}});
        QVERIFY(!id.isEmpty());
        const QJsonObject received = first.waitFor("notification");
        QCOMPARE(received.value("ack").toBool(), true);
        QCOMPARE(received.value("id").toString(), id);
        QCOMPARE(receiptOf(server, id).value("sent").toInt(), 2);
        QCOMPARE(receiptOf(server, id).value("acknowledged").toInt(), 0);

        acknowledge(first, id);
        acknowledge(first, id); // a connection counts once
        QTRY_COMPARE(receiptOf(server, id).value("acknowledged").toInt(), 1);
        acknowledge(second, id);
        QTRY_COMPARE(receiptOf(server, id).value("acknowledged").toInt(), 2);
        acknowledge(second, QStringLiteral("not-a-notification")); // ignored
        QVERIFY(!receiptOf(server, id).contains("users"));

        // Without "ack" there is no receipt, and the notification does not ask for one.
        const QString plain = notify(server, {{"message", "no receipt"}});
        QVERIFY(!first.waitFor("notification").contains("ack"));
        HttpClient http;
        QCOMPARE(http.get(server.httpUrl("/notifications/" + plain)).status, 404);
        QCOMPARE(http.get(server.httpUrl("/notifications/unknown")).status, 404);
    }

    void userTargetedReceiptsSayWhoWasReachedAndWhoAcknowledged()
    {
        TestServer server(withTokens());
        TestClient alice, aliceAgain, eve;
        QVERIFY(alice.connectTo(withToken(server.webSocketUrl(), tokenFor("alice"))));
        QVERIFY(aliceAgain.connectTo(withToken(server.webSocketUrl(), tokenFor("alice"))));
        QVERIFY(eve.connectTo(withToken(server.webSocketUrl(), tokenFor("eve"))));
        const QString id =
            notify(server, {{"message", "invoice"}, {"user", QJsonArray{"alice", "bob"}}, {"ack", true}});
        QVERIFY(!alice.waitFor("notification").isEmpty());
        QJsonObject receipt = receiptOf(server, id);
        QCOMPARE(receipt.value("sent").toInt(), 2);
        QCOMPARE(receipt.value("users").toObject().value("unreached").toArray(), QJsonArray({"bob"}));

        acknowledge(eve, id); // not one of its users
        acknowledge(aliceAgain, id);
        QTRY_COMPARE(receiptOf(server, id).value("acknowledged").toInt(), 1);
        receipt = receiptOf(server, id);
        QCOMPARE(receipt.value("users").toObject().value("acknowledged").toArray(), QJsonArray({"alice"}));
        QCOMPARE(receipt.value("to").toString(), QStringLiteral("user"));
    }

    void theWebhookGetsTheUnacknowledgedUsersSignedAndIsRetried()
    {
        WebhookReceiver receiver({500});
        TestServer server(withWebhook(receiver));
        TestClient alice;
        QVERIFY(alice.connectTo(withToken(server.webSocketUrl(), tokenFor("alice"))));
        const QString id =
            notify(server, {{"message", "your order shipped"}, {"user", QJsonArray{"alice", "bob"}}, {"ack", true}});
        QVERIFY(!alice.waitFor("notification").isEmpty()); // received, never acknowledged

        QTRY_COMPARE_WITH_TIMEOUT(receiver.requests().size(), 2, 10000); // the 500, then the retry
        for (const WebhookReceiver::Request &request : receiver.requests())
            QVERIFY(signedWithTheSecret(request));
        QCOMPARE(receiver.requests()[0].headers.value("x-herald-delivery"),
                 receiver.requests()[1].headers.value("x-herald-delivery"));
        QCOMPARE(receiver.requests()[0].body, receiver.requests()[1].body);
        const QJsonObject body = QJsonDocument::fromJson(receiver.requests()[1].body).object();
        QCOMPARE(body.value("users").toArray(), QJsonArray({"alice", "bob"}));
        QCOMPARE(body.value("notification").toObject().value("id").toString(), id);
        QCOMPARE(body.value("notification").toObject().value("message").toString(),
                 QStringLiteral("your order shipped"));
        QCOMPARE(body.value("sent").toInt(), 1);
        HttpClient http;
        QTRY_COMPARE(http.get(server.httpUrl("/metrics"))
                         .json.value("undelivered_webhook")
                         .toObject()
                         .value("delivered")
                         .toInt(),
                     1);
        QCOMPARE(
            http.get(server.httpUrl("/metrics")).json.value("undelivered_webhook").toObject().value("retried").toInt(),
            1);
        QVERIFY(http.get(server.httpUrl("/metrics/prometheus"))
                    .body.contains("herald_webhook_deliveries_total{outcome=\"delivered\"} 1"));
    }

    void nothingIsSentForAnAcknowledgedNotification()
    {
        WebhookReceiver receiver;
        TestServer server(withWebhook(receiver));
        TestClient alice;
        QVERIFY(alice.connectTo(withToken(server.webSocketUrl(), tokenFor("alice"))));
        const QString acknowledgedId = notify(server, {{"message", "seen"}, {"user", "alice"}, {"ack", true}});
        acknowledge(alice, alice.waitFor("notification").value("id").toString());
        QTRY_COMPARE(receiptOf(server, acknowledgedId).value("acknowledged").toInt(), 1);
        // One that is not acknowledged, to know when the timeout has passed for both.
        const QString ignoredId = notify(server, {{"message", "ignored"}, {"user", "alice"}, {"ack", true}});
        QTRY_COMPARE_WITH_TIMEOUT(receiver.requests().size(), 1, 5000);
        QTRY_VERIFY(receiptOf(server, acknowledgedId).value("ack_timeout_passed").toBool());
        QCOMPARE(QJsonDocument::fromJson(receiver.requests().first().body)
                     .object()
                     .value("notification")
                     .toObject()
                     .value("id")
                     .toString(),
                 ignoredId);
        QCOMPARE(receiver.requests().size(), 1);
    }

    void aRefusalEndsTheDeliveryWithoutRetries()
    {
        WebhookReceiver receiver({400});
        TestServer server(withWebhook(receiver));
        notify(server, {{"message", "nobody is connected"}, {"user", "bob"}, {"ack", true}});
        HttpClient http;
        QTRY_COMPARE_WITH_TIMEOUT(
            http.get(server.httpUrl("/metrics")).json.value("undelivered_webhook").toObject().value("rejected").toInt(),
            1, 5000);
        QCOMPARE(receiver.requests().size(), 1);
    }

    void badAcksAndAckFieldsAreRefused()
    {
        TestServer server;
        HttpClient http;
        const HttpResult refused = http.post(server.httpUrl("/notify"), R"({"message":"x","ack":"yes"})");
        QCOMPARE(refused.status, 422);
        QCOMPARE(http.post(server.httpUrl("/notify"), R"({"message":"x","type":"ack"})").status, 422);
        TestClient client;
        QVERIFY(client.connectTo(server.webSocketUrl()));
        client.send({{"type", "ack"}});
        QCOMPARE(client.waitFor("error").value("code").toString(), QStringLiteral("invalid_message"));
        client.send({{"type", "ack"}, {"id", QString(65, QLatin1Char('x'))}});
        QCOMPARE(client.waitFor("error").value("code").toString(), QStringLiteral("invalid_message"));
    }

    void acknowledgementsAreCountedAcrossTheCluster()
    {
        RedisProcess redis;
        QVERIFY2(redis.start(), qPrintable(redis.output()));
        WebhookReceiver receiver;
        Config config = withWebhook(receiver);
        config.ackTimeoutSeconds = 1;
        config.redisUrl = redis.url();
        config.redisChannel = QStringLiteral("herald:test:%1").arg(QUuid::createUuid().toString(QUuid::WithoutBraces));
        TestServer a(config), b(config);
        const auto connected = [](TestServer &instance) {
            return instance.server().healthJson().value("backplane").toString() == u"connected";
        };
        QTRY_VERIFY(connected(a) && connected(b));
        TestClient alice, bob;
        QVERIFY(alice.connectTo(withToken(a.webSocketUrl(), tokenFor("alice"))));
        QVERIFY(bob.connectTo(withToken(b.webSocketUrl(), tokenFor("bob"))));
        // A console attached to A follows acknowledgements made on B too.
        AdminFeed *feed = a.server().adminFeed();
        feed->subscribe();
        QList<QJsonObject> receiptEvents;
        connect(feed, &AdminFeed::eventReady, this, [&](const QJsonObject &event) {
            if (event.value("event").toString() == u"receipt")
                receiptEvents.append(event);
        });

        const QString id =
            notify(a, {{"message", "cluster-wide"}, {"user", QJsonArray{"alice", "bob", "carol"}}, {"ack", true}});
        QVERIFY(!alice.waitFor("notification").isEmpty());
        QCOMPARE(bob.waitFor("notification").value("id").toString(), id);
        // Either instance answers for the whole cluster.
        QTRY_COMPARE(receiptOf(b, id).value("sent").toInt(), 2);
        QCOMPARE(receiptOf(a, id).value("users").toObject().value("unreached").toArray(), QJsonArray({"carol"}));
        acknowledge(bob, id);
        QTRY_COMPARE(receiptOf(a, id).value("acknowledged").toInt(), 1);
        QCOMPARE(receiptOf(a, id).value("users").toObject().value("acknowledged").toArray(), QJsonArray({"bob"}));
        QCOMPARE(receiptOf(b, id).value("acknowledged").toInt(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(!receiptEvents.isEmpty() && receiptEvents.last().value("acknowledged").toInt() == 1 &&
                                     receiptEvents.last().value("sent").toInt() == 2,
                                 5000);
        feed->unsubscribe();

        // The fallback, from the instance that accepted it, names those who did not acknowledge anywhere.
        QTRY_COMPARE_WITH_TIMEOUT(receiver.requests().size(), 1, 5000);
        const QJsonObject body = QJsonDocument::fromJson(receiver.requests().first().body).object();
        QCOMPARE(body.value("users").toArray(), QJsonArray({"alice", "carol"}));
        QCOMPARE(body.value("sent").toInt(), 2);
        QCOMPARE(body.value("acknowledged").toInt(), 1);
    }

    void aReceiptIsForgottenAfterItsRetention()
    {
        Config config = TestServer::defaultConfig();
        config.receiptRetentionSeconds = 1;
        config.ackTimeoutSeconds = 0.2;
        TestServer server(config);
        const QString id = notify(server, {{"message", "short-lived"}, {"ack", true}});
        HttpClient http;
        QCOMPARE(http.get(server.httpUrl("/notifications/" + id)).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(http.get(server.httpUrl("/notifications/" + id)).status, 404, 5000);
    }

    void receiptsNeedTheApiToken()
    {
        Config config = TestServer::defaultConfig();
        config.apiToken = QStringLiteral("an-api-token-of-16+");
        TestServer server(config);
        HttpClient http;
        QCOMPARE(http.get(server.httpUrl("/notifications/x")).status, 401);
    }
};

QTEST_MAIN(ReceiptsTest)
#include "tst_receipts.moc"
