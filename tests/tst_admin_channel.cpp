// The /admin WebSocket: token check before the handshake, snapshot, coalesced events, commands.

#include "support/RawWebSocketClient.h"
#include "support/TestClient.h"
#include "support/TestServer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkRequest>
#include <QSignalSpy>
#include <QTest>

using namespace herald;
using namespace herald::test;

namespace {
const QString Token = QStringLiteral("a-very-secret-admin-token");

Config withToken(const QString &token = Token)
{
    Config config = TestServer::defaultConfig();
    config.adminToken = token;
    return config;
}

QUrl adminUrl(const TestServer &server, const QString &query = {})
{
    QUrl url = server.webSocketUrl();
    url.setPath(QStringLiteral("/admin"));
    url.setQuery(query);
    return url;
}

// A console on the admin channel: a recording client that sends the token and waits for the snapshot.
bool openConsole(TestClient &console, const QUrl &url, const QString &token)
{
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    console.open(request);
    return !console.waitForField("event", "snapshot").isEmpty();
}
} // namespace

class AdminChannelTest : public QObject
{
    Q_OBJECT
private slots:
    void wrongOrMissingTokenIsRefusedWith401_data()
    {
        QTest::addColumn<QString>("configured");
        QTest::addColumn<QString>("query");
        QTest::newRow("no token presented") << Token << QString();
        QTest::newRow("wrong token") << Token << QStringLiteral("token=wrong-token-of-some-length");
        QTest::newRow("prefix of the token") << Token << QStringLiteral("token=a-very-secret");
        QTest::newRow("channel disabled") << QString() << QStringLiteral("token=");
    }
    void wrongOrMissingTokenIsRefusedWith401()
    {
        QFETCH(QString, configured);
        QFETCH(QString, query);
        TestServer server(withToken(configured));
        TestClient client;
        QVERIFY(client.connectTo(server.webSocketUrl()));
        RawWebSocketClient intruder;
        QCOMPARE(intruder.handshake(adminUrl(server, query)), 401);
        QVERIFY(intruder.responseHead().contains("WWW-Authenticate: Bearer"));
        const QByteArray body = intruder.responseBody();
        QCOMPARE(QJsonDocument::fromJson(body).object().value("error").toString(), QStringLiteral("unauthorized"));
        QVERIFY2(!body.contains(client.clientId().toUtf8()), body.constData());
        QCOMPARE(server.server().clientCount(), 1); // the attempt is not a client either
    }

    void tokenInQueryIsAccepted()
    {
        TestServer server(withToken());
        RawWebSocketClient console;
        QCOMPARE(console.handshake(adminUrl(server, QStringLiteral("token=") + Token)), 101);
    }

    void snapshotThenCoalescedClientEvents()
    {
        TestServer server(withToken());
        TestClient early;
        QVERIFY(early.connectTo(server.webSocketUrl()));
        TestClient console;
        QVERIFY(openConsole(console, adminUrl(server), Token));
        // The snapshot was taken from the records before the first client event.
        QList<TestClient *> late;
        for (int i = 0; i < 5; ++i) {
            late.append(new TestClient(this));
            QVERIFY(late.last()->connectTo(server.webSocketUrl()));
        }
        QSet<QString> added;
        QDeadlineTimer deadline(5000);
        int events = 0;
        while (added.size() < 5 && !deadline.hasExpired()) {
            const QJsonObject event = console.waitForField("event", "clients", int(deadline.remainingTime()));
            ++events;
            for (const QJsonValue &row : event.value("added").toArray())
                added.insert(row.toObject().value("id").toString());
        }
        QCOMPARE(added.size(), 5);
        QVERIFY2(events <= 2, "five quick connections should arrive in one or two coalesced events");
        QVERIFY(!added.contains(early.clientId()));

        // Traffic shows as a stats row: [id, messages_in, messages_out, bytes_in, bytes_out, rtt_ms].
        late.last()->send({{"type", "ping"}});
        QVERIFY(!late.last()->waitFor("pong").isEmpty());
        QJsonArray stats;
        for (QDeadlineTimer statsDeadline(5000); stats.isEmpty() && !statsDeadline.hasExpired();) {
            const QJsonObject event = console.waitForField("event", "clients", int(statsDeadline.remainingTime()));
            for (const QJsonValue &row : event.value("updated").toArray())
                if (row.toArray().at(0).toString() == late.last()->clientId())
                    stats = row.toArray();
        }
        QCOMPARE(stats.size(), 6);
        QCOMPARE(stats.at(1).toInt(), 1); // the ping
        QCOMPARE(stats.at(2).toInt(), 2); // welcome and pong

        late.first()->close();
        const QString goneId = late.first()->clientId();
        bool removalSeen = false;
        for (QDeadlineTimer removalDeadline(5000); !removalSeen && !removalDeadline.hasExpired();) {
            const QJsonObject event = console.waitForField("event", "clients", int(removalDeadline.remainingTime()));
            removalSeen = event.value("removed").toArray().contains(goneId);
        }
        QVERIFY(removalSeen);
        qDeleteAll(late);
    }

