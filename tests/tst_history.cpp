// History and recovery: positions on every kept notification, a reconnecting client's replay (at connect with
// ?since= and with a subscribe's "since") with no gap and no duplicate at the seam while publishing goes on, the
// answers when a recovery cannot be whole, the limits, and GET /channels/{name}/history. Real server, real
// WebSocket clients.

#include "notification/NotificationRequest.h"
#include "publish/Publisher.h"
#include "support/ClientTokens.h"
#include "support/HttpClient.h"
#include "support/RawWebSocketClient.h"
#include "support/StreamReading.h"
#include "support/TestClient.h"
#include "support/TestServer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <QTimer>
#include <QUrlQuery>
#include <memory>

using namespace herald;
using namespace herald::test;

namespace {

NotificationRequest notification(const QString &message, const QJsonObject &target = {})
{
    QJsonObject fields = target;
    fields.insert(QStringLiteral("message"), message);
    NotificationRequest request;
    const auto validation = NotificationRequest::validate(fields, &request);
    Q_ASSERT(validation.outcome == NotificationRequest::Validation::Outcome::Valid);
    return request;
}

QJsonObject toChannel(const QString &channel)
{
    return {{QStringLiteral("channel"), channel}};
}

// The types of every message client received, in order: to check that a replay comes before the answer.
QStringList typesOf(const TestClient &client)
{
    QStringList types;
    for (const QJsonObject &message : client.all())
        types.append(message.value("type").toString());
    return types;
}

Config withHistory(int size = 100, int recoveryLimit = 500)
{
    Config config = TestServer::defaultConfig();
    config.history = {size, 300};
    config.recoveryLimit = recoveryLimit;
    return config;
}

} // namespace

class HistoryTest : public QObject
{
    Q_OBJECT
private slots:
    void keptNotificationsCarryTheirPosition()
    {
        TestServer server(withHistory());
        TestClient client;
        QVERIFY(client.connectTo(withQuery(server.webSocketUrl(), {{"channels", "news"}})));
        const QJsonObject streams = client.welcome().value("streams").toObject();
        QCOMPARE(streams.value("$all").toObject().value("offset").toInt(-1), 0);
        QCOMPARE(streams.value("news").toObject().value("offset").toInt(-1), 0);
        const QString allEpoch = streams.value("$all").toObject().value("epoch").toString();
        QVERIFY(!allEpoch.isEmpty());
        QVERIFY(!streams.contains("$user")); // no token, no user

        server.server().broadcast(notification("one"), "api");
        server.server().broadcast(notification("two"), "api");
        server.server().broadcast(notification("to news", toChannel("news")), "api");
        QTRY_COMPARE(client.countOf("notification"), 3);
        QCOMPARE(offsetsOn(client, "$all"), QList<qint64>({1, 2}));
        QCOMPARE(offsetsOn(client, "news"), QList<qint64>({1}));
        for (const QJsonObject &message : client.received())
            if (message.value("stream").toString() == u"$all")
                QCOMPARE(message.value("epoch").toString(), allEpoch);

        // A subscribe tells where the channel stands.
        QCOMPARE(client.subscribe("other"), QStringLiteral("subscribed"));
        server.server().broadcast(notification("to other", toChannel("other")), "api");
        TestClient late;
        QVERIFY(late.connectTo(server.webSocketUrl()));
        late.send({{"type", "subscribe"}, {"channel", "other"}});
        const QJsonObject subscribed = late.waitFor("subscribed");
        QCOMPARE(subscribed.value("offset").toInt(), 1);
        QVERIFY(!subscribed.value("epoch").toString().isEmpty());
        QVERIFY(!subscribed.contains("recovered")); // it did not ask to recover
    }

