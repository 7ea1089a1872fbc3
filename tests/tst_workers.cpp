// WORKERS=N: clients spread over N event-loop threads, one server to everyone outside.

#include "admin/AdminFeed.h"
#include "history/MemoryHistory.h"
#include "logging/Logger.h"
#include "metrics/Metrics.h"
#include "notification/NotificationRequest.h"
#include "protocol/AdminProtocol.h"
#include "sessions/ClientSession.h"
#include "stream/EncodedMessage.h"
#include "support/HttpClient.h"
#include "support/RawWebSocketClient.h"
#include "support/TestClient.h"
#include "support/TestServer.h"
#include "workers/Worker.h"
#include "workers/WorkerPool.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <memory>
#include <vector>

using namespace herald;
using namespace herald::test;

namespace {
constexpr int Workers = 3;

Config workersConfig()
{
    Config config = TestServer::defaultConfig();
    config.workers = Workers;
    return config;
}

using Clients = std::vector<std::unique_ptr<TestClient>>;

bool connectClients(Clients &clients, int count, const QUrl &url)
{
    for (int i = 0; i < count; ++i) {
        clients.push_back(std::make_unique<TestClient>());
        if (!clients.back()->connectTo(url))
            return false;
    }
    return true;
}

// Puts server's last worker to sleep for 3 s in its own thread, as a long fan-out would keep it busy; returns
// once it sleeps.
bool putLastWorkerToSleep(TestServer &server)
{
    auto *pool = server.server().findChild<WorkerPool *>();
    if (!pool)
        return false;
    QList<Worker *> workers;
    pool->forEachWorker([&workers](Worker *worker) { workers.append(worker); });
    auto asleep = std::make_shared<QSemaphore>();
    QMetaObject::invokeMethod(workers.last(), [asleep] {
        asleep->release();
        QThread::msleep(3000);
    });
    return asleep->tryAcquire(1, 5000);
}

QJsonArray workerFigures(TestServer &server)
{
    return server.server().metricsJson().value("workers").toArray();
}
} // namespace

class WorkersTest : public QObject
{
    Q_OBJECT
private slots:
    void clientsAreSpreadOverWorkerThreads()
    {
        TestServer server(workersConfig());
        Clients clients;
        QVERIFY(connectClients(clients, 2 * Workers, server.webSocketUrl()));

        const QJsonArray workers = workerFigures(server);
        QCOMPARE(workers.size(), Workers);
        for (const QJsonValue &worker : workers)
            QCOMPARE(worker.toObject().value("clients").toInt(), 2);
        // Each worker counted its own two (the figures come from each worker's registry, read in its thread).

        const QByteArray exposition = HttpClient().get(server.httpUrl("/metrics/prometheus")).body;
        QVERIFY(exposition.contains("herald_worker_connections_active{worker=\"2\"} 2\n"));
        QVERIFY(exposition.contains("herald_connections_active 6\n"));
    }

    void everyBroadcastReachesEveryClientOnceInOrder()
    {
        TestServer server(workersConfig());
        Clients clients;
        QVERIFY(connectClients(clients, 2 * Workers, server.webSocketUrl()));

        HttpClient http;
        QStringList sent;
        for (int i = 0; i < 20; ++i) {
            const HttpResult answer =
                http.post(server.httpUrl("/notify"),
                          QByteArray(R"({"type":"news","message":"n)") + QByteArray::number(i) + "\"}");
            QCOMPARE(answer.status, 200);
            QCOMPARE(answer.json.value("recipients").toInt(), 2 * Workers);
            sent.append(answer.json.value("notification_id").toString());
        }
        // The console's path and the periodic service's path end in the same fan-out.
        NotificationRequest fromConsole;
        fromConsole.type = QStringLiteral("news");
        fromConsole.message = QStringLiteral("from the console");
        sent.append(server.server().broadcast(fromConsole, QStringLiteral("console")).id);

        for (const auto &client : clients) {
            QStringList received;
            for (int i = 0; i < sent.size(); ++i)
                received.append(client->waitFor("news").value("id").toString());
            QCOMPARE(received, sent);
            QVERIFY(client->waitFor("news", 200).isEmpty()); // and nothing twice
        }
        qint64 messagesSent = 0;
        for (const QJsonValue &worker : workerFigures(server))
            messagesSent += worker.toObject().value("messages_sent").toInteger();
        QCOMPARE(messagesSent, qint64(2 * Workers * (1 + sent.size()))); // welcome + each notification
        QCOMPARE(server.server().metricsJson().value("messages").toObject().value("sent").toInteger(), messagesSent);
        QCOMPARE(server.server().metricsJson().value("notifications").toObject().value("broadcast").toInt(),
                 int(sent.size())); // counted once, not once per worker
    }

