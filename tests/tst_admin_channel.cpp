// The /admin WebSocket: token check before the handshake, snapshot, coalesced events, commands.

#include "support/HttpClient.h"
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
        QJsonObject lastRow; // late.last()'s
        QDeadlineTimer deadline(5000);
        int events = 0;
        while (added.size() < 5 && !deadline.hasExpired()) {
            const QJsonObject event = console.waitForField("event", "clients", int(deadline.remainingTime()));
            ++events;
            for (const QJsonValue &row : event.value("added").toArray()) {
                added.insert(row.toObject().value("id").toString());
                if (row.toObject().value("id").toString() == late.last()->clientId())
                    lastRow = row.toObject();
            }
        }
        QCOMPARE(added.size(), 5);
        QVERIFY2(events <= 2, "five quick connections should arrive in one or two coalesced events");
        QVERIFY(!added.contains(early.clientId()));

        // Traffic shows as a delta on the client's feed number: {"by":[in,out,bytes in,bytes out],"ranges":[...]}.
        const qint64 number = lastRow.value("n").toInteger();
        qint64 messagesIn = lastRow.value("messages_in").toInteger();
        qint64 messagesOut = lastRow.value("messages_out").toInteger();
        QVERIFY(number > 0);
        late.last()->send({{"type", "ping"}});
        QVERIFY(!late.last()->waitFor("pong").isEmpty());
        for (QDeadlineTimer statsDeadline(5000); messagesOut < 2 && !statsDeadline.hasExpired();) {
            const QJsonObject event = console.waitForField("event", "clients", int(statsDeadline.remainingTime()));
            for (const QJsonValue &value : event.value("deltas").toArray()) {
                const QJsonArray by = value.toObject().value("by").toArray();
                const QJsonArray ranges = value.toObject().value("ranges").toArray();
                for (qsizetype i = 0; i + 1 < ranges.size(); i += 2)
                    if (ranges.at(i).toInteger() <= number && number <= ranges.at(i + 1).toInteger()) {
                        messagesIn += by.at(0).toInteger();
                        messagesOut += by.at(1).toInteger();
                    }
            }
        }
        QCOMPARE(messagesIn, 1);  // the ping
        QCOMPARE(messagesOut, 2); // welcome and pong

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

        // A channel, as POST /notify takes it; and not both a channel and selected rows.
        QCOMPARE(other.subscribe("news"), QStringLiteral("subscribed"));
        console.send({{"command", "broadcast"}, {"message", "m"}, {"type", "news"}, {"channel", "news"}});
        QCOMPARE(console.waitForField("reply", "broadcast").value("recipients").toInt(), 1);
        QCOMPARE(other.waitFor("news").value("channel").toString(), QStringLiteral("news"));
        QVERIFY(chosen.waitFor("news", 300).isEmpty());
        console.send({{"command", "broadcast"},
                      {"message", "m"},
                      {"channel", "news"},
                      {"targets", QJsonArray{chosen.clientId()}}});
        const QJsonObject both = console.waitForField("reply", "broadcast");
        QVERIFY(!both.value("ok").toBool());
        QVERIFY2(both.value("message").toString().startsWith("targets"), qPrintable(both.value("message").toString()));

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
        const QJsonObject finished = console.waitForField("state", "finished");
        QCOMPARE(finished.value("step").toInt(), 6);
        QCOMPARE(finished.value("clients_at_start").toInt(), 1);
        // After the last event, the console is closed with a code that says the server stopped, not dropped.
        QVERIFY(console.waitForDisconnected());
        QCOMPARE(int(console.closeCode()), 1001);
        QCOMPARE(console.closeReason(), QStringLiteral("Server stopped"));
    }

    void shortDrainForARestart()
    {
        Config config = withToken();
        config.shutdownTimeoutSeconds = 1800;
        TestServer server(config);
        TestClient client, console;
        QVERIFY(client.connectTo(server.webSocketUrl()));
        QVERIFY(openConsole(console, adminUrl(server), Token));
        console.send({{"command", "shutdown"}, {"reason", "restart"}, {"drain_seconds", 0.3}});
        const QJsonObject notice = client.waitFor("shutdown");
        QCOMPARE(notice.value("grace_seconds").toDouble(), 0.3);
        // Nobody leaves: after the short drain the rest are closed, long before SHUTDOWN_TIMEOUT.
        QVERIFY(client.waitForDisconnected(5000));
        QCOMPARE(client.closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
        QVERIFY(!console.waitForField("state", "finished").isEmpty());
    }

    void plainRequestToAdminNeedsTheTokenToLearnAnything()
    {
        TestServer server(withToken());
        const QUrl url = server.httpUrl(QStringLiteral("/admin"));
        HttpClient stranger;
        QCOMPARE(stranger.get(url).status, 401);
        HttpClient console;
        console.setHeader("Authorization", "Bearer " + Token.toUtf8());
        QCOMPARE(console.get(url).status, 426);
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