    void subscribeWithSinceReplaysExactlyWhatWasMissed()
    {
        TestServer server(withHistory());
        auto first = std::make_unique<TestClient>();
        QVERIFY(first->connectTo(server.webSocketUrl()));
        first->send({{"type", "subscribe"}, {"channel", "orders.7"}});
        const QString epoch = first->waitFor("subscribed").value("epoch").toString();
        for (int i = 1; i <= 3; ++i)
            server.server().broadcast(notification(QString::number(i), toChannel("orders.7")), "api");
        QTRY_COMPARE(offsetsOn(*first, "orders.7"), range(1, 3));
        first.reset(); // the phone goes into a tunnel

        for (int i = 4; i <= 7; ++i)
            server.server().broadcast(notification(QString::number(i), toChannel("orders.7")), "api");
        server.server().broadcast(notification("to everyone"), "api");

        TestClient back;
        QVERIFY(back.connectTo(server.webSocketUrl()));
        back.send(
            {{"type", "subscribe"}, {"channel", "orders.7"}, {"since", QJsonObject{{"offset", 3}, {"epoch", epoch}}}});
        const QJsonObject subscribed = back.waitFor("subscribed");
        QCOMPARE(subscribed.value("recovered").toBool(), true);
        QCOMPARE(subscribed.value("replayed").toInt(), 4);
        QCOMPARE(subscribed.value("offset").toInt(), 7);
        QCOMPARE(subscribed.value("epoch").toString(), epoch);
        QCOMPARE(offsetsOn(back, "orders.7"), range(4, 7));
        // The welcome, the replay, then the answer.
        QCOMPARE(typesOf(back), QStringList({"welcome", "notification", "notification", "notification", "notification",
                                             "subscribed"}));
        int expected = 4;
        for (const QJsonObject &message : back.received())
            QCOMPARE(message.value("message").toString(), QString::number(expected++));

        // Then live, once.
        server.server().broadcast(notification("8", toChannel("orders.7")), "api");
        QTRY_COMPARE(offsetsOn(back, "orders.7"), range(4, 8));
    }

    void recoveryUnderConcurrentPublishingHasNoGapAndNoDuplicate_data()
    {
        QTest::addColumn<int>("workers");
        QTest::addColumn<bool>("atConnect");
        QTest::newRow("1 worker, ?since=") << 1 << true;
        QTest::newRow("2 workers, ?since=") << 2 << true;
        QTest::newRow("2 workers, subscribe since") << 2 << false;
    }
    void recoveryUnderConcurrentPublishingHasNoGapAndNoDuplicate()
    {
        QFETCH(int, workers);
        QFETCH(bool, atConnect);
        Config config = withHistory(10000, 10000);
        config.workers = workers;
        config.maxQueuedMessages = 100000; // a replay of thousands is not a slow consumer here
        TestServer server(config);
        // Publishing goes on the whole time, one notification per loop turn, to the channel and to everyone.
        int published = 0;
        QTimer publisher;
        publisher.setInterval(1);
        connect(&publisher, &QTimer::timeout, this, [&] {
            ++published;
            server.server().broadcast(notification(QString::number(published), toChannel("live")), "api");
            if (published % 3 == 0)
                server.server().broadcast(notification(QString::number(published)), "api");
        });

        auto first = std::make_unique<TestClient>();
        QVERIFY(first->connectTo(withQuery(server.webSocketUrl(), {{"channels", "live"}})));
        const QString epoch =
            first->welcome().value("streams").toObject().value("live").toObject().value("epoch").toString();
        const QString allEpoch =
            first->welcome().value("streams").toObject().value("$all").toObject().value("epoch").toString();
        publisher.start();
        QTRY_VERIFY(offsetsOn(*first, "live").size() >= 20);
        const QList<qint64> seen = offsetsOn(*first, "live");
        const QList<qint64> seenAll = offsetsOn(*first, "$all");
        QCOMPARE(seen, range(1, seen.last()));
        first.reset();
        QTRY_VERIFY(published >= seen.last() + 50); // missed while away

        // Three come back at once, spread over the workers, while publishing goes on.
        std::vector<std::unique_ptr<TestClient>> back;
        for (int i = 0; i < 3; ++i) {
            back.push_back(std::make_unique<TestClient>());
            if (atConnect) {
                QVERIFY(back.back()->connectTo(
                    withQuery(server.webSocketUrl(), {{"channels", "live"},
                                                      {"since", since("live", seen.last(), epoch)},
                                                      {"since", since("$all", seenAll.last(), allEpoch)}})));
            } else {
                QVERIFY(back.back()->connectTo(server.webSocketUrl()));
                back.back()->send({{"type", "subscribe"},
                                   {"channel", "live"},
                                   {"since", QJsonObject{{"offset", seen.last()}, {"epoch", epoch}}}});
            }
        }
        for (auto &client : back) {
            const QJsonObject answer = atConnect ? client->waitFor("recovery") : client->waitFor("subscribed");
            const QJsonObject live = atConnect ? answer.value("streams").toObject().value("live").toObject() : answer;
            QVERIFY2(live.value("recovered").toBool(), qPrintable(live.value("reason").toString()));
            QVERIFY(live.value("replayed").toInt() >= 50);
        }
        const int target = published + 30;
        QTRY_VERIFY_WITH_TIMEOUT(published >= target, 10000);
        publisher.stop();
        for (auto &client : back) {
            QTRY_COMPARE_WITH_TIMEOUT(offsetsOn(*client, "live").size(), published - seen.last(), 10000);
            QCOMPARE(offsetsOn(*client, "live"), range(seen.last() + 1, published));
            if (atConnect) { // the everyone copies travel beside the channel's and may arrive a turn later
                QTRY_COMPARE_WITH_TIMEOUT(offsetsOn(*client, "$all").size(), published / 3 - seenAll.last(), 10000);
                QCOMPARE(offsetsOn(*client, "$all"), range(seenAll.last() + 1, published / 3));
            }
        }
    }

