// Two Herald instances fanning out through a real redis-server started by the test.

#include "backplane/RedisBackplane.h"
#include "notification/NotificationRequest.h"
#include "support/ClientTokens.h"
#include "support/HttpClient.h"
#include "support/RedisProcess.h"
#include "support/TestClient.h"
#include "support/TestServer.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QUuid>
#include <memory>

using namespace herald;
using namespace herald::test;

namespace {
Config instanceConfig(const RedisProcess &redis)
{
    Config config = TestServer::defaultConfig();
    config.redisUrl = redis.url();
    config.redisChannel = QStringLiteral("herald:test:%1").arg(QUuid::createUuid().toString(QUuid::WithoutBraces));
    return config;
}

QString backplaneState(TestServer &instance)
{
    return instance.server().healthJson().value("backplane").toString();
}

// A redis-server, two Herald instances on it with their backplanes connected, and a client on each.
struct TwoInstances {
    RedisProcess redis;
    std::unique_ptr<TestServer> a, b;
    TestClient onA, onB;

    // withTokens: the clients connect with a token each ("alice" on both instances).
    bool start(bool withTokens = false)
    {
        if (!redis.start())
            return false;
        Config config = instanceConfig(redis);
        if (withTokens) {
            config.clientJwtSecret = QString::fromLatin1(ClientTokenSecret);
            config.publicChannels = {QStringLiteral("orders.*")};
        }
        a = std::make_unique<TestServer>(config);
        b = std::make_unique<TestServer>(config);
        return QTest::qWaitFor(
                   [this] { return backplaneState(*a) == u"connected" && backplaneState(*b) == u"connected"; }) &&
               onA.connectTo(url(*a, withTokens)) && onB.connectTo(url(*b, withTokens));
    }
    static QUrl url(TestServer &instance, bool withTokens)
    {
        return withTokens ? withToken(instance.webSocketUrl(), tokenFor("alice")) : instance.webSocketUrl();
    }
};
} // namespace

class RedisBackplaneTest : public QObject
{
    Q_OBJECT
private slots:
    void notifyOnOneInstanceReachesEveryClientOnceEach()
    {
        TwoInstances group;
        QVERIFY2(group.start(), qPrintable(group.redis.output()));
        TestServer &a = *group.a, &b = *group.b;
        TestClient &onA = group.onA, &onB = group.onB;

        HttpClient http;
        QSignalSpy sentOnB(&b.server(), &Server::broadcastSent);
        b.logger().setLevel(LogLevel::Info); // notification lines are INFO
        QSignalSpy loggedOnB(&b.logger(), &Logger::lineWritten);
        const HttpResult sent = http.post(a.httpUrl("/notify"), R"({"message":"everywhere","type":"fanout"})");
        QCOMPARE(sent.status, 200);
        QCOMPARE(sent.json.value("backplane").toString(), QStringLiteral("published"));
        const QString id = sent.json.value("notification_id").toString();
        QCOMPARE(onA.waitFor("fanout").value("id").toString(), id);
        QCOMPARE(onB.waitFor("fanout").value("id").toString(), id);
        // What arrives from another instance takes the same path as a local notification: signalled and logged,
        // with its id, its type and where it came from.
        QTRY_COMPARE(sentOnB.size(), 1);
        QCOMPARE(sentOnB.first().at(0).toString(), id);
        QCOMPARE(sentOnB.first().at(1).toString(), QStringLiteral("fanout"));
        QCOMPARE(sentOnB.first().at(2).toInt(), 1);
        QCOMPARE(sentOnB.first().at(3).toString(), QStringLiteral("backplane"));
        const bool logged = std::any_of(loggedOnB.cbegin(), loggedOnB.cend(), [&](const QList<QVariant> &line) {
            const QString text = line.at(1).toString();
            return text.contains("notification_broadcast") && text.contains(id) && text.contains("backplane");
        });
        QVERIFY(logged);

        // And the other way, then make sure nobody got anything twice.
        QCOMPARE(http.post(b.httpUrl("/notify"), R"({"message":"back","type":"fanout"})").status, 200);
        QVERIFY(!onA.waitFor("fanout").isEmpty());
        QVERIFY(!onB.waitFor("fanout").isEmpty());
        QVERIFY(onA.waitFor("fanout", 500).isEmpty());
        QCOMPARE(onA.countOf("fanout"), 2);
        QCOMPARE(onB.countOf("fanout"), 2);
        QTRY_COMPARE(a.server().statusJson().value("backplane").toObject().value("received").toInt(), 1);
        QCOMPARE(b.server().statusJson().value("backplane").toObject().value("published").toInt(), 1);
    }