    void textFramesCarryTheLengthEncodingTheSizeNeeds()
    {
        const QByteArray shortFrame = EncodedMessage::fromUtf8(QByteArray(125, 'x')).webSocketFrame();
        QCOMPARE(shortFrame.left(2), QByteArray("\x81\x7d"));
        QCOMPARE(shortFrame.size(), 2 + 125);
        const QByteArray medium = EncodedMessage::fromUtf8(QByteArray(126, 'x')).webSocketFrame();
        QCOMPARE(medium.left(4), QByteArray("\x81\x7e\x00\x7e", 4));
        const QByteArray large = EncodedMessage::fromUtf8(QByteArray(65536, 'x')).webSocketFrame();
        QCOMPARE(large.left(10), QByteArray("\x81\x7f\x00\x00\x00\x00\x00\x01\x00\x00", 10));
        QCOMPARE(large.size(), 10 + 65536);
        QCOMPARE(EncodedMessage::fromUtf8(QByteArray(300, 'x')).payloadSize(), 300);
    }

    void broadcastFramesOfEveryLengthArriveIntact_data()
    {
        QTest::addColumn<int>("length");
        // The three RFC 6455 length encodings: 7 bits, 16 bits (from 126), 64 bits (from 65,536).
        QTest::newRow("short") << 0; // the JSON around the message stays under 126 bytes
        QTest::newRow("16-bit length") << 200;
        QTest::newRow("16-bit maximum") << 65000;
        QTest::newRow("64-bit length") << 70000;
    }
    void broadcastFramesOfEveryLengthArriveIntact()
    {
        QFETCH(int, length);
        Config config = workersConfig();
        config.workers = 2; // one client framed from the main thread, one from a worker thread
        TestServer server(config);
        Clients clients;
        QVERIFY(connectClients(clients, 2, server.webSocketUrl()));
        NotificationRequest notification;
        notification.type = QStringLiteral("sized");
        notification.message = QString(length, QChar(u'é')); // two UTF-8 bytes each
        QCOMPARE(server.server().broadcast(notification, QStringLiteral("console")).recipients, 2);
        for (const auto &client : clients)
            QCOMPARE(client->waitFor("sized").value("message").toString(), notification.message);
    }

    void aClientThatSpeaksBeforeItsWelcomeIsHeard()
    {
        Config config = workersConfig();
        config.workers = 2;
        TestServer server(config);
        TestClient first; // on worker 0, so the next one is handed to the worker thread
        QVERIFY(first.connectTo(server.webSocketUrl()));
        RawWebSocketClient eager;
        QCOMPARE(eager.handshake(server.webSocketUrl()), 101);
        // At once after the 101 (RFC 6455 lets a client speak then), while the server may still be handing the
        // connection to the worker thread.
        eager.socket().write(RawWebSocketClient::maskedTextFrame(R"({"type":"ping"})"));
        QByteArray received;
        QDeadlineTimer deadline(5000);
        while (!received.contains("\"pong\"") && !deadline.hasExpired())
            for (const RawWebSocketClient::Frame &frame : eager.readFrames(100))
                received += frame.payload;
        QVERIFY2(received.contains("\"pong\""), received.constData());
    }

    void periodicNotificationsReachEveryWorker()
    {
        Config config = workersConfig();
        config.notificationIntervalSeconds = 0.1;
        TestServer server(config);
        Clients clients;
        QVERIFY(connectClients(clients, Workers, server.webSocketUrl()));
        for (const auto &client : clients)
            QVERIFY(!client->waitFor("periodic").isEmpty());
    }

    void targetedBroadcastFindsClientsOnAnyWorker()
    {
        TestServer server(workersConfig());
        Clients clients;
        QVERIFY(connectClients(clients, Workers, server.webSocketUrl()));
        NotificationRequest notification;
        notification.type = QStringLiteral("direct");
        notification.message = QStringLiteral("just you");
        notification.audience = Audience::of(Audience::Kind::Clients,
                                             {clients[1]->clientId(), clients[2]->clientId(), QStringLiteral("gone")});
        QCOMPARE(server.server().broadcast(notification, QStringLiteral("console")).recipients, 2);
        QVERIFY(!clients[1]->waitFor("direct").isEmpty());
        QVERIFY(!clients[2]->waitFor("direct").isEmpty());
        QVERIFY(clients[0]->waitFor("direct", 200).isEmpty());
    }