    void incompleteRecoveriesSaySoAndLetLiveThrough_data()
    {
        QTest::addColumn<int>("historySize");
        QTest::addColumn<int>("recoveryLimit");
        QTest::addColumn<int>("sinceOffset");
        QTest::addColumn<bool>("rightEpoch");
        QTest::addColumn<QString>("reason");
        QTest::newRow("another epoch") << 100 << 500 << 2 << false << "epoch_changed";
        QTest::newRow("ahead of the newest") << 100 << 500 << 99 << true << "epoch_changed";
        QTest::newRow("older than the history") << 3 << 500 << 1 << true << "too_old";
        QTest::newRow("more than the limit") << 100 << 4 << 1 << true << "too_many";
    }
    void incompleteRecoveriesSaySoAndLetLiveThrough()
    {
        QFETCH(int, historySize);
        QFETCH(int, recoveryLimit);
        QFETCH(int, sinceOffset);
        QFETCH(bool, rightEpoch);
        QFETCH(QString, reason);
        TestServer server(withHistory(historySize, recoveryLimit));
        TestClient watcher;
        QVERIFY(watcher.connectTo(withQuery(server.webSocketUrl(), {{"channels", "c"}})));
        const QString epoch =
            watcher.welcome().value("streams").toObject().value("c").toObject().value("epoch").toString();
        for (int i = 1; i <= 10; ++i)
            server.server().broadcast(notification(QString::number(i), toChannel("c")), "api");
        QTRY_COMPARE(watcher.countOf("notification"), 10);

        TestClient back;
        QVERIFY(back.connectTo(
            withQuery(server.webSocketUrl(),
                      {{"channels", "c"}, {"since", since("c", sinceOffset, rightEpoch ? epoch : "gone1")}})));
        const QJsonObject c = back.waitFor("recovery").value("streams").toObject().value("c").toObject();
        QCOMPARE(c.value("recovered").toBool(true), false);
        QCOMPARE(c.value("reason").toString(), reason);
        QCOMPARE(c.value("replayed").toInt(-1), 0);
        QCOMPARE(c.value("offset").toInt(), 10); // where to refetch to
        QCOMPARE(c.value("epoch").toString(), epoch);
        QCOMPARE(back.countOf("notification"), 0);
        server.server().broadcast(notification("11", toChannel("c")), "api");
        QTRY_COMPARE(offsetsOn(back, "c"), QList<qint64>({11}));
    }

