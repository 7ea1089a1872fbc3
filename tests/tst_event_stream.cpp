// Server-sent events at GET /events, read by a raw client as an EventSource reads them: the head, the events and
// their ids, recovery from Last-Event-ID, the same admission as /ws, heartbeats, the slow-consumer rule and shutdown.

#include "support/ClientTokens.h"
#include "support/HttpClient.h"
#include "support/ServerProcess.h"
#include "support/TestServer.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace herald;
using namespace herald::test;

namespace {

struct ServerSentEvent {
    QByteArray id; // empty: the event had no id line
    QByteArray type = "message";
    QJsonObject data;
};

// A text/event-stream reader on a bare socket: the head as HTTP gives it, then events and comments as the HTML
// standard's parser splits them (lines, a blank line ending each event).
class EventStreamClient
{
public:
    // GETs path; the status of the answer, 0 when none came.
    int open(quint16 port, const QByteArray &pathAndQuery, const QList<QPair<QByteArray, QByteArray>> &headers = {})
    {
        m_socket.connectToHost(QStringLiteral("127.0.0.1"), port);
        if (!QTest::qWaitFor([this] { return m_socket.state() == QAbstractSocket::ConnectedState; }, 5000))
            return 0;
        QByteArray request = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n";
        for (const auto &[name, value] : headers)
            request += name + ": " + value + "\r\n";
        m_socket.write(request + "\r\n");
        const QDeadlineTimer deadline(5000);
        while (!m_buffer.contains("\r\n\r\n") && waitForBytes(int(deadline.remainingTime())))
            m_buffer += m_socket.readAll();
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return 0;
        head = m_buffer.left(end);
        m_buffer.remove(0, end + 4);
        return head.mid(9, 3).toInt();
    }

    QByteArray header(const QByteArray &name) const
    {
        for (const QByteArray &line : head.split('\n')) {
            const qsizetype colon = line.indexOf(':');
            if (colon > 0 && line.left(colon).trimmed().toLower() == name.toLower())
                return line.mid(colon + 1).trimmed();
        }
        return {};
    }

    // The next event (comments are counted, not returned); nullopt when none comes in time or the stream ended.
    std::optional<ServerSentEvent> next(int timeoutMs = 5000)
    {
        const QDeadlineTimer deadline(timeoutMs);
        for (;;) {
            const qsizetype end = m_buffer.indexOf("\n\n");
            if (end >= 0) {
                const QByteArray block = m_buffer.left(end);
                m_buffer.remove(0, end + 2);
                ServerSentEvent event;
                bool any = false;
                for (const QByteArray &line : block.split('\n')) {
                    if (line.startsWith(':')) {
                        ++comments;
                        continue;
                    }
                    any = true;
                    if (line.startsWith("id: "))
                        event.id = line.mid(4);
                    else if (line.startsWith("event: "))
                        event.type = line.mid(7);
                    else if (line.startsWith("data: "))
                        event.data = QJsonDocument::fromJson(line.mid(6)).object();
                }
                if (any)
                    return event;
                continue;
            }
            if (!waitForBytes(int(deadline.remainingTime())))
                return std::nullopt;
            m_buffer += m_socket.readAll();
        }
    }

    // The next event of this "type" field ("welcome", "notification", ...), skipping others.
    std::optional<ServerSentEvent> nextOfType(const QString &type, int timeoutMs = 5000)
    {
        const QDeadlineTimer deadline(timeoutMs);
        while (std::optional<ServerSentEvent> event = next(int(deadline.remainingTime()))) {
            if (event->data.value(QStringLiteral("type")).toString() == type)
                return event;
        }
        return std::nullopt;
    }

    bool waitForEnd(int timeoutMs)
    {
        const QDeadlineTimer deadline(timeoutMs);
        while (waitForBytes(int(deadline.remainingTime())))
            m_buffer += m_socket.readAll();
        return m_socket.state() != QAbstractSocket::ConnectedState;
    }