    void statusAnswersCountEveryWorker()
    {
        TestServer server(workersConfig());
        Clients clients;
        QVERIFY(connectClients(clients, Workers, server.webSocketUrl()));
        for (const auto &client : clients) {
            client->send({{"type", "status_request"}});
            QCOMPARE(client->waitFor("status").value("connected_clients").toInt(), Workers);
        }
        QCOMPARE(
            HttpClient().get(server.httpUrl("/status")).json.value("connections").toObject().value("active").toInt(),
            Workers);
    }

    void figuresAreReadWithoutWaitingForABusyWorker()
    {
        // /metrics, /status and the console read every worker's count and traffic: a worker busy with a long
        // fan-out (here: asleep in its own thread) must not hold them up.
        Config config = workersConfig();
        MemoryHistory history{HistoryPolicy()};
        Metrics metrics;
        Logger logger;
        QElapsedTimer uptime;
        uptime.start();
        WorkerPool pool(config, &history, &metrics, &logger, &uptime);
        QList<Worker *> workers;
        pool.forEachWorker([&workers](Worker *worker) { workers.append(worker); });
        QCOMPARE(workers.size(), Workers);
        QVERIFY(workers.last()->thread() != QThread::currentThread());
        QSemaphore asleep;
        QMetaObject::invokeMethod(workers.last(), [&asleep] {
            asleep.release();
            QThread::msleep(3000);
        });
        QVERIFY(asleep.tryAcquire(1, 5000));
        QElapsedTimer reading;
        reading.start();
        QCOMPARE(pool.figures().size(), Workers);
        QVERIFY2(reading.elapsed() < 1000, qPrintable(QStringLiteral("waited %1 ms").arg(reading.elapsed())));
        pool.stop();
    }

    void targetedSendsAndPresenceDoNotWaitForABusyWorker()
    {
        // A send to a channel, a user or a connection, its count, presence and the console's ticks are answered
        // from what the workers reported (the pool's directory): a worker busy with a long fan-out (here: asleep)
        // holds up only its own clients' copies, which it sends when it wakes.
        TestServer server(workersConfig());
        Clients clients;
        QVERIFY(connectClients(clients, Workers, server.webSocketUrl())); // one on each worker
        for (const std::unique_ptr<TestClient> &client : clients)
            QCOMPARE(client->subscribe(QStringLiteral("news")), QStringLiteral("subscribed"));
        QVERIFY(putLastWorkerToSleep(server));

        QElapsedTimer answering;
        answering.start();
        HttpClient http;
        const HttpResult toChannel =
            http.post(server.httpUrl("/notify"), R"({"message":"m1","type":"t","channel":"news"})");
        QCOMPARE(toChannel.json.value("recipients").toInt(), Workers);
        const QByteArray toLast =
            QStringLiteral(R"({"message":"m2","type":"t","client_id":"%1"})").arg(clients.back()->clientId()).toUtf8();
        QCOMPARE(http.post(server.httpUrl("/notify"), toLast).json.value("recipients").toInt(), 1);
        QCOMPARE(http.get(server.httpUrl("/channels/news")).status, 200);
        QCOMPARE(http.get(server.httpUrl("/status")).status, 200);
        QVERIFY2(answering.elapsed() < 1000, qPrintable(QStringLiteral("waited %1 ms").arg(answering.elapsed())));

        int awake = 0; // the clients of the two awake workers have m1 by now; the sleeper's come after it wakes
        for (const std::unique_ptr<TestClient> &client : clients)
            if (!client->waitForField(QStringLiteral("message"), QStringLiteral("m1"), 10000).isEmpty())
                ++awake;
        QCOMPARE(awake, Workers);
        QCOMPARE(clients.back()
                     ->waitForField(QStringLiteral("message"), QStringLiteral("m2"), 10000)
                     .value("message")
                     .toString(),
                 QStringLiteral("m2"));
        // Nobody else got the copy addressed to one connection.
        for (std::size_t i = 0; i + 1 < clients.size(); ++i)
            QVERIFY(clients[i]->waitForField(QStringLiteral("message"), QStringLiteral("m2"), 200).isEmpty());
    }