    void theRecoveryLimitIsForTheWholeRecovery()
    {
        TestServer server(withHistory(100, 5));
        TestClient watcher;
        QVERIFY(watcher.connectTo(withQuery(server.webSocketUrl(), {{"channels", "a,b"}})));
        const QJsonObject streams = watcher.welcome().value("streams").toObject();
        for (int i = 0; i < 3; ++i) {
            server.server().broadcast(notification("to a", toChannel("a")), "api");
            server.server().broadcast(notification("to b", toChannel("b")), "api");
        }
        TestClient back;
        QVERIFY(back.connectTo(
            withQuery(server.webSocketUrl(),
                      {{"channels", "a,b"},
                       {"since", since("a", 0, streams.value("a").toObject().value("epoch").toString())},
                       {"since", since("b", 0, streams.value("b").toObject().value("epoch").toString())}})));
        const QJsonObject answer = back.waitFor("recovery").value("streams").toObject();
        // 3 fit in the limit of 5, the next 3 do not: the first stream is replayed, the second refetched.
        QCOMPARE(answer.value("a").toObject().value("recovered").toBool(), true);
        QCOMPARE(answer.value("b").toObject().value("recovered").toBool(true), false);
        QCOMPARE(answer.value("b").toObject().value("reason").toString(), QStringLiteral("too_many"));
        QCOMPARE(offsetsOn(back, "a"), range(1, 3));
        QVERIFY(offsetsOn(back, "b").isEmpty());
    }

    void aRestartedServerHasANewEpoch()
    {
        QString epoch;
        {
            TestServer before(withHistory());
            TestClient client;
            QVERIFY(client.connectTo(before.webSocketUrl()));
            before.server().broadcast(notification("before the restart"), "api");
            epoch = client.waitFor("notification").value("epoch").toString();
        }
        TestServer after(withHistory());
        TestClient client;
        QVERIFY(client.connectTo(withQuery(after.webSocketUrl(), {{"since", since("$all", 1, epoch)}})));
        const QJsonObject all = client.waitFor("recovery").value("streams").toObject().value("$all").toObject();
        QCOMPARE(all.value("recovered").toBool(true), false);
        QCOMPARE(all.value("reason").toString(), QStringLiteral("epoch_changed"));
        QVERIFY(all.value("epoch").toString() != epoch);
    }

    void aUsersStreamIsRecoveredOnItsOwn()
    {
        Config config = withHistory();
        config.clientJwtSecret = QString::fromLatin1(ClientTokenSecret);
        TestServer server(config);
        auto alice = std::make_unique<TestClient>();
        QVERIFY(alice->connectTo(withToken(server.webSocketUrl(), tokenFor("alice"))));
        const QJsonObject own = alice->welcome().value("streams").toObject().value("$user").toObject();
        QCOMPARE(own.value("offset").toInt(-1), 0);
        TestClient bob;
        QVERIFY(bob.connectTo(withToken(server.webSocketUrl(), tokenFor("bob"))));
        server.server().broadcast(notification("for both", {{"user", QJsonArray{"alice", "bob"}}}), "api");
        QTRY_COMPARE(offsetsOn(*alice, "$user"), QList<qint64>({1}));
        QTRY_COMPARE(offsetsOn(bob, "$user"), QList<qint64>({1})); // each user's stream counts its own
        alice.reset();
        server.server().broadcast(notification("2", {{"user", "alice"}}), "api");
        server.server().broadcast(notification("3", {{"user", "alice"}}), "api");
        server.server().broadcast(notification("bob's", {{"user", "bob"}}), "api");
        QTRY_COMPARE(offsetsOn(bob, "$user"), QList<qint64>({1, 2}));

        TestClient back;
        QVERIFY(back.connectTo(withQuery(withToken(server.webSocketUrl(), tokenFor("alice")),
                                         {{"since", since("$user", 1, own.value("epoch").toString())}})));
        const QJsonObject user = back.waitFor("recovery").value("streams").toObject().value("$user").toObject();
        QCOMPARE(user.value("recovered").toBool(), true);
        QCOMPARE(user.value("replayed").toInt(), 2);
        QCOMPARE(offsetsOn(back, "$user"), QList<qint64>({2, 3}));
        QCOMPARE(back.received().first().value("message").toString(), QStringLiteral("2"));
        QCOMPARE(typesOf(back), QStringList({"welcome", "notification", "notification", "recovery"}));
    }