    QTcpSocket &socket() { return m_socket; }
    QByteArray head;
    int comments = 0;

private:
    // Runs the event loop (an in-process server keeps serving) until bytes wait; false at the end of the stream or
    // when timeoutMs pass.
    bool waitForBytes(int timeoutMs)
    {
        return QTest::qWaitFor(
                   [this] {
                       return m_socket.bytesAvailable() > 0 || m_socket.state() != QAbstractSocket::ConnectedState;
                   },
                   std::max(timeoutMs, 0)) &&
               m_socket.bytesAvailable() > 0;
    }

    QTcpSocket m_socket;
    QByteArray m_buffer;
};

void publish(HttpClient &http, const QUrl &url, const QJsonObject &notification)
{
    QCOMPARE(http.post(url, QJsonDocument(notification).toJson()).status, 200);
}

} // namespace

class EventStreamTest : public QObject
{
    Q_OBJECT
private slots:
    void streamsNotificationsWithTheClientsPositionsAsIds()
    {
        TestServer server;
        EventStreamClient client;
        QCOMPARE(client.open(server.server().port(), "/events?channels=orders"), 200);
        QCOMPARE(client.header("content-type"), QByteArray("text/event-stream"));
        QCOMPARE(client.header("cache-control"), QByteArray("no-store"));
        QVERIFY(client.header("content-length").isEmpty());

        const std::optional<ServerSentEvent> welcome = client.nextOfType(QStringLiteral("welcome"));
        QVERIFY(welcome);
        const QString allEpoch =
            welcome->data.value("streams").toObject().value("$all").toObject().value("epoch").toString();
        const QString ordersEpoch =
            welcome->data.value("streams").toObject().value("orders").toObject().value("epoch").toString();
        QVERIFY(!allEpoch.isEmpty() && !ordersEpoch.isEmpty());
        QCOMPARE(welcome->id, QStringLiteral("$all:0:%1,orders:0:%2").arg(allEpoch, ordersEpoch).toUtf8());

        HttpClient http;
        publish(http, server.httpUrl("/notify"), {{"message", "to everyone"}});
        publish(http, server.httpUrl("/notify"), {{"message", "to orders"}, {"channel", "orders"}});
        publish(http, server.httpUrl("/notify"), {{"message", "elsewhere"}, {"channel", "other"}});
        std::optional<ServerSentEvent> first = client.nextOfType(QStringLiteral("notification"));
        QVERIFY(first);
        QCOMPARE(first->data.value("message").toString(), QStringLiteral("to everyone"));
        QCOMPARE(first->id, QStringLiteral("$all:1:%1,orders:0:%2").arg(allEpoch, ordersEpoch).toUtf8());
        std::optional<ServerSentEvent> second = client.nextOfType(QStringLiteral("notification"));
        QVERIFY(second);
        QCOMPARE(second->data.value("message").toString(), QStringLiteral("to orders"));
        QCOMPARE(second->data.value("channel").toString(), QStringLiteral("orders"));
        QCOMPARE(second->id, QStringLiteral("$all:1:%1,orders:1:%2").arg(allEpoch, ordersEpoch).toUtf8());
        // Nothing of a channel it is not in.
        QVERIFY(!client.nextOfType(QStringLiteral("notification"), 300));
    }

