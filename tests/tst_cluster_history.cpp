// History in Redis: shared by the instances and kept across their restarts. Recovery on another instance than the
// one a client left, an instance restarted, the rolling restart of a real herald-server sent SIGTERM (its clients
// come back to the other instance with their positions and lose nothing while publishing goes on), a Redis
// restarted empty, and notifications published while Redis was away. Real redis-server, real clients.

#include "notification/NotificationRequest.h"
#include "support/HttpClient.h"
#include "support/RedisProcess.h"
#include "support/ServerProcess.h"
#include "support/StreamReading.h"
#include "support/TestClient.h"
#include "support/TestServer.h"

#include <QJsonArray>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUrlQuery>
#include <QUuid>
#include <csignal>
#include <memory>

using namespace herald;
using namespace herald::test;

namespace {

Config instanceConfig(const RedisProcess &redis, const QString &channel)
{
    Config config = TestServer::defaultConfig();
    config.redisUrl = redis.url();
    config.redisChannel = channel;
    return config;
}

QString freshChannel()
{
    return QStringLiteral("herald:test:%1").arg(QUuid::createUuid().toString(QUuid::WithoutBraces));
}

bool connected(TestServer &instance)
{
    return instance.server().healthJson().value("backplane").toString() == u"connected";
}

NotificationRequest notification(const QString &message, const QString &channel = {})
{
    QJsonObject fields{{QStringLiteral("message"), message}};
    if (!channel.isEmpty())
        fields.insert(QStringLiteral("channel"), channel);
    NotificationRequest request;
    NotificationRequest::validate(fields, &request);
    return request;
}

} // namespace

class ClusterHistoryTest : public QObject
{
    Q_OBJECT
private slots:
    void aClientRecoversOnAnotherInstance()
    {
        RedisProcess redis;
        QVERIFY2(redis.start(), qPrintable(redis.output()));
        const Config config = instanceConfig(redis, freshChannel());
        TestServer a(config), b(config);
        QTRY_VERIFY(connected(a) && connected(b));

        auto onA = std::make_unique<TestClient>();
        QVERIFY(onA->connectTo(withQuery(a.webSocketUrl(), {{"channels", "orders"}})));
        for (int i = 1; i <= 3; ++i)
            b.server().broadcast(notification(QString::number(i), "orders"), "api");
        QTRY_COMPARE(offsetsOn(*onA, "orders"), range(1, 3));
        const QString epoch = lastEpochOn(*onA, "orders");
        onA.reset();
        a.server().broadcast(notification("4", "orders"), "api");
        b.server().broadcast(notification("5", "orders"), "api");
        a.server().broadcast(notification("6", "orders"), "api");

        TestClient onB;
        QVERIFY(
            onB.connectTo(withQuery(b.webSocketUrl(), {{"channels", "orders"}, {"since", since("orders", 3, epoch)}})));
        const QJsonObject orders = streamIn(onB.waitFor("recovery"), "orders");
        QVERIFY2(orders.value("recovered").toBool(), qPrintable(orders.value("reason").toString()));
        QCOMPARE(orders.value("replayed").toInt(), 3);
        QCOMPARE(offsetsOn(onB, "orders"), range(4, 6));
        // In the order Redis placed them (the two instances published at once), each once.
        QSet<QString> messages;
        for (const QJsonObject &message : onB.all())
            if (message.value("type").toString() == u"notification")
                messages << message.value("message").toString();
        QCOMPARE(messages, QSet<QString>({"4", "5", "6"}));

        // The history over HTTP is the same on either instance.
        HttpClient http;
        const HttpResult history = http.get(a.httpUrl("/channels/orders/history"));
        QCOMPARE(history.status, 200);
        QCOMPARE(history.json.value("offset").toInt(), 6);
        QCOMPARE(history.json.value("epoch").toString(), epoch);
        QCOMPARE(history.json.value("notifications").toArray().size(), 6);
    }

    void theHistorySurvivesAnInstanceRestart()
    {
        RedisProcess redis;
        QVERIFY2(redis.start(), qPrintable(redis.output()));
        const Config config = instanceConfig(redis, freshChannel());
        QString epoch;
        {
            TestServer before(config);
            QTRY_VERIFY(connected(before));
            TestClient client;
            QVERIFY(client.connectTo(before.webSocketUrl()));
            for (int i = 1; i <= 3; ++i)
                before.server().broadcast(notification(QString::number(i)), "api");
            QTRY_COMPARE(offsetsOn(client, "$all"), range(1, 3));
            epoch = lastEpochOn(client, "$all");
        }
        TestServer after(config);
        QTRY_VERIFY(connected(after));
        TestClient client;
        QVERIFY(client.connectTo(withQuery(after.webSocketUrl(), {{"since", since("$all", 1, epoch)}})));
        const QJsonObject all = streamIn(client.waitFor("recovery"), "$all");
        QVERIFY2(all.value("recovered").toBool(), qPrintable(all.value("reason").toString()));
        QCOMPARE(offsetsOn(client, "$all"), range(2, 3));
        QCOMPARE(all.value("epoch").toString(), epoch);
        after.server().broadcast(notification("4"), "api");
        QTRY_COMPARE(offsetsOn(client, "$all"), range(2, 4));
    }

