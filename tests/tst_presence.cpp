// Presence on one instance: GET /channels, /channels/{name} and /users/{sub} against a real server with real
// WebSocket clients, paging, bad input, the API token, and the Prometheus counts. Across instances: see
// tst_redis_backplane.

#include "support/ClientTokens.h"
#include "support/HttpClient.h"
#include "support/TestClient.h"
#include "support/TestServer.h"

#include <QJsonArray>
#include <QTest>
#include <memory>

using namespace herald;
using namespace herald::test;

class PresenceTest : public QObject
{
    Q_OBJECT
private slots:
    void channelsAreListedWithTheirSubscriberCounts()
    {
        TestServer server;
        TestClient a, b, c;
        for (TestClient *client : {&a, &b, &c})
            QVERIFY(client->connectTo(server.webSocketUrl()));
        QCOMPARE(a.subscribe("orders.42"), QStringLiteral("subscribed"));
        QCOMPARE(b.subscribe("orders.42"), QStringLiteral("subscribed"));
        QCOMPARE(b.subscribe("team:7"), QStringLiteral("subscribed"));

        HttpClient http;
        const HttpResult listed = http.get(server.httpUrl("/channels"));
        QCOMPARE(listed.status, 200);
        QCOMPARE(listed.json.value("channels").toArray(),
                 (QJsonArray{QJsonObject{{"channel", "orders.42"}, {"subscribers", 2}},
                             QJsonObject{{"channel", "team:7"}, {"subscribers", 1}}}));
        QCOMPARE(listed.json.value("total").toInt(), 2);
        const QJsonArray instances = listed.json.value("instances").toArray();
        QCOMPARE(instances.size(), 1);
        QCOMPARE(instances.first().toObject().value("clients").toInt(), 3);

        const HttpResult prefixed = http.get(server.httpUrl("/channels?prefix=team"));
        QCOMPARE(prefixed.json.value("total").toInt(), 1);

        // A subscriber that leaves is no longer counted; an empty channel is no longer listed.
        a.close();
        QVERIFY(a.waitForDisconnected());
        QTRY_COMPARE(server.server().clientCount(), 2);
        b.send({{"type", "unsubscribe"}, {"channel", "team:7"}});
        QVERIFY(!b.waitFor("unsubscribed").isEmpty());
        QCOMPARE(http.get(server.httpUrl("/channels")).json.value("channels").toArray(),
                 (QJsonArray{QJsonObject{{"channel", "orders.42"}, {"subscribers", 1}}}));
    }

    void aChannelsSubscribersArePaged()
    {
        TestServer server;
        std::vector<std::unique_ptr<TestClient>> clients;
        QStringList ids;
        for (int i = 0; i < 3; ++i) {
            clients.push_back(std::make_unique<TestClient>());
            QVERIFY(clients.back()->connectTo(server.webSocketUrl()));
            QCOMPARE(clients.back()->subscribe("news"), QStringLiteral("subscribed"));
            ids.append(clients.back()->clientId());
        }
        ids.sort();
        HttpClient http;
        const HttpResult first = http.get(server.httpUrl("/channels/news?limit=2"));
        QCOMPARE(first.status, 200);
        QCOMPARE(first.json.value("subscribers").toInt(), 3);
        QCOMPARE(first.json.value("next_offset").toInt(), 2);
        const QJsonArray page = first.json.value("clients").toArray();
        QCOMPARE(page.size(), 2);
        QCOMPARE(page.at(0).toObject().value("client_id").toString(), ids.at(0));
        QCOMPARE(page.at(1).toObject().value("client_id").toString(), ids.at(1));
        const HttpResult second = http.get(server.httpUrl("/channels/news?limit=2&offset=2"));
        QCOMPARE(second.json.value("clients").toArray().first().toObject().value("client_id").toString(), ids.at(2));
        QVERIFY(!second.json.contains("next_offset"));

        const HttpResult nobody = http.get(server.httpUrl("/channels/quiet"));
        QCOMPARE(nobody.status, 200);
        QCOMPARE(nobody.json.value("subscribers").toInt(), 0);
    }