    void broadcastCommandToSelectedClients()
    {
        TestServer server(withToken());
        TestClient chosen, other;
        QVERIFY(chosen.connectTo(server.webSocketUrl()));
        QVERIFY(other.connectTo(server.webSocketUrl()));
        TestClient console;
        QVERIFY(openConsole(console, adminUrl(server), Token));
        console.send({{"command", "broadcast"},
                      {"message", "just you"},
                      {"type", "direct"},
                      {"targets", QJsonArray{chosen.clientId()}},
                      {"request_id", 7}});
        const QJsonObject reply = console.waitForField("reply", "broadcast");
        QVERIFY(reply.value("ok").toBool());
        QCOMPARE(reply.value("recipients").toInt(), 1);
        QCOMPARE(reply.value("request_id").toInt(), 7);
        QCOMPARE(chosen.waitFor("direct").value("message").toString(), QStringLiteral("just you"));
        QVERIFY(other.waitFor("direct", 300).isEmpty());

        console.send({{"command", "broadcast"}, {"message", ""}});
        const QJsonObject invalid = console.waitForField("reply", "broadcast");
        QVERIFY(!invalid.value("ok").toBool());
        QVERIFY(invalid.value("message").toString().startsWith("message"));

        console.send({{"command", "reboot"}});
        QCOMPARE(console.waitForField("reply", "reboot").value("error").toString(), QStringLiteral("unknown_command"));
    }

    void shutdownCommandDrainsAndReportsProgress()
    {
        Config config = withToken();
        config.shutdownTimeoutSeconds = 30;
        TestServer server(config);
        TestClient client;
        QVERIFY(client.connectTo(server.webSocketUrl()));
        TestClient console;
        QVERIFY(openConsole(console, adminUrl(server), Token));
        console.send({{"command", "shutdown"}});
        QVERIFY(console.waitForField("reply", "shutdown").value("ok").toBool());
        QVERIFY(!client.waitFor("shutdown").isEmpty());
        QCOMPARE(console.waitForField("state", "draining").value("remaining").toInt(), 1);
        console.send({{"command", "close_all_now"}});
        QVERIFY(client.waitForDisconnected());
        QCOMPARE(client.closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
        QVERIFY(!console.waitForField("state", "finished").isEmpty());
    }

    void statusNeverShowsTheToken()
    {
        TestServer server(withToken());
        const QJsonObject status = server.server().statusJson();
        QCOMPARE(status.value("config").toObject().value("ADMIN_TOKEN").toString(), QStringLiteral("***"));
        QVERIFY(!QJsonDocument(status).toJson().contains(Token.toUtf8()));
    }
};

QTEST_GUILESS_MAIN(AdminChannelTest)
#include "tst_admin_channel.moc"