    void aRollingRestartLosesNothing()
    {
        RedisProcess redis;
        QVERIFY2(redis.start(), qPrintable(redis.output()));
        const QString channel = freshChannel();
        QTemporaryDir dir;
        ServerProcess leaving;
        QVERIFY2(leaving.start({"--port", "0", "--host", "127.0.0.1"},
                               {"REDIS_URL=" + redis.url(), "REDIS_CHANNEL=" + channel, "NOTIFICATION_INTERVAL=0",
                                "PING_INTERVAL=0", "SHUTDOWN_TIMEOUT=5"},
                               dir.path()),
                 qPrintable(leaving.output()));
        TestServer staying(instanceConfig(redis, channel));
        QTRY_VERIFY(connected(staying));
        HttpClient http;
        QTRY_COMPARE(http.get(leaving.httpUrl("/health")).json.value("backplane").toString(),
                     QStringLiteral("connected"));

        constexpr int Clients = 5;
        std::vector<std::unique_ptr<TestClient>> first, second;
        for (int i = 0; i < Clients; ++i) {
            first.push_back(std::make_unique<TestClient>());
            QVERIFY(first.back()->connectTo(withQuery(leaving.webSocketUrl(), {{"channels", "feed"}})));
        }

        // Publishing goes on, on the instance that stays, the whole time.
        int published = 0;
        QTimer publisher;
        publisher.setInterval(2);
        connect(&publisher, &QTimer::timeout, this,
                [&] { staying.server().broadcast(notification(QString::number(++published), "feed"), "api"); });
        publisher.start();
        for (auto &client : first)
            QTRY_VERIFY(offsetsOn(*client, "feed").size() >= 20);

        // Each client comes back to the other instance with its last position as soon as its connection ends.
        for (int i = 0; i < Clients; ++i) {
            second.push_back(std::make_unique<TestClient>());
            TestClient *gone = first[i].get();
            TestClient *back = second[i].get();
            connect(&gone->socket(), &QWebSocket::disconnected, this, [&, gone, back] {
                back->socket().open(withQuery(
                    staying.webSocketUrl(),
                    {{"channels", "feed"},
                     {"since", since("feed", offsetsOn(*gone, "feed").value(offsetsOn(*gone, "feed").size() - 1),
                                     lastEpochOn(*gone, "feed"))}}));
            });
        }
        leaving.signal(SIGTERM);
        for (auto &client : first)
            QVERIFY(client->waitForDisconnected(10000));
        QVERIFY(leaving.waitForExit(10000));
        QCOMPARE(leaving.exitCode(), 0);
        for (auto &client : second) {
            const QJsonObject feed = streamIn(client->waitFor("recovery", 10000), "feed");
            QVERIFY2(feed.value("recovered").toBool(), qPrintable(feed.value("reason").toString()));
        }
        const int target = published + 20;
        QTRY_VERIFY_WITH_TIMEOUT(published >= target, 10000);
        publisher.stop();
        const qint64 newest = http.get(staying.httpUrl("/channels/feed/history")).json.value("offset").toInteger();
        QCOMPARE(newest, qint64(published));
        for (int i = 0; i < Clients; ++i) {
            QTRY_COMPARE_WITH_TIMEOUT(offsetsOn(*second[i], "feed").value(offsetsOn(*second[i], "feed").size() - 1),
                                      newest, 10000);
            // Every offset from the first this client saw to the newest, once, across its two connections.
            const QList<qint64> seen = offsetsOn(*first[i], "feed") + offsetsOn(*second[i], "feed");
            QCOMPARE(seen, range(seen.first(), newest));
        }
    }