    void aChannelNotificationReachesItsSubscribersOnEveryInstance()
    {
        TwoInstances group;
        QVERIFY2(group.start(), qPrintable(group.redis.output()));
        TestClient subscriberOnB;
        QVERIFY(subscriberOnB.connectTo(group.b->webSocketUrl()));
        subscriberOnB.send({{"type", "subscribe"}, {"channel", "orders.42"}});
        QVERIFY(!subscriberOnB.waitFor("subscribed").isEmpty());

        HttpClient http;
        const HttpResult sent =
            http.post(group.a->httpUrl("/notify"), R"({"message":"shipped","type":"order","channel":"orders.42"})");
        QCOMPARE(sent.status, 200);
        QCOMPARE(sent.json.value("recipients").toInt(), 0); // none on this instance
        QCOMPARE(sent.json.value("backplane").toString(), QStringLiteral("published"));
        const QJsonObject received = subscriberOnB.waitFor("order");
        QCOMPARE(received.value("channel").toString(), QStringLiteral("orders.42"));
        QCOMPARE(received.value("id").toString(), sent.json.value("notification_id").toString());
        // The instances' clients that did not subscribe get nothing.
        QVERIFY(group.onB.waitFor("order", 300).isEmpty());
        QVERIFY(group.onA.waitFor("order", 10).isEmpty());
    }

    void aUserWithAConnectionOnEachInstanceGetsItOnBothOnce()
    {
        TwoInstances group;
        QVERIFY2(group.start(true), qPrintable(group.redis.output()));
        TestClient bobOnB;
        QVERIFY(bobOnB.connectTo(withToken(group.b->webSocketUrl(), tokenFor("bob"))));
        HttpClient http;
        const HttpResult sent =
            http.post(group.a->httpUrl("/notify"), R"({"message":"hi","type":"dm","user":"alice"})");
        QCOMPARE(sent.status, 200);
        QCOMPARE(sent.json.value("recipients").toInt(), 1); // this instance's connection
        QCOMPARE(sent.json.value("backplane").toString(), QStringLiteral("published"));
        const QString id = sent.json.value("notification_id").toString();
        QCOMPARE(group.onA.waitFor("dm").value("id").toString(), id);
        QCOMPARE(group.onB.waitFor("dm").value("id").toString(), id);
        QVERIFY(bobOnB.waitFor("dm", 300).isEmpty());
        QVERIFY(group.onA.waitFor("dm", 10).isEmpty()); // exactly once each
        QCOMPARE(group.onA.countOf("dm"), 1);
        QCOMPARE(group.onB.countOf("dm"), 1);
    }

    void aConnectionOnAnotherInstanceIsReachedByItsId()
    {
        TwoInstances group;
        QVERIFY2(group.start(), qPrintable(group.redis.output()));
        HttpClient http;
        const QByteArray body = QStringLiteral(R"({"message":"just you","type":"direct","client_id":"%1"})")
                                    .arg(group.onB.clientId())
                                    .toUtf8();
        const HttpResult sent = http.post(group.a->httpUrl("/notify"), body);
        QCOMPARE(sent.status, 200);
        QCOMPARE(sent.json.value("recipients").toInt(), 0);
        QCOMPARE(group.onB.waitFor("direct").value("message").toString(), QStringLiteral("just you"));
        QVERIFY(group.onA.waitFor("direct", 300).isEmpty());
    }