    void sinceAtConnectIsChecked_data()
    {
        QTest::addColumn<QString>("query");
        QTest::newRow("no position") << "since=news";
        QTest::newRow("no epoch") << "since=news:3";
        QTest::newRow("bad offset") << "since=news:x:abc";
        QTest::newRow("negative offset") << "since=news:-1:abc";
        QTest::newRow("bad epoch") << "since=news:1:ab-c";
        QTest::newRow("a channel not joined") << "since=other:1:abc";
        QTest::newRow("$user without a token") << "since=%24user:1:abc";
        QTest::newRow("twice") << "since=news:1:abc&since=news:2:abc";
        QTest::newRow("a bad stream name") << "since=%24nope:1:abc";
        QTest::newRow("more than its streams") << "since=news:1:abc&since=%24all:1:abc&since=a:1:abc&since=b:1:abc";
    }
    void sinceAtConnectIsChecked()
    {
        QFETCH(QString, query);
        TestServer server(withHistory());
        QUrl url = server.webSocketUrl();
        url.setQuery(QStringLiteral("channels=news&") + query);
        RawWebSocketClient client;
        QCOMPARE(client.handshake(url), 400);
        TestClient fine;
        QVERIFY(fine.connectTo(withQuery(server.webSocketUrl(), {{"channels", "news"}, {"since", "news:0:abc"}})));
    }

    void subscribeWithABadSinceIsAnError_data()
    {
        QTest::addColumn<QJsonValue>("since");
        QTest::newRow("a number") << QJsonValue(3);
        QTest::newRow("no epoch") << QJsonValue(QJsonObject{{"offset", 3}});
        QTest::newRow("a fraction") << QJsonValue(QJsonObject{{"offset", 1.5}, {"epoch", "abc"}});
        QTest::newRow("negative") << QJsonValue(QJsonObject{{"offset", -1}, {"epoch", "abc"}});
        QTest::newRow("an odd epoch") << QJsonValue(QJsonObject{{"offset", 1}, {"epoch", "a b"}});
        QTest::newRow("more fields") << QJsonValue(QJsonObject{{"offset", 1}, {"epoch", "abc"}, {"x", 1}});
    }
    void subscribeWithABadSinceIsAnError()
    {
        QFETCH(QJsonValue, since);
        TestServer server(withHistory());
        TestClient client;
        QVERIFY(client.connectTo(server.webSocketUrl()));
        client.send({{"type", "subscribe"}, {"channel", "news"}, {"since", since}});
        const QJsonObject error = client.waitFor("error");
        QCOMPARE(error.value("code").toString(), QStringLiteral("invalid_position"));
        QCOMPARE(error.value("channel").toString(), QStringLiteral("news"));
        QCOMPARE(client.subscribe("news"), QStringLiteral("subscribed")); // it did not join
    }

    void historyLimitsFollowTheChannelsRules()
    {
        Config config = withHistory();
        config.historyRules = {{"ticker.*", {0, 300}}, {"chat.*", {2, 300}}};
        TestServer server(config);
        TestClient client;
        QVERIFY(client.connectTo(withQuery(server.webSocketUrl(), {{"channels", "ticker.eur,chat.1"}})));
        const QJsonObject streams = client.welcome().value("streams").toObject();
        QVERIFY(!streams.contains("ticker.eur"));
        QVERIFY(streams.contains("chat.1"));
        server.server().broadcast(notification("price", toChannel("ticker.eur")), "api");
        for (int i = 0; i < 3; ++i)
            server.server().broadcast(notification("chat", toChannel("chat.1")), "api");
        QTRY_COMPARE(client.countOf("notification"), 4);
        QVERIFY(!client.received().first().contains("offset")); // the ticker's keeps nothing

        HttpClient http;
        QCOMPARE(http.get(server.httpUrl("/channels/ticker.eur/history")).status, 404);
        const HttpResult chat = http.get(server.httpUrl("/channels/chat.1/history"));
        QCOMPARE(chat.status, 200);
        QCOMPARE(chat.json.value("notifications").toArray().size(), 2); // the last two of three
        QCOMPARE(chat.json.value("complete").toBool(true), false);      // offset 1 is gone

        // Subscribing with since to a channel that keeps nothing: not recovered, and nothing to return to.
        client.send({{"type", "subscribe"},
                     {"channel", "ticker.usd"},
                     {"since", QJsonObject{{"offset", 1}, {"epoch", "abc"}}}});
        const QJsonObject subscribed = client.waitFor("subscribed");
        QCOMPARE(subscribed.value("recovered").toBool(true), false);
        QCOMPARE(subscribed.value("reason").toString(), QStringLiteral("not_kept"));
        QVERIFY(!subscribed.contains("offset"));
    }