    void aRedisRestartedEmptyIsANewEpoch()
    {
        RedisProcess redis;
        QVERIFY2(redis.start(), qPrintable(redis.output()));
        TestServer instance(instanceConfig(redis, freshChannel()));
        QTRY_VERIFY(connected(instance));
        TestClient client;
        QVERIFY(client.connectTo(instance.webSocketUrl()));
        instance.server().broadcast(notification("before"), "api");
        QTRY_COMPARE(offsetsOn(client, "$all").size(), 1);
        const QString epoch = lastEpochOn(client, "$all");
        redis.stop();
        QTRY_VERIFY(!connected(instance));
        QVERIFY2(redis.start(), qPrintable(redis.output()));
        QTRY_VERIFY_WITH_TIMEOUT(connected(instance), 15000);

        TestClient back;
        QVERIFY(back.connectTo(withQuery(instance.webSocketUrl(), {{"since", since("$all", 1, epoch)}})));
        const QJsonObject all = streamIn(back.waitFor("recovery"), "$all");
        QCOMPARE(all.value("recovered").toBool(true), false);
        QCOMPARE(all.value("reason").toString(), QStringLiteral("epoch_changed"));
        QVERIFY(all.value("epoch").toString() != epoch);
    }

    void aRecoveryWhileRedisIsAwayIsUnavailableNotLost()
    {
        RedisProcess redis;
        QVERIFY2(redis.start(), qPrintable(redis.output()));
        TestServer instance(instanceConfig(redis, freshChannel()));
        QTRY_VERIFY(connected(instance));
        redis.stop();
        QTRY_VERIFY(!connected(instance));
        TestClient client;
        QVERIFY(client.connectTo(withQuery(instance.webSocketUrl(), {{"since", since("$all", 3, "abc")}})));
        const QJsonObject all = streamIn(client.waitFor("recovery", 10000), "$all");
        QCOMPARE(all.value("recovered").toBool(true), false);
        QCOMPARE(all.value("reason").toString(), QStringLiteral("unavailable"));
        // Live notifications still reach it (without a position while Redis is away).
        instance.server().broadcast(notification("still served"), "api");
        QCOMPARE(client.waitFor("notification").value("message").toString(), QStringLiteral("still served"));
    }

    void aFrozenRedisMakesTheHttpHistoryUnavailableNotSlow()
    {
        RedisProcess redis;
        QVERIFY2(redis.start(), qPrintable(redis.output()));
        TestServer instance(instanceConfig(redis, freshChannel()));
        QTRY_VERIFY(connected(instance));
        instance.server().broadcast(notification("kept", "c"), "api");
        HttpClient http;
        QTRY_COMPARE(http.get(instance.httpUrl("/channels/c/history")).json.value("offset").toInt(), 1);
        redis.freeze();
        // The first waits out its deadline; the next ones are answered at once until Redis has had a pause.
        for (int i = 0; i < 3; ++i) {
            const HttpResult answer = http.get(instance.httpUrl("/channels/c/history"));
            QCOMPARE(answer.status, 503);
            QCOMPARE(answer.json.value("error").toString(), QStringLiteral("history_unavailable"));
        }
        redis.thaw();
    }

    void whatWasPublishedWhileRedisWasAwayIsKeptWhenItReturns()
    {
        RedisProcess redis;
        QVERIFY2(redis.start(), qPrintable(redis.output()));
        const Config config = instanceConfig(redis, freshChannel());
        TestServer a(config), b(config);
        QTRY_VERIFY(connected(a) && connected(b));
        TestClient onA, onB;
        QVERIFY(onA.connectTo(withQuery(a.webSocketUrl(), {{"channels", "c"}})));
        QVERIFY(onB.connectTo(withQuery(b.webSocketUrl(), {{"channels", "c"}})));

        redis.stop();
        QTRY_VERIFY(!connected(a));
        a.server().broadcast(notification("while away", "c"), "api");
        // A's own clients get it at once, without a position (none could be given yet).
        QTRY_COMPARE(onA.countOf("notification"), 1);
        QVERIFY(!onA.all().last().contains("offset"));

        QVERIFY2(redis.start(), qPrintable(redis.output()));
        QTRY_VERIFY_WITH_TIMEOUT(connected(a) && connected(b), 15000);
        // B's get it late, with the position Redis gave it, and it is in the history.
        QTRY_COMPARE_WITH_TIMEOUT(offsetsOn(onB, "c"), QList<qint64>({1}), 10000);
        HttpClient http;
        const HttpResult history = http.get(b.httpUrl("/channels/c/history"));
        QCOMPARE(history.json.value("notifications").toArray().size(), 1);
        QCOMPARE(history.json.value("notifications").toArray().first().toObject().value("message").toString(),
                 QStringLiteral("while away"));
        QCOMPARE(onA.countOf("notification"), 1); // once
    }
};

QTEST_MAIN(ClusterHistoryTest)
#include "tst_cluster_history.moc"