    void presenceIsClusterWide()
    {
        TwoInstances group;
        QVERIFY2(group.start(true), qPrintable(group.redis.output()));
        TestServer &a = *group.a, &b = *group.b;
        QCOMPARE(group.onA.subscribe("orders.42"), QStringLiteral("subscribed"));
        QCOMPARE(group.onB.subscribe("orders.42"), QStringLiteral("subscribed"));
        HttpClient http;
        const auto subscribersOnA = [&] {
            return http.get(a.httpUrl("/channels/orders.42")).json.value("subscribers").toInt();
        };
        // Each instance shares its clients within a second of a change.
        QTRY_COMPARE_WITH_TIMEOUT(subscribersOnA(), 2, 5000);
        const QJsonArray instances = http.get(a.httpUrl("/channels")).json.value("instances").toArray();
        QCOMPARE(instances.size(), 2);
        QTRY_COMPARE_WITH_TIMEOUT(http.get(b.httpUrl("/users/alice")).json.value("connections").toArray().size(), 2,
                                  5000);
        QSet<QString> where;
        for (const QJsonValue &connection : http.get(b.httpUrl("/users/alice")).json.value("connections").toArray())
            where.insert(connection.toObject().value("instance").toString());
        QCOMPARE(where.size(), 2);

        // An instance that shuts down takes its clients out of the others' presence at once.
        QSignalSpy stopped(&b.server(), &Server::stopped);
        b.server().shutdown(QStringLiteral("test"), 0);
        QVERIFY(stopped.wait(10000));
        QTRY_COMPARE_WITH_TIMEOUT(subscribersOnA(), 1, 5000);
        QCOMPARE(http.get(a.httpUrl("/channels")).json.value("instances").toArray().size(), 1);
    }

    void redisOutageKeepsLocalServiceAndLosesNothing()
    {
        TwoInstances group;
        QVERIFY2(group.start(), qPrintable(group.redis.output()));
        TestServer &a = *group.a, &b = *group.b;
        TestClient &onA = group.onA, &onB = group.onB;
        RedisProcess &redis = group.redis;

        redis.stop();
        QTRY_COMPARE(backplaneState(a), QStringLiteral("degraded"));
        QTRY_COMPARE(backplaneState(b), QStringLiteral("degraded"));
        HttpClient http;
        const HttpResult health = http.get(a.httpUrl("/health"));
        QCOMPARE(health.status, 200); // still serving its own clients
        QCOMPARE(health.json.value("status").toString(), QStringLiteral("degraded"));
        QCOMPARE(http.get(b.httpUrl("/status")).json.value("backplane").toObject().value("state").toString(),
                 QStringLiteral("degraded"));

        const HttpResult during = http.post(a.httpUrl("/notify"), R"({"message":"while away","type":"outage"})");
        QCOMPARE(during.status, 200);
        QCOMPARE(during.json.value("backplane").toString(), QStringLiteral("queued"));
        QCOMPARE(during.json.value("recipients").toInt(), 1);
        QVERIFY(!onA.waitFor("outage").isEmpty()); // local delivery goes on
        QCOMPARE(a.server().statusJson().value("backplane").toObject().value("pending").toInt(), 1);
        const QByteArray exposition = http.get(a.httpUrl("/metrics/prometheus")).body;
        QVERIFY(exposition.contains("herald_backplane_up 0\n"));
        QVERIFY(exposition.contains("herald_backplane_pending 1\n"));

        QVERIFY2(redis.start(), qPrintable(redis.output()));
        QTRY_COMPARE_WITH_TIMEOUT(backplaneState(a), QStringLiteral("connected"), 15000);
        QTRY_COMPARE_WITH_TIMEOUT(backplaneState(b), QStringLiteral("connected"), 15000);
        // The notification sent during the outage reaches B's client late, once.
        QCOMPARE(onB.waitFor("outage", 10000).value("message").toString(), QStringLiteral("while away"));
        QTRY_COMPARE(a.server().statusJson().value("backplane").toObject().value("pending").toInt(), 0);
        QVERIFY(http.get(a.httpUrl("/metrics/prometheus")).body.contains("herald_backplane_up 1\n"));

        QCOMPARE(http.post(b.httpUrl("/notify"), R"({"message":"resumed","type":"after"})")
                     .json.value("backplane")
                     .toString(),
                 QStringLiteral("published"));
        QVERIFY(!onA.waitFor("after").isEmpty());
        QVERIFY(onA.waitFor("outage", 300).isEmpty());
        QCOMPARE(onA.countOf("outage"), 1);
        QCOMPARE(onB.countOf("outage"), 1);
    }