    void badPresenceQueriesAreRefused_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("status");
        QTest::newRow("bad channel") << "/channels/no%20spaces" << 400;
        QTest::newRow("limit 0") << "/channels/news?limit=0" << 422;
        QTest::newRow("limit too big") << "/channels?limit=1001" << 422;
        QTest::newRow("offset not a number") << "/channels?offset=x" << 422;
        QTest::newRow("nothing after /users/") << "/users/" << 404;
        QTest::newRow("deeper path") << "/channels/a/b" << 404;
    }
    void badPresenceQueriesAreRefused()
    {
        QFETCH(QString, path);
        QFETCH(int, status);
        TestServer server;
        HttpClient http;
        const HttpResult answer = http.get(server.httpUrl(path));
        QCOMPARE(answer.status, status);
        QVERIFY(!answer.json.value("message").toString().isEmpty());
    }

    void aUsersConnectionsAreListed()
    {
        Config config = TestServer::defaultConfig();
        config.clientJwtSecret = QString::fromLatin1(ClientTokenSecret);
        config.publicChannels = {QStringLiteral("orders.*")};
        TestServer server(config);
        TestClient tab, phone, other;
        QVERIFY(tab.connectTo(withToken(server.webSocketUrl(), tokenFor("alice@example.com"))));
        QVERIFY(phone.connectTo(withToken(server.webSocketUrl(), tokenFor("alice@example.com"))));
        QVERIFY(other.connectTo(withToken(server.webSocketUrl(), tokenFor("bob"))));
        QCOMPARE(phone.subscribe("orders.42"), QStringLiteral("subscribed"));
        HttpClient http;
        const HttpResult alice = http.get(server.httpUrl("/users/alice%40example.com"));
        QCOMPARE(alice.status, 200);
        QVERIFY(alice.json.value("online").toBool());
        const QJsonArray connections = alice.json.value("connections").toArray();
        QCOMPARE(connections.size(), 2);
        QStringList seen;
        for (const QJsonValue &connection : connections)
            seen.append(connection.toObject().value("client_id").toString());
        QVERIFY(seen.contains(tab.clientId()) && seen.contains(phone.clientId()));
        const HttpResult subscribers = http.get(server.httpUrl("/channels/orders.42"));
        QCOMPARE(subscribers.json.value("clients").toArray().first().toObject().value("user").toString(),
                 QStringLiteral("alice@example.com"));

        const HttpResult carol = http.get(server.httpUrl("/users/carol"));
        QCOMPARE(carol.status, 200);
        QVERIFY(!carol.json.value("online").toBool());
        QCOMPARE(carol.json.value("connections").toArray().size(), 0);
    }

    void presenceIsBehindTheApiToken()
    {
        Config config = TestServer::defaultConfig();
        config.apiToken = QStringLiteral("presence-token-0123456789");
        TestServer server(config);
        HttpClient anonymous;
        for (const char *path : {"/channels", "/channels/news", "/users/alice"})
            QCOMPARE(anonymous.get(server.httpUrl(path)).status, 401);
        HttpClient authorised;
        authorised.setHeader("Authorization", "Bearer presence-token-0123456789");
        QCOMPARE(authorised.get(server.httpUrl("/channels")).status, 200);
    }

    void prometheusCountsChannelsWithoutNamingThem()
    {
        TestServer server;
        TestClient a, b;
        QVERIFY(a.connectTo(server.webSocketUrl()));
        QVERIFY(b.connectTo(server.webSocketUrl()));
        QCOMPARE(a.subscribe("secret-project.1"), QStringLiteral("subscribed"));
        QCOMPARE(b.subscribe("secret-project.1"), QStringLiteral("subscribed"));
        QCOMPARE(b.subscribe("news"), QStringLiteral("subscribed"));
        HttpClient http;
        const HttpResult text = http.get(server.httpUrl("/metrics/prometheus"));
        QVERIFY(text.body.contains("\nherald_channels_active 2\n"));
        QVERIFY(text.body.contains("\nherald_channel_subscriptions 3\n"));
        QVERIFY(!text.body.contains("secret-project")); // bounded cardinality: no label per channel
        const QJsonObject channels = http.get(server.httpUrl("/metrics")).json.value("channels").toObject();
        QCOMPARE(channels.value("subscriptions").toInt(), 3);
    }
};

QTEST_GUILESS_MAIN(PresenceTest)
#include "tst_presence.moc"