    void lastEventIdRecoversWhatItMissed()
    {
        TestServer server;
        HttpClient http;
        QByteArray lastId;
        {
            EventStreamClient client;
            QCOMPARE(client.open(server.server().port(), "/events?channels=orders"), 200);
            publish(http, server.httpUrl("/notify"), {{"message", "m1"}, {"channel", "orders"}});
            const std::optional<ServerSentEvent> m1 = client.nextOfType(QStringLiteral("notification"));
            QVERIFY(m1);
            lastId = m1->id;
        }
        // Missed while away: two on the channel, one for everyone.
        publish(http, server.httpUrl("/notify"), {{"message", "m2"}, {"channel", "orders"}});
        publish(http, server.httpUrl("/notify"), {{"message", "m3"}});
        publish(http, server.httpUrl("/notify"), {{"message", "m4"}, {"channel", "orders"}});

        EventStreamClient again;
        QCOMPARE(again.open(server.server().port(), "/events?channels=orders", {{"Last-Event-ID", lastId}}), 200);
        QStringList replayed;
        QByteArray id;
        for (int i = 0; i < 3; ++i) {
            const std::optional<ServerSentEvent> missed = again.nextOfType(QStringLiteral("notification"));
            QVERIFY(missed);
            replayed << missed->data.value("message").toString();
            id = missed->id;
        }
        replayed.sort(); // the streams are replayed one after the other
        QCOMPARE(replayed, (QStringList{"m2", "m3", "m4"}));
        const std::optional<ServerSentEvent> recovery = again.nextOfType(QStringLiteral("recovery"));
        QVERIFY(recovery);
        const QJsonObject streams = recovery->data.value("streams").toObject();
        QCOMPARE(streams.value("orders").toObject().value("recovered").toBool(), true);
        QCOMPARE(streams.value("orders").toObject().value("replayed").toInt(), 2);
        QCOMPARE(streams.value("$all").toObject().value("replayed").toInt(), 1);
        QVERIFY2(id.contains("orders:3:") && id.contains("$all:1:"), id.constData());
        // What follows goes on from there.
        publish(http, server.httpUrl("/notify"), {{"message", "m5"}, {"channel", "orders"}});
        const std::optional<ServerSentEvent> m5 = again.nextOfType(QStringLiteral("notification"));
        QVERIFY(m5);
        QCOMPARE(m5->data.value("message").toString(), QStringLiteral("m5"));
        QVERIFY2(m5->id.contains("orders:4:"), m5->id.constData());
    }