    void aRefusedWriteIsDegradedAndRetriedNotPublished()
    {
        TwoInstances group;
        QVERIFY2(group.start(), qPrintable(group.redis.output()));
        TestServer &a = *group.a;
        // Out of memory with nothing to evict: Redis answers writes with an error and still serves reads.
        QCOMPARE(group.redis.cli({"CONFIG", "SET", "maxmemory-policy", "noeviction"}), "OK");
        QCOMPARE(group.redis.cli({"CONFIG", "SET", "maxmemory", "1"}), "OK");
        HttpClient http;
        const HttpResult sent = http.post(a.httpUrl("/notify"), R"({"message":"refused","type":"oom"})");
        QCOMPARE(sent.status, 200);
        QTRY_COMPARE(backplaneState(a), QStringLiteral("degraded"));
        QCOMPARE(http.get(a.httpUrl("/health")).json.value("status").toString(), QStringLiteral("degraded"));
        const QJsonObject backplane = a.server().statusJson().value("backplane").toObject();
        QVERIFY2(backplane.value("last_error").toString().contains("OOM"),
                 qPrintable(backplane.value("last_error").toString()));
        QCOMPARE(backplane.value("pending").toInt(), 1);
        QCOMPARE(http.post(a.httpUrl("/notify"), R"({"message":"later","type":"oom"})").json.value("backplane"),
                 QJsonValue("queued"));

        // Memory again: retried after the back-off, delivered to the other instance once each, in order.
        QCOMPARE(group.redis.cli({"CONFIG", "SET", "maxmemory", "0"}), "OK");
        QTRY_COMPARE_WITH_TIMEOUT(backplaneState(a), QStringLiteral("connected"), 10000);
        QCOMPARE(group.onB.waitFor("oom", 5000).value("message").toString(), QStringLiteral("refused"));
        QCOMPARE(group.onB.waitFor("oom", 5000).value("message").toString(), QStringLiteral("later"));
        QVERIFY(group.onB.waitFor("oom", 300).isEmpty());
        QCOMPARE(a.server().statusJson().value("backplane").toObject().value("pending").toInt(), 0);
    }

    void aFrozenRedisIsDegradedWithinABoundedTime()
    {
        TwoInstances group;
        QVERIFY2(group.start(), qPrintable(group.redis.output()));
        TestServer &a = *group.a;
        group.redis.freeze();
        QElapsedTimer frozen;
        frozen.start();
        // Nothing is lost at the TCP level, Redis simply says nothing: the read's deadline notices.
        QTRY_COMPARE_WITH_TIMEOUT(backplaneState(a), QStringLiteral("degraded"), 10000);
        QVERIFY2(frozen.elapsed() <= (RedisBackplane::ReadBlockMs + RedisBackplane::AnswerMarginMs + 1000),
                 qPrintable(QString::number(frozen.elapsed())));
        HttpClient http;
        QCOMPARE(http.get(a.httpUrl("/health")).json.value("status").toString(), QStringLiteral("degraded"));
        QCOMPARE(http.post(a.httpUrl("/notify"), R"({"message":"during","type":"frozen"})").json.value("backplane"),
                 QJsonValue("queued"));
        group.redis.thaw();
        QTRY_COMPARE_WITH_TIMEOUT(backplaneState(a), QStringLiteral("connected"), 15000);
        QCOMPARE(group.onB.waitFor("frozen", 10000).value("message").toString(), QStringLiteral("during"));
    }

    void anInstanceThatStartsWhileRedisIsAwayMissesNothingQueuedMeanwhile()
    {
        RedisProcess redis;
        QVERIFY2(redis.start(), qPrintable(redis.output()));
        redis.stop(); // its port is kept for the restart
        const Config config = instanceConfig(redis);
        TestServer late(config);
        TestClient onLate;
        QVERIFY(onLate.connectTo(late.webSocketUrl()));
        // Let its retries back off, so that it reconnects well after the other instance has published.
        QTRY_VERIFY_WITH_TIMEOUT(
            late.server().statusJson().value("backplane").toObject().value("reconnects").toInt() >= 3, 10000);
        QVERIFY2(redis.start(), qPrintable(redis.output()));
        TestServer early(config);
        QTRY_COMPARE(backplaneState(early), QStringLiteral("connected"));
        HttpClient http;
        QCOMPARE(http.post(early.httpUrl("/notify"), R"({"message":"meanwhile","type":"early"})")
                     .json.value("backplane")
                     .toString(),
                 QStringLiteral("published"));
        // The late instance reads from the moment it started, not from the stream's end when it got there.
        QCOMPARE(onLate.waitFor("early", 15000).value("message").toString(), QStringLiteral("meanwhile"));
    }