    void consoleTicksDoNotWaitForABusyWorker()
    {
        // The console's feed asks the workers for their clients' traffic each tick and reports when all have
        // answered: while one sleeps, the feed's own events (metrics) keep coming, and the traffic follows.
        TestServer server(workersConfig());
        Clients clients;
        QVERIFY(connectClients(clients, Workers, server.webSocketUrl()));
        AdminFeed *feed = server.server().adminFeed();
        feed->subscribe();
        QCOMPARE(feed->snapshot().value(admin::key::Clients).toArray().size(), Workers);
        QList<QJsonObject> events;
        connect(feed, &AdminFeed::eventReady, this, [&events](const QJsonObject &event) { events.append(event); });
        const auto has = [&events](const QString &name) {
            return std::any_of(events.cbegin(), events.cend(), [&](const QJsonObject &event) {
                return event.value(admin::key::Event).toString() == name;
            });
        };
        QVERIFY(putLastWorkerToSleep(server));
        QElapsedTimer sleeping;
        sleeping.start();
        NotificationRequest notification;
        notification.type = QStringLiteral("t");
        notification.message = QStringLiteral("m");
        QCOMPARE(server.server().broadcast(notification, QStringLiteral("console")).recipients, Workers);
        QTRY_VERIFY_WITH_TIMEOUT(has(admin::event::Metrics), 2500);
        QVERIFY2(sleeping.elapsed() < 2500, qPrintable(QStringLiteral("after %1 ms").arg(sleeping.elapsed())));
        QTRY_VERIFY_WITH_TIMEOUT(has(admin::event::Clients), 10000); // every client's delta once the worker woke
        feed->unsubscribe();
    }

    void maxConnectionsHoldsAcrossWorkers()
    {
        Config config = workersConfig();
        config.maxConnections = 4;
        TestServer server(config);
        Clients clients;
        QVERIFY(connectClients(clients, 4, server.webSocketUrl()));
        RawWebSocketClient refused;
        QCOMPARE(refused.handshake(server.webSocketUrl()), 503);

        clients.front()->close(); // a place frees up on whichever worker it was
        QTRY_COMPARE(server.server().clientCount(), 3);
        TestClient latecomer;
        QVERIFY(latecomer.connectTo(server.webSocketUrl()));
    }

    void keepAlivePingsClientsOnEveryWorker()
    {
        Config config = workersConfig();
        config.pingIntervalSeconds = 0.2;
        TestServer server(config);
        Clients clients;
        QVERIFY(connectClients(clients, Workers, server.webSocketUrl()));
        const auto pingedClients = [&server] {
            int pinged = 0;
            for (const QJsonValue &row : server.server().adminFeed()->snapshot().value("clients").toArray())
                pinged += row.toObject().value("rtt_ms").toInteger(-1) >= 0 ? 1 : 0;
            return pinged;
        };
        QTRY_COMPARE_WITH_TIMEOUT(pingedClients(), Workers, 5000);
    }

    void consoleFeedListsClientsOfEveryWorker()
    {
        TestServer server(workersConfig());
        Clients clients;
        QVERIFY(connectClients(clients, Workers, server.webSocketUrl()));
        QStringList listed;
        for (const QJsonValue &row : server.server().adminFeed()->snapshot().value("clients").toArray())
            listed.append(row.toObject().value("id").toString());
        listed.sort();
        QStringList expected;
        for (const auto &client : clients)
            expected.append(client->clientId());
        expected.sort();
        QCOMPARE(listed, expected);
    }

    void gracefulShutdownDrainsEveryWorker()
    {
        Config config = workersConfig();
        config.shutdownTimeoutSeconds = 30;
        TestServer server(config);
        Clients clients;
        QVERIFY(connectClients(clients, 2 * Workers, server.webSocketUrl()));
        QSignalSpy stopped(&server.server(), &Server::stopped);
        server.server().shutdown(QStringLiteral("test"));
        for (const auto &client : clients)
            QVERIFY(!client->waitFor("shutdown").isEmpty());
        for (int i = 1; i < int(clients.size()); ++i)
            clients[std::size_t(i)]->close();
        QTRY_COMPARE(server.server().clientCount(), 1);
        QCOMPARE(stopped.count(), 0); // still waiting for the last one
        clients.front()->close();
        QTRY_COMPARE(stopped.count(), 1);
    }

    void shutdownTimeoutClosesClientsOfEveryWorker()
    {
        Config config = workersConfig();
        config.shutdownTimeoutSeconds = 0.3;
        TestServer server(config);
        Clients clients;
        QVERIFY(connectClients(clients, 2 * Workers, server.webSocketUrl()));
        QSignalSpy stopped(&server.server(), &Server::stopped);
        server.server().shutdown(QStringLiteral("test"));
        for (const auto &client : clients) {
            QVERIFY(client->waitForDisconnected(5000));
            QCOMPARE(client->closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
        }
        QTRY_COMPARE(stopped.count(), 1);
    }
};

QTEST_GUILESS_MAIN(WorkersTest)
#include "tst_workers.moc"
