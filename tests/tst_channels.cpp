// Channels: subscribe and unsubscribe over /ws, POST /notify to a channel or a list of them, the per-client
// limit, bad names, and subscribers spread over several workers. Real server, real WebSocket clients.

#include "notification/Audience.h"
#include "protocol/ChannelName.h"
#include "support/HttpClient.h"
#include "support/RawWebSocketClient.h"
#include "support/TestClient.h"
#include "support/TestServer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <memory>

using namespace herald;
using namespace herald::test;

namespace {
HttpResult notify(TestServer &server, const QByteArray &body)
{
    HttpClient http;
    return http.post(server.httpUrl("/notify"), body);
}
} // namespace

class ChannelsTest : public QObject
{
    Q_OBJECT
private slots:
    void subscribeAndUnsubscribeAreAnswered()
    {
        TestServer server;
        TestClient client;
        QVERIFY(client.connectTo(server.webSocketUrl()));
        QCOMPARE(client.subscribe("orders.42"), QStringLiteral("subscribed"));
        client.send({{"type", "subscribe"}, {"channel", "orders.42"}});
        // A refusal names its channel, so a client with several requests open knows which one it answers.
        const QJsonObject already = client.waitFor("error");
        QCOMPARE(already.value("code").toString(), QStringLiteral("already_subscribed"));
        QCOMPARE(already.value("channel").toString(), QStringLiteral("orders.42"));
        QCOMPARE(client.subscribe("not a channel!"), QStringLiteral("invalid_channel"));
        QCOMPARE(client.subscribe(QString(ChannelName::MaxLength + 1, QLatin1Char('x'))),
                 QStringLiteral("invalid_channel"));
        client.send({{"type", "unsubscribe"}, {"channel", "orders.42"}});
        QCOMPARE(client.waitFor("unsubscribed").value("channel").toString(), QStringLiteral("orders.42"));
        client.send({{"type", "unsubscribe"}, {"channel", "orders.42"}});
        const QJsonObject notSubscribed = client.waitFor("error");
        QCOMPARE(notSubscribed.value("code").toString(), QStringLiteral("not_subscribed"));
        QCOMPARE(notSubscribed.value("channel").toString(), QStringLiteral("orders.42"));
        client.send({{"type", "subscribe"}});
        QCOMPARE(client.waitFor("error").value("code").toString(), QStringLiteral("invalid_channel"));
    }

    void aChannelNotificationReachesItsSubscribersOnly()
    {
        TestServer server;
        TestClient subscriber, elsewhere, unsubscribed;
        for (TestClient *client : {&subscriber, &elsewhere, &unsubscribed})
            QVERIFY(client->connectTo(server.webSocketUrl()));
        QCOMPARE(subscriber.subscribe("orders.42"), QStringLiteral("subscribed"));
        QCOMPARE(elsewhere.subscribe("orders.43"), QStringLiteral("subscribed"));

        const HttpResult sent = notify(server, R"({"message":"shipped","type":"order","channel":"orders.42"})");
        QCOMPARE(sent.status, 200);
        QCOMPARE(sent.json.value("recipients").toInt(), 1);
        const QJsonObject received = subscriber.waitFor("order");
        QCOMPARE(received.value("channel").toString(), QStringLiteral("orders.42"));
        QCOMPARE(received.value("message").toString(), QStringLiteral("shipped"));
        QCOMPARE(received.value("id").toString(), sent.json.value("notification_id").toString());
        QVERIFY(elsewhere.waitFor("order", 300).isEmpty());
        QVERIFY(unsubscribed.waitFor("order", 10).isEmpty());

        // A broadcast to everyone still reaches every client, subscribed or not, without a channel.
        QCOMPARE(notify(server, R"({"message":"all","type":"everyone"})").json.value("recipients").toInt(), 3);
        for (TestClient *client : {&subscriber, &elsewhere, &unsubscribed}) {
            const QJsonObject all = client->waitFor("everyone");
            QVERIFY(!all.isEmpty());
            QVERIFY(!all.contains("channel"));
        }
    }