    void notificationsOlderThanTheTtlAreForgotten()
    {
        Config config = withHistory();
        config.history.ttlSeconds = 1;
        TestServer server(config);
        server.server().broadcast(notification("short-lived", toChannel("c")), "api");
        HttpClient http;
        QCOMPARE(http.get(server.httpUrl("/channels/c/history")).json.value("notifications").toArray().size(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(
            http.get(server.httpUrl("/channels/c/history")).json.value("notifications").toArray().size(), 0, 5000);
        // Its offset stays: the stream still knows where it is.
        QCOMPARE(http.get(server.httpUrl("/channels/c/history")).json.value("offset").toInt(), 1);
    }

    void historyOverHttp()
    {
        Config config = withHistory();
        config.apiToken = QStringLiteral("api-token");
        TestServer server(config);
        for (int i = 1; i <= 5; ++i)
            server.server().broadcast(notification(QString::number(i), toChannel("orders.1")), "api");
        HttpClient anonymous;
        QCOMPARE(anonymous.get(server.httpUrl("/channels/orders.1/history")).status, 401);

        HttpClient http;
        http.setHeader("Authorization", "Bearer api-token");
        const HttpResult all = http.get(server.httpUrl("/channels/orders.1/history"));
        QCOMPARE(all.status, 200);
        QCOMPARE(all.json.value("offset").toInt(), 5);
        QCOMPARE(all.json.value("complete").toBool(), true);
        QCOMPARE(all.json.value("more").toBool(true), false);
        const QJsonArray notifications = all.json.value("notifications").toArray();
        QCOMPARE(notifications.size(), 5);
        QCOMPARE(notifications.first().toObject().value("message").toString(), QStringLiteral("1"));
        QCOMPARE(notifications.first().toObject().value("channel").toString(), QStringLiteral("orders.1"));
        const QString epoch = all.json.value("epoch").toString();

        const HttpResult page =
            http.get(server.httpUrl(QStringLiteral("/channels/orders.1/history?since=2&limit=2&epoch=%1").arg(epoch)));
        QCOMPARE(page.status, 200);
        QCOMPARE(page.json.value("notifications").toArray().size(), 2);
        QCOMPARE(page.json.value("notifications").toArray().first().toObject().value("offset").toInt(), 3);
        QCOMPARE(page.json.value("more").toBool(), true);
        QCOMPARE(page.json.value("complete").toBool(), true);

        const HttpResult changed = http.get(server.httpUrl("/channels/orders.1/history?since=2&epoch=other1"));
        QCOMPARE(changed.status, 409);
        QCOMPARE(changed.json.value("error").toString(), QStringLiteral("epoch_changed"));
        QCOMPARE(changed.json.value("epoch").toString(), epoch);
        for (const char *bad : {"since=x", "since=-1", "limit=0", "limit=1001", "epoch=a%20b"})
            QCOMPARE(http.get(server.httpUrl(QStringLiteral("/channels/orders.1/history?") + bad)).status, 422);
        QCOMPARE(http.get(server.httpUrl("/channels/bad%20name/history")).status, 422);
        // A channel nothing was published to yet: empty, at offset 0.
        const HttpResult quiet = http.get(server.httpUrl("/channels/quiet/history"));
        QCOMPARE(quiet.status, 200);
        QCOMPARE(quiet.json.value("offset").toInt(-1), 0);
        QCOMPARE(http.get(server.httpUrl("/metrics")).json.value("history").toObject().value("notifications").toInt(),
                 5);
    }
};

QTEST_MAIN(HistoryTest)
#include "tst_history.moc"