    void aReaderThatMissedEntriesSaysHowMany()
    {
        RedisProcess redis;
        QVERIFY2(redis.start(), qPrintable(redis.output()));
        const Config config = instanceConfig(redis);
        TestServer server(config);
        QTRY_COMPARE(backplaneState(server), QStringLiteral("connected"));
        TestClient client;
        QVERIFY(client.connectTo(server.webSocketUrl()));
        QSignalSpy logged(&server.logger(), &Logger::lineWritten);
        // Another instance's entries 1 and 5: 2 to 4 are gone, as when the stream's cap trimmed them first.
        for (const char *sequence : {"1", "5"})
            QVERIFY(!redis
                         .cli({"XADD", config.redisChannel, "*", "origin", "elsewhere", "seq", sequence, "id",
                               QStringLiteral("n%1").arg(sequence), "to", "everyone", "targets", "[]", "notification",
                               QStringLiteral(R"({"type":"remote","message":"%1"})").arg(sequence)})
                         .isEmpty());
        QCOMPARE(client.waitFor("remote").value("message").toString(), QStringLiteral("1"));
        QCOMPARE(client.waitFor("remote").value("message").toString(), QStringLiteral("5"));
        QTRY_COMPARE(server.server().statusJson().value("backplane").toObject().value("missed").toInt(), 3);
        const bool said = std::any_of(logged.cbegin(), logged.cend(), [](const QList<QVariant> &line) {
            return line.at(0).value<LogLevel>() == LogLevel::Error && line.at(1).toString().contains("backplane_gap") &&
                   line.at(1).toString().contains("elsewhere");
        });
        QVERIFY(said);
        HttpClient http;
        QVERIFY(http.get(server.httpUrl("/metrics/prometheus")).body.contains("herald_backplane_missed_total 3\n"));
    }

    void atShutdownOnlyTrulyUnacknowledgedNotificationsAreReported()
    {
        RedisProcess redis;
        QVERIFY2(redis.start(), qPrintable(redis.output()));
        TestServer server(instanceConfig(redis));
        QTRY_COMPARE(backplaneState(server), QStringLiteral("connected"));
        QSignalSpy logged(&server.logger(), &Logger::lineWritten);
        QSignalSpy stopped(&server.server(), &Server::stopped);
        // 200 handed to Redis in one turn of the loop, then a shutdown before any acknowledgement is read.
        for (int i = 0; i < 200; ++i) {
            NotificationRequest notification;
            QCOMPARE(NotificationRequest::validate(QByteArray(R"({"message":"m"})"), &notification).outcome,
                     NotificationRequest::Validation::Outcome::Valid);
            QCOMPARE(server.server().broadcast(notification, QStringLiteral("test")).cluster,
                     QStringLiteral("published"));
        }
        server.server().shutdown(QStringLiteral("test"), 0);
        QVERIFY(stopped.wait(10000));
        const bool reported = std::any_of(logged.cbegin(), logged.cend(), [](const QList<QVariant> &line) {
            return line.at(1).toString().contains("backplane_undelivered");
        });
        QVERIFY(!reported);
        QCOMPARE(server.server().statusJson().value("backplane").toObject().value("published").toInt(), 200);
        QCOMPARE(redis.cli({"XLEN", instanceConfig(redis).redisChannel}).isEmpty(), false);
    }

