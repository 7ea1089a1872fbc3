// CLIENT_JWT_SECRET: WebSocket clients present a signed token whose "sub" names them.

#include "admin/AdminFeed.h"
#include "logging/Logger.h"
#include "sessions/ClientSession.h"
#include "support/ClientTokens.h"
#include "support/HttpClient.h"
#include "support/RawWebSocketClient.h"
#include "support/TestClient.h"
#include "support/TestServer.h"
#include "workers/WorkerPool.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>

using namespace herald;
using namespace herald::test;

namespace {

const QByteArray Secret = ClientTokenSecret;

qint64 now()
{
    return QDateTime::currentSecsSinceEpoch();
}

} // namespace

class ClientTokensTest : public QObject
{
    Q_OBJECT
private:
    static Config tokenConfig()
    {
        Config config = TestServer::defaultConfig();
        config.clientJwtSecret = QString::fromLatin1(Secret);
        return config;
    }

private slots:
    void validTokenNamesTheClient_data()
    {
        QTest::addColumn<bool>("inHeader");
        QTest::newRow("query parameter, as browsers send it") << false;
        QTest::newRow("Authorization header") << true;
    }

    void validTokenNamesTheClient()
    {
        QFETCH(bool, inHeader);
        TestServer server(tokenConfig());
        const QByteArray token = signedToken({{"sub", "alice@example.com"}, {"exp", now() + 60}});
        RawWebSocketClient client;
        const int status =
            inHeader ? client.handshake(server.webSocketUrl(), 5000, "Authorization: Bearer " + token + "\r\n")
                     : client.handshake(withToken(server.webSocketUrl(), token));
        QCOMPARE(status, 101);
        QTRY_COMPARE(server.server().clientCount(), 1);
        const QJsonArray rows = server.server().adminFeed()->snapshot().value("clients").toArray();
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows.first().toObject().value("identity").toString(), QStringLiteral("alice@example.com"));
    }

    void aTokenGrantsItsChannelsAndThePublicOnes()
    {
        Config config = tokenConfig();
        config.publicChannels = {QStringLiteral("news"), QStringLiteral("status.*")};
        TestServer server(config);
        server.logger().setLevel(LogLevel::Info);
        QSignalSpy logged(&server.logger(), &Logger::lineWritten);
        const QByteArray token = signedToken({{"sub", "alice"}, {"channels", QJsonArray{"orders.42", "team.*"}}});
        TestClient client;
        QVERIFY(client.connectTo(withToken(server.webSocketUrl(), token)));
        QCOMPARE(client.subscribe("orders.42"), QStringLiteral("subscribed")); // granted by name
        QCOMPARE(client.subscribe("team.7"), QStringLiteral("subscribed"));    // granted by pattern
        QCOMPARE(client.subscribe("news"), QStringLiteral("subscribed"));      // public
        QCOMPARE(client.subscribe("status.eu"), QStringLiteral("subscribed")); // public pattern
        QCOMPARE(client.subscribe("orders.43"), QStringLiteral("forbidden"));
        QCOMPARE(client.subscribe("teams"), QStringLiteral("forbidden")); // "team.*" is "team." and more
        // The refusal is logged with the client and the channel, never with the token.
        const auto refusals = std::count_if(logged.cbegin(), logged.cend(), [&](const QList<QVariant> &line) {
            const QString text = line.at(1).toString();
            return text.contains("subscription_refused") && text.contains(client.clientId()) &&
                   !text.contains(QString::fromLatin1(token));
        });
        QCOMPARE(refusals, 2);
    }

    void aUserIsReachedOnEveryConnection()
    {
        TestServer server(tokenConfig());
        TestClient aliceTab, alicePhone, bob;
        QVERIFY(aliceTab.connectTo(withToken(server.webSocketUrl(), tokenFor("alice"))));
        QVERIFY(alicePhone.connectTo(withToken(server.webSocketUrl(), tokenFor("alice"))));
        QVERIFY(bob.connectTo(withToken(server.webSocketUrl(), tokenFor("bob"))));
        HttpClient http;
        const HttpResult sent =
            http.post(server.httpUrl("/notify"), R"({"message":"your order shipped","type":"order","user":"alice"})");
        QCOMPARE(sent.status, 200);
        QCOMPARE(sent.json.value("recipients").toInt(), 2);
        const QString id = sent.json.value("notification_id").toString();
        QCOMPARE(aliceTab.waitFor("order").value("id").toString(), id);
        QCOMPARE(alicePhone.waitFor("order").value("id").toString(), id);
        QVERIFY(bob.waitFor("order", 300).isEmpty());

        // A list of users; one nobody is connected as is not an error, it just reaches nobody.
        const HttpResult many =
            http.post(server.httpUrl("/notify"), R"({"message":"m","type":"team","user":["alice","bob","carol"]})");
        QCOMPARE(many.status, 200);
        QCOMPARE(many.json.value("recipients").toInt(), 3);
        for (TestClient *client : {&aliceTab, &alicePhone, &bob})
            QVERIFY(!client->waitFor("team").isEmpty());
        // A connection that left is no longer one of the user's.
        alicePhone.close();
        QVERIFY(alicePhone.waitForDisconnected());
        QTRY_COMPARE(server.server().clientCount(), 2);
        QCOMPARE(http.post(server.httpUrl("/notify"), R"({"message":"m","user":"alice"})").json.value("recipients"),
                 QJsonValue(1));
    }

    void theTokensSubscribeClaimJoinsChannelsAtConnect()
    {
        TestServer server(tokenConfig());
        const QByteArray token =
            signedToken({{"sub", "alice"}, {"subscribe", QJsonArray{"user.alice", "orders.42"}}, {"exp", now() + 60}});
        QUrl url = withToken(server.webSocketUrl(), token);
        QUrlQuery query(url);
        query.addQueryItem(QStringLiteral("channels"), QStringLiteral("orders.42"));
        url.setQuery(query);
        TestClient client;
        QVERIFY(client.connectTo(url)); // orders.42 at connect needs no other grant: the token lists it
        QCOMPARE(client.welcome().value("channels").toArray(), (QJsonArray{"user.alice", "orders.42"}));
        HttpClient http;
        QCOMPARE(http.post(server.httpUrl("/notify"), R"({"message":"m","type":"t","channel":"user.alice"})")
                     .json.value("recipients")
                     .toInt(),
                 1);
        QCOMPARE(client.waitFor("t").value("channel").toString(), QStringLiteral("user.alice"));

        // A bad name in the claim refuses the connection before the upgrade.
        RawWebSocketClient bad;
        QCOMPARE(bad.handshake(withToken(server.webSocketUrl(),
                                         signedToken({{"sub", "bob"}, {"subscribe", QJsonArray{"no spaces"}}}))),
                 400);
    }

    void aChannelAtConnectOutsideTheGrantIsRefusedWith403()
    {
        TestServer server(tokenConfig());
        const QByteArray token = signedToken({{"sub", "alice"}, {"channels", QJsonArray{"orders.*"}}});
        QUrl url = withToken(server.webSocketUrl(), token);
        QUrlQuery query(url);
        query.addQueryItem(QStringLiteral("channels"), QStringLiteral("orders.1,billing"));
        url.setQuery(query);
        RawWebSocketClient refused;
        QCOMPARE(refused.handshake(url), 403);
        QVERIFY(refused.responseBody().contains("billing"));
        query.removeAllQueryItems(QStringLiteral("channels"));
        query.addQueryItem(QStringLiteral("channels"), QStringLiteral("orders.1,orders.2"));
        url.setQuery(query);
        TestClient admitted;
        QVERIFY(admitted.connectTo(url));
        QCOMPARE(admitted.welcome().value("channels").toArray().size(), 2);
    }

    void withoutClientTokensEveryChannelIsOpen()
    {
        TestServer server; // no CLIENT_JWT_SECRET
        TestClient client;
        QVERIFY(client.connectTo(server.webSocketUrl()));
        client.send({{"type", "subscribe"}, {"channel", "anything.at.all"}});
        QVERIFY(!client.waitFor("subscribed").isEmpty());
    }

    void badTokensAreRefusedBeforeTheUpgrade_data()
    {
        QTest::addColumn<QByteArray>("token");
        QTest::addColumn<QString>("reason");
        QTest::newRow("none") << QByteArray() << "a token is required";
        QTest::newRow("garbage") << QByteArray("not.a.jwt") << "malformed";
        QTest::newRow("other secret") << signedToken({{"sub", "mallory"}}, "another-secret-another-secret-xx")
                                      << "signature";
        QTest::newRow("alg none") << signedToken({{"sub", "mallory"}}, Secret, "none") << "";
        QTest::newRow("expired") << signedToken({{"sub", "bob"}, {"exp", now() - 120}}) << "expired";
        QTest::newRow("not yet valid") << signedToken({{"sub", "bob"}, {"nbf", now() + 3600}}) << "not valid yet";
        QTest::newRow("no subject") << signedToken({{"exp", now() + 60}}) << "\"sub\"";
    }

    void badTokensAreRefusedBeforeTheUpgrade()
    {
        QFETCH(QByteArray, token);
        QFETCH(QString, reason);
        TestServer server(tokenConfig());
        RawWebSocketClient client;
        QCOMPARE(client.handshake(token.isEmpty() ? server.webSocketUrl() : withToken(server.webSocketUrl(), token)),
                 401);
        QVERIFY2(client.responseHead().contains("WWW-Authenticate: Bearer"), client.responseHead().constData());
        const QString message = QJsonDocument::fromJson(client.responseBody()).object().value("message").toString();
        QVERIFY2(message.contains(reason), qPrintable(message));
        QVERIFY2(token.isEmpty() || !client.responseBody().contains(token), "the token is never echoed");
        QCOMPARE(server.server().clientCount(), 0);
        const QJsonObject refused =
            server.server().metricsJson().value("connections").toObject().value("refused_by_reason").toObject();
        QCOMPARE(refused.value("unauthorized").toInt(), 1);
    }
};

QTEST_GUILESS_MAIN(ClientTokensTest)
#include "tst_client_tokens.moc"