    void aListOfChannelsSendsACopyToEach()
    {
        TestServer server;
        TestClient both, one;
        QVERIFY(both.connectTo(server.webSocketUrl()));
        QVERIFY(one.connectTo(server.webSocketUrl()));
        QCOMPARE(both.subscribe("team:7"), QStringLiteral("subscribed"));
        QCOMPARE(both.subscribe("build"), QStringLiteral("subscribed"));
        QCOMPARE(one.subscribe("build"), QStringLiteral("subscribed"));
        const HttpResult sent =
            notify(server, R"({"message":"green","type":"ci","channel":["team:7","build","build","nobody"]})");
        QCOMPARE(sent.status, 200);
        QCOMPARE(sent.json.value("recipients").toInt(), 3); // both twice (once per channel), one once
        QSet<QString> channels{both.waitFor("ci").value("channel").toString(),
                               both.waitFor("ci").value("channel").toString()};
        QCOMPARE(channels, (QSet<QString>{"team:7", "build"}));
        QCOMPARE(one.waitFor("ci").value("channel").toString(), QStringLiteral("build"));
        QVERIFY(one.waitFor("ci", 300).isEmpty()); // the repeated name is one channel
    }

    void theChannelLimitPerClientHolds()
    {
        Config config = TestServer::defaultConfig();
        config.maxChannelsPerClient = 2;
        TestServer server(config);
        TestClient client;
        QVERIFY(client.connectTo(server.webSocketUrl()));
        QCOMPARE(client.subscribe("a"), QStringLiteral("subscribed"));
        QCOMPARE(client.subscribe("b"), QStringLiteral("subscribed"));
        QCOMPARE(client.subscribe("c"), QStringLiteral("too_many_channels"));
        client.send({{"type", "unsubscribe"}, {"channel", "a"}});
        QVERIFY(!client.waitFor("unsubscribed").isEmpty());
        QCOMPARE(client.subscribe("c"), QStringLiteral("subscribed"));
    }