    void notificationsRedisNeverAcknowledgedAreReportedAtShutdown()
    {
        RedisProcess redis;
        QVERIFY2(redis.start(), qPrintable(redis.output()));
        TestServer server(instanceConfig(redis));
        QTRY_COMPARE(backplaneState(server), QStringLiteral("connected"));
        redis.stop();
        QTRY_COMPARE(backplaneState(server), QStringLiteral("degraded"));
        HttpClient http;
        const QString id =
            http.post(server.httpUrl("/notify"), R"({"message":"stranded"})").json.value("notification_id").toString();
        QVERIFY(!id.isEmpty());

        QSignalSpy logLines(&server.logger(), &Logger::lineWritten);
        QSignalSpy stopped(&server.server(), &Server::stopped);
        server.server().shutdown(QStringLiteral("test"));
        QTRY_COMPARE(stopped.count(), 1); // at once when no client is connected
        const auto reported = std::find_if(logLines.cbegin(), logLines.cend(), [](const QList<QVariant> &line) {
            return line.at(1).toString().contains(QStringLiteral("backplane_undelivered"));
        });
        QVERIFY(reported != logLines.cend());
        QCOMPARE(reported->at(0).value<LogLevel>(), LogLevel::Error);
        QVERIFY(reported->at(1).toString().contains(id));
    }

    void withoutRedisNothingChanges()
    {
        TestServer standalone;
        QVERIFY(!standalone.server().healthJson().contains("backplane"));
        QCOMPARE(standalone.server().statusJson().value("backplane").toObject().value("enabled").toBool(), false);
        TestClient client;
        QVERIFY(client.connectTo(standalone.webSocketUrl()));
        HttpClient http;
        const HttpResult sent = http.post(standalone.httpUrl("/notify"), R"({"message":"solo"})");
        QVERIFY(!sent.json.contains("backplane"));
        QVERIFY(!client.waitFor("notification").isEmpty());
    }

    void streamKeyOfAnotherTypeIsReportedOnceWithBackOff()
    {
        RedisProcess redis;
        QVERIFY2(redis.start(), qPrintable(redis.output()));
        Config config = instanceConfig(redis);
        QCOMPARE(redis.cli({QStringLiteral("SET"), config.redisChannel, QStringLiteral("not a stream")}), "OK");
        TestServer server(config);
        QSignalSpy logged(&server.logger(), &Logger::lineWritten);
        QTRY_COMPARE(backplaneState(server), QStringLiteral("degraded"));
        const QString error = server.server().statusJson().value("backplane").toObject().value("last_error").toString();
        QVERIFY2(error.contains(config.redisChannel) && error.contains("not a stream"), qPrintable(error));
        TestClient client;
        QVERIFY(client.connectTo(server.webSocketUrl()));
        HttpClient http;
        QCOMPARE(http.post(server.httpUrl("/notify"), R"({"message":"m"})").json.value("backplane").toString(),
                 QStringLiteral("queued"));
        // Retries back off (0.25 s, 0.5 s, 1 s, 2 s...) and say so once, not once per retry or per pending entry.
        QTest::qWait(3000); // the observation window itself, not a synchronisation
        const auto warnings = std::count_if(logged.cbegin(), logged.cend(), [](const QList<QVariant> &line) {
            return line.at(0).value<LogLevel>() >= LogLevel::Warning;
        });
        QCOMPARE(warnings, 1);
        QVERIFY(server.server().statusJson().value("backplane").toObject().value("reconnects").toInt() <= 5);

        // Once the key is put right, the backplane recovers and the queued notification goes out.
        redis.cli({QStringLiteral("DEL"), config.redisChannel});
        QTRY_COMPARE_WITH_TIMEOUT(backplaneState(server), QStringLiteral("connected"), 10000);
        QTRY_COMPARE(server.server().statusJson().value("backplane").toObject().value("pending").toInt(), 0);
    }

    void unreachableRedisAtStartIsDegradedNotFatal()
    {
        Config config = TestServer::defaultConfig();
        config.redisUrl = QStringLiteral("redis://127.0.0.1:1"); // nothing listens on port 1
        TestServer server(config);
        QTRY_COMPARE(backplaneState(server), QStringLiteral("degraded"));
        TestClient client;
        QVERIFY(client.connectTo(server.webSocketUrl()));
    }
};

QTEST_GUILESS_MAIN(RedisBackplaneTest)
#include "tst_redis_backplane.moc"