    void admissionIsTheWebSocketsOne_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<QByteArray>("lastEventId");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("error");
        QTest::newRow("no token") << QByteArray("/events") << QByteArray() << 401 << "unauthorized";
        QTest::newRow("channel not granted")
            << QByteArray("/events?channels=secret&token=") + tokenFor("ann") << QByteArray() << 403 << "forbidden";
        QTest::newRow("junk Last-Event-ID")
            << QByteArray("/events?token=") + tokenFor("ann") << QByteArray("junk") << 400 << "invalid_position";
        QTest::newRow("Last-Event-ID of another channel")
            << QByteArray("/events?token=") + tokenFor("ann") << QByteArray("$all:1:abc,orders:2:abc") << 400
            << "invalid_position";
        QTest::newRow("admitted") << QByteArray("/events?token=") + tokenFor("ann") << QByteArray("$all:0:abc") << 200
                                  << "";
    }

    void admissionIsTheWebSocketsOne()
    {
        QFETCH(QByteArray, request);
        QFETCH(QByteArray, lastEventId);
        QFETCH(int, status);
        QFETCH(QString, error);
        Config config = TestServer::defaultConfig();
        config.clientJwtSecret = QString::fromLatin1(ClientTokenSecret);
        TestServer server(config);
        EventStreamClient client;
        QList<QPair<QByteArray, QByteArray>> headers;
        if (!lastEventId.isEmpty())
            headers.append({"Last-Event-ID", lastEventId});
        QCOMPARE(client.open(server.server().port(), request, headers), status);
        if (status == 200) {
            const std::optional<ServerSentEvent> welcome = client.nextOfType(QStringLiteral("welcome"));
            QVERIFY(welcome);
            QVERIFY(!welcome->data.value("client_id").toString().isEmpty());
            return;
        }
        QVERIFY(client.waitForEnd(5000)); // a refusal closes the connection
        QVERIFY2(client.head.contains("Content-Length"), client.head.constData());
    }

    void otherMethodsAreRefused()
    {
        TestServer server;
        HttpClient http;
        const HttpResult answer = http.post(server.httpUrl("/events"), "{}");
        QCOMPARE(answer.status, 405);
        QCOMPARE(answer.json.value("error").toString(), QStringLiteral("method_not_allowed"));
    }

    // The keep-alive is a comment; with no answer to wait for, the client is never timed out.
    void heartbeatsKeepAQuietClient()
    {
        Config config = TestServer::defaultConfig();
        config.pingIntervalSeconds = 0.2;
        config.pingTimeoutSeconds = 0.2;
        TestServer server(config);
        EventStreamClient client;
        QCOMPARE(client.open(server.server().port(), "/events"), 200);
        QVERIFY(client.nextOfType(QStringLiteral("welcome")));
        // Five heartbeats: well past the ping timeout a WebSocket client that never answered would have met.
        const QDeadlineTimer deadline(10000);
        while (client.comments < 5 && !deadline.hasExpired())
            client.next(200); // comments are counted while it waits for an event
        QVERIFY2(client.comments >= 5, qPrintable(QString::number(client.comments)));
        QCOMPARE(client.socket().state(), QAbstractSocket::ConnectedState);
        HttpClient http;
        QCOMPARE(http.get(server.httpUrl("/health")).json.value("connections").toInt(), 1);
    }

    // The real binary: its shutdown tells the event stream as it tells WebSocket clients, then ends the stream.
    void shutdownEndsTheStreamWithACloseEvent()
    {
        QTemporaryDir dir;
        ServerProcess server;
        QVERIFY2(server.start({"--port", "0", "--host", "127.0.0.1"}, {"NOTIFICATION_INTERVAL=0", "PING_INTERVAL=0"},
                              dir.path()),
                 qPrintable(server.output()));
        EventStreamClient client;
        QCOMPARE(client.open(server.port(), "/events"), 200);
        QVERIFY(client.nextOfType(QStringLiteral("welcome")));
        server.signal(SIGTERM);
        QVERIFY(client.nextOfType(QStringLiteral("shutdown"), 10000));
        std::optional<ServerSentEvent> close;
        while (std::optional<ServerSentEvent> event = client.next(10000)) {
            if (event->type == "close") {
                close = event;
                break;
            }
        }
        QVERIFY(close);
        QCOMPARE(close->data.value("code").toInt(), 1001);
        QVERIFY(client.waitForEnd(10000));
        QVERIFY(server.waitForExit(15000));
        QCOMPARE(server.exitCode(), 0);
    }

    // A client that stops reading meets the WebSocket client's limit, is closed as a slow consumer, and nobody else
    // waits for it.
    void aClientThatStopsReadingIsClosedAsASlowConsumer()
    {
        QTemporaryDir dir;
        ServerProcess server;
        QVERIFY2(server.start({"--port", "0", "--host", "127.0.0.1"},
                              {"NOTIFICATION_INTERVAL=0", "PING_INTERVAL=0", "MAX_QUEUED_MESSAGES=4",
                               "MAX_BODY_SIZE=1 MB", "HISTORY_SIZE=0"},
                              dir.path()),
                 qPrintable(server.output()));
        EventStreamClient stalled;
        QCOMPARE(stalled.open(server.port(), "/events"), 200);
        stalled.socket().setReadBufferSize(1);
        stalled.socket().setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 4096);
        EventStreamClient healthy;
        QCOMPARE(healthy.open(server.port(), "/events"), 200);
        QVERIFY(healthy.nextOfType(QStringLiteral("welcome")));

        HttpClient http;
        constexpr int Broadcasts = 30; // 18 MB: more than the kernel's buffers hold for the stalled client
        const QString filler(600 * 1000, QLatin1Char('x'));
        for (int i = 0; i < Broadcasts; ++i)
            publish(http, server.httpUrl("/notify"),
                    {{"message", QString::number(i)}, {"data", QJsonObject{{"f", filler}}}});
        for (int i = 0; i < Broadcasts; ++i) {
            const std::optional<ServerSentEvent> event = healthy.nextOfType(QStringLiteral("notification"), 10000);
            QVERIFY(event);
            QCOMPARE(event->data.value("message").toString(), QString::number(i));
        }
        QVERIFY2(server.waitForOutput(QStringLiteral("\"reason\":\"slow_consumer\""), 10000),
                 qPrintable(server.output().split('\n').filter("disconnect").join('\n')));
        QTRY_VERIFY_WITH_TIMEOUT(http.get(server.httpUrl("/metrics/prometheus"))
                                     .body.contains("herald_connections_closed_total{reason=\"slow_consumer\"} 1"),
                                 10000);
    }
};

QTEST_MAIN(EventStreamTest)
#include "tst_event_stream.moc"