    void badTargetsInNotifyAre422NamingTheField_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("field");
        QTest::newRow("bad characters") << QByteArray(R"({"message":"m","channel":"no spaces"})") << "channel";
        QTest::newRow("not a string") << QByteArray(R"({"message":"m","channel":5})") << "channel";
        QTest::newRow("empty list") << QByteArray(R"({"message":"m","channel":[]})") << "channel";
        QTest::newRow("list with a number") << QByteArray(R"({"message":"m","channel":["a",7]})") << "channel";
        QTest::newRow("empty name") << QByteArray(R"({"message":"m","channel":""})") << "channel";
        QTest::newRow("empty user") << QByteArray(R"({"message":"m","user":""})") << "user";
        QTest::newRow("user too long") << QStringLiteral(R"({"message":"m","user":"%1"})")
                                              .arg(QString(Audience::MaxUserIdLength + 1, QLatin1Char('u')))
                                              .toUtf8()
                                       << "user";
        QTest::newRow("user not a string") << QByteArray(R"({"message":"m","user":{"sub":"a"}})") << "user";
        QTest::newRow("too many users") << QStringLiteral(R"({"message":"m","user":[%1"u"]})")
                                               .arg(QStringLiteral("\"u\",").repeated(Audience::MaxUsers))
                                               .toUtf8()
                                        << "user";
        QTest::newRow("channel and user") << QByteArray(R"({"message":"m","channel":"a","user":"b"})") << "user";
        QTest::newRow("user and client_id")
            << QByteArray(R"({"message":"m","user":"a","client_id":"b"})") << "client_id";
        QTest::newRow("empty client id") << QByteArray(R"({"message":"m","client_id":[""]})") << "client_id";
    }
    void badTargetsInNotifyAre422NamingTheField()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, field);
        TestServer server;
        TestClient client;
        QVERIFY(client.connectTo(server.webSocketUrl()));
        const HttpResult answer = notify(server, body);
        QCOMPARE(answer.status, 422);
        QCOMPARE(answer.json.value("detail").toArray().first().toObject().value("loc").toArray().last().toString(),
                 field);
        QVERIFY(client.waitFor("notification", 300).isEmpty()); // nothing was sent
    }

    void notifyCanAddressConnectionsByClientId()
    {
        TestServer server;
        TestClient chosen, other;
        QVERIFY(chosen.connectTo(server.webSocketUrl()));
        QVERIFY(other.connectTo(server.webSocketUrl()));
        const QByteArray body = QStringLiteral(R"({"message":"just you","type":"direct","client_id":["%1","gone"]})")
                                    .arg(chosen.clientId())
                                    .toUtf8();
        const HttpResult sent = notify(server, body);
        QCOMPARE(sent.status, 200);
        QCOMPARE(sent.json.value("recipients").toInt(), 1);
        QCOMPARE(chosen.waitFor("direct").value("message").toString(), QStringLiteral("just you"));
        QVERIFY(other.waitFor("direct", 300).isEmpty());
        // One kind of target per request.
        const HttpResult both = notify(server, R"({"message":"m","channel":"a","client_id":"b"})");
        QCOMPARE(both.status, 422);
        QCOMPARE(both.json.value("detail").toArray().first().toObject().value("loc").toArray().last().toString(),
                 QStringLiteral("client_id"));
    }

    void channelsCanBeJoinedAtConnect()
    {
        TestServer server;
        QUrl url = server.webSocketUrl();
        url.setQuery(QStringLiteral("channels=orders.42,team:7,orders.42"));
        TestClient client;
        QVERIFY(client.connectTo(url));
        QCOMPARE(client.welcome().value("channels").toArray(), (QJsonArray{"orders.42", "team:7"}));
        QCOMPARE(notify(server, R"({"message":"m","type":"t","channel":"team:7"})").json.value("recipients").toInt(),
                 1);
        QCOMPARE(client.waitFor("t").value("channel").toString(), QStringLiteral("team:7"));
        QCOMPARE(client.subscribe("orders.42"), QStringLiteral("already_subscribed"));
    }

    void badChannelsAtConnectAreRefusedBeforeTheUpgrade_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("error");
        QTest::newRow("bad name") << QStringLiteral("channels=ok,not%20ok") << QStringLiteral("invalid_channel");
        QTest::newRow("too many") << QStringLiteral("channels=a,b,c") << QStringLiteral("too_many_channels");
    }
    void badChannelsAtConnectAreRefusedBeforeTheUpgrade()
    {
        QFETCH(QString, query);
        QFETCH(QString, error);
        Config config = TestServer::defaultConfig();
        config.maxChannelsPerClient = 2;
        TestServer server(config);
        QUrl url = server.webSocketUrl();
        url.setQuery(query);
        RawWebSocketClient client;
        QCOMPARE(client.handshake(url), 400);
        QCOMPARE(QJsonDocument::fromJson(client.responseBody()).object().value("error").toString(), error);
        QCOMPARE(server.server().clientCount(), 0);
    }

    void aClientThatLeftIsNoLongerASubscriber()
    {
        TestServer server;
        auto leaving = std::make_unique<TestClient>();
        TestClient staying;
        QVERIFY(leaving->connectTo(server.webSocketUrl()));
        QVERIFY(staying.connectTo(server.webSocketUrl()));
        QCOMPARE(leaving->subscribe("news"), QStringLiteral("subscribed"));
        QCOMPARE(staying.subscribe("news"), QStringLiteral("subscribed"));
        leaving->close();
        QVERIFY(leaving->waitForDisconnected());
        QTRY_COMPARE(server.server().clientCount(), 1);
        leaving.reset();
        QCOMPARE(notify(server, R"({"message":"m","type":"news","channel":"news"})").json.value("recipients").toInt(),
                 1);
        QVERIFY(!staying.waitFor("news").isEmpty());
    }

    void subscribersOnEveryWorkerAreReached()
    {
        Config config = TestServer::defaultConfig();
        config.workers = 3;
        TestServer server(config);
        QList<TestClient *> clients;
        for (int i = 0; i < 6; ++i) {
            clients.append(new TestClient(this));
            QVERIFY(clients.last()->connectTo(server.webSocketUrl()));
            if (i % 2 == 0)
                QCOMPARE(clients.last()->subscribe("even"), QStringLiteral("subscribed"));
        }
        QCOMPARE(notify(server, R"({"message":"m","type":"parity","channel":"even"})").json.value("recipients").toInt(),
                 3);
        for (int i = 0; i < 6; ++i)
            QCOMPARE(clients[i]->waitFor("parity", i % 2 == 0 ? 5000 : 100).isEmpty(), i % 2 != 0);
        qDeleteAll(clients);
    }
};

QTEST_GUILESS_MAIN(ChannelsTest)
#include "tst_channels.moc"
