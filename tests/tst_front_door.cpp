// The HTTP front door against clients that do not play by the rules, over raw sockets: limits crossed, requests
// that never finish, junk, HTTP/1.0 and Connection: close, bad WebSocket handshakes, every connection counted per
// address, and a process out of descriptors.

#include "support/HttpClient.h"
#include "support/MetricsReading.h"
#include "support/RawHttpClient.h"
#include "support/RawWebSocketClient.h"
#include "support/ServerProcess.h"
#include "support/TestClient.h"
#include "support/TestServer.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

#include <QDir>
#include <QFileInfo>
#include <arpa/inet.h>
#include <csignal>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

using namespace herald;
using namespace herald::test;

namespace {

// Timeouts short enough for a test, far enough apart to tell which one fired.
Config quickTimeouts()
{
    Config config = TestServer::defaultConfig();
    config.httpHeaderTimeoutSeconds = 0.6;
    config.httpBodyTimeoutSeconds = 0.6;
    config.httpKeepAliveTimeoutSeconds = 0.4;
    return config;
}

QByteArray get(const QByteArray &path, const QByteArray &extra = {})
{
    return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra + "\r\n";
}

QByteArray upgrade(const QByteArray &headers)
{
    return "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" + headers + "\r\n";
}

constexpr QByteArrayView GoodKey{"dGhlIHNhbXBsZSBub25jZQ=="};

} // namespace

class FrontDoorTest : public QObject
{
    Q_OBJECT

private slots:
    void everyAcceptedSocketHasNagleOff()
    {
        // Each turn's frames for a client leave in one write; with Nagle's algorithm on, a write behind an
        // unacknowledged one would wait for the ACK. The server's sockets are this process's own descriptors.
        TestServer server;
        TestClient client;
        QVERIFY(client.connectTo(server.webSocketUrl()));
        int accepted = 0;
        for (const QFileInfo &entry : QDir(QStringLiteral("/proc/self/fd")).entryInfoList(QDir::System)) {
            const int fd = entry.fileName().toInt();
            sockaddr_storage local{}, peer{};
            socklen_t localLength = sizeof local, peerLength = sizeof peer;
            // getsockname fails for what is not a socket.
            if (::getsockname(fd, reinterpret_cast<sockaddr *>(&local), &localLength) != 0 ||
                local.ss_family != AF_INET || ::getpeername(fd, reinterpret_cast<sockaddr *>(&peer), &peerLength) != 0)
                continue;
            if (ntohs(reinterpret_cast<const sockaddr_in *>(&local)->sin_port) != server.server().port())
                continue; // the client's end, or another server's
            int noDelay = 0;
            socklen_t length = sizeof noDelay;
            QCOMPARE(::getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &noDelay, &length), 0);
            QCOMPARE(noDelay, 1);
            ++accepted;
        }
        QCOMPARE(accepted, 1); // the WebSocket client's
    }

    void anEndlessHeaderGets431AtOnce()
    {
        TestServer server;
        RawHttpClient client;
        QVERIFY(client.connectTo(server.server().port()));
        // 32 MB offered in 64 KB pieces: the answer comes after the first 8 KB, and the connection closes.
        client.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Endless: ");
        const QByteArray piece(64 * 1024, 'a');
        qint64 offered = 0;
        for (int i = 0; i < 512 && client.send(piece, 2000); ++i)
            offered += piece.size();
        const RawHttpClient::Response answer = client.readResponse();
        QCOMPARE(answer.status, 431);
        QCOMPARE(answer.json.value("error").toString(), QStringLiteral("request_header_fields_too_large"));
        QVERIFY2(answer.json.value("message").toString().contains("MAX_HEADER_SIZE"), answer.body.constData());
        QCOMPARE(answer.header("Connection"), QByteArray("close"));
        QVERIFY(client.waitForDisconnected(5000));
        QVERIFY2(offered < 32LL * 1024 * 1024, "the server read all 32 MB instead of refusing");
        QCOMPARE(refusedBecause(server.server().metricsJson(), "headers_too_large"), 1);
    }

    void tooManyHeaderLinesGet431()
    {
        TestServer server;
        QByteArray lines;
        for (int i = 0; i < 400; ++i)
            lines += "X-Line-" + QByteArray::number(i) + ": v\r\n";
        RawHttpClient client;
        QVERIFY(client.connectTo(server.server().port()));
        client.send(get("/health", lines));
        const RawHttpClient::Response answer = client.readResponse();
        QCOMPARE(answer.status, 431);
        QVERIFY2(answer.json.value("message").toString().contains("MAX_HEADER_COUNT"), answer.body.constData());
        QCOMPARE(refusedBecause(server.server().metricsJson(), "too_many_headers"), 1);
    }

    void aRaisedHeaderCountKeepsEveryHeader()
    {
        // 120 short extra headers before Content-Type: with room for them, none is lost (it was: 415).
        Config config = TestServer::defaultConfig();
        config.maxHeaderCount = 200;
        TestServer server(config);
        QByteArray extra;
        for (int i = 0; i < 120; ++i)
            extra += "X-Extra-" + QByteArray::number(i) + ": " + QByteArray::number(i) + "\r\n";
        const QByteArray body = R"({"message":"many headers"})";
        RawHttpClient client;
        QVERIFY(client.connectTo(server.server().port()));
        client.send("POST /notify HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra +
                    "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
                    "\r\n\r\n" + body);
        const RawHttpClient::Response answer = client.readResponse();
        QCOMPARE(answer.status, 200);
        QCOMPARE(answer.json.value("status").toString(), QStringLiteral("sent"));
    }

    void aDeclaredHugeBodyGets413BeforeItIsRead()
    {
        TestServer server;
        RawHttpClient client;
        QVERIFY(client.connectTo(server.server().port()));
        client.send("POST /notify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    "Content-Length: 1073741824\r\n\r\n");
        const RawHttpClient::Response answer = client.readResponse();
        QCOMPARE(answer.status, 413);
        QCOMPARE(answer.json.value("error").toString(), QStringLiteral("payload_too_large"));
        QVERIFY(client.waitForDisconnected(5000));
        QCOMPARE(refusedBecause(server.server().metricsJson(), "body_too_large"), 1);
    }

    void chunkedBodiesAreCountedAsTheyArrive()
    {
        TestServer server;
        {
            const QByteArray body = R"({"message":"in chunks"})";
            RawHttpClient client;
            QVERIFY(client.connectTo(server.server().port()));
            client.send("POST /notify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        "Transfer-Encoding: chunked\r\n\r\n" +
                        QByteArray::number(10, 16) + "\r\n" + body.left(10) + "\r\n" +
                        QByteArray::number(body.size() - 10, 16) + ";ext=1\r\n" + body.mid(10) + "\r\n0\r\n\r\n");
            const RawHttpClient::Response answer = client.readResponse();
            QCOMPARE(answer.status, 200);
        }
        RawHttpClient client;
        QVERIFY(client.connectTo(server.server().port()));
        client.send("POST /notify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    "Transfer-Encoding: chunked\r\n\r\n");
        const QByteArray chunk = "8000\r\n" + QByteArray(0x8000, 'x') + "\r\n"; // 32 KB each; the limit is 64 KB
        for (int i = 0; i < 4 && client.send(chunk, 2000); ++i) {
        }
        const RawHttpClient::Response answer = client.readResponse();
        QCOMPARE(answer.status, 413);
        QVERIFY(client.waitForDisconnected(5000));
    }

    void expect100ContinueIsAnswered()
    {
        TestServer server;
        const QByteArray body = R"({"message":"after continue"})";
        RawHttpClient client;
        QVERIFY(client.connectTo(server.server().port()));
        client.send(
            "POST /notify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n"
            "Content-Length: " +
            QByteArray::number(body.size()) + "\r\n\r\n");
        QCOMPARE(client.readResponse().status, 100);
        client.send(body);
        QCOMPARE(client.readResponse().status, 200);

        RawHttpClient tooLarge; // refused without the 100: the client never sends the body
        QVERIFY(tooLarge.connectTo(server.server().port()));
        tooLarge.send(
            "POST /notify HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\nContent-Length: 999999999\r\n\r\n");
        QCOMPARE(tooLarge.readResponse().status, 413);

        RawHttpClient unknown;
        QVERIFY(unknown.connectTo(server.server().port()));
        unknown.send(get("/health", "Expect: something-else\r\n"));
        QCOMPARE(unknown.readResponse().status, 417);
    }

    void aSilentConnectionIsClosedByTheHeaderTimeout()
    {
        TestServer server(quickTimeouts());
        RawHttpClient client;
        QVERIFY(client.connectTo(server.server().port()));
        QElapsedTimer clock;
        clock.start();
        QVERIFY(client.waitForDisconnected(5000));
        QVERIFY2(clock.elapsed() >= 400, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(client.readRaw(0), QByteArray()); // nothing came, so nothing is answered
        QTRY_COMPARE(httpClosedBecause(server.server().metricsJson(), "idle_timeout"), 1);
    }

    void aSlowlorisGets408()
    {
        TestServer server(quickTimeouts());
        RawHttpClient client;
        QVERIFY(client.connectTo(server.server().port()));
        const QByteArray request = get("/health", "X-Slow: " + QByteArray(200, 's') + "\r\n");
        QElapsedTimer clock;
        clock.start();
        // One byte at a time, each on its own turn of the loop: the head never completes in time.
        for (qsizetype i = 0; i < request.size() && client.isConnected() && clock.elapsed() < 3000; ++i) {
            client.send(request.mid(i, 1));
            QTest::qWait(20); // the client's pace, not a synchronisation
        }
        const RawHttpClient::Response answer = client.readResponse();
        QCOMPARE(answer.status, 408);
        QVERIFY2(answer.json.value("message").toString().contains("HTTP_HEADER_TIMEOUT"), answer.body.constData());
        QVERIFY(client.waitForDisconnected(5000));
        QVERIFY2(clock.elapsed() < 2500, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(refusedBecause(server.server().metricsJson(), "header_timeout"), 1);
    }

    void aBodyThatNeverComesGets408()
    {
        TestServer server(quickTimeouts());
        RawHttpClient client;
        QVERIFY(client.connectTo(server.server().port()));
        client.send("POST /notify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    "Content-Length: 100\r\n\r\n{\"message\":");
        const RawHttpClient::Response answer = client.readResponse();
        QCOMPARE(answer.status, 408);
        QVERIFY2(answer.json.value("message").toString().contains("HTTP_BODY_TIMEOUT"), answer.body.constData());
        QCOMPARE(refusedBecause(server.server().metricsJson(), "body_timeout"), 1);
    }

    void keepAliveAndPipeliningWorkAndIdleConnectionsClose()
    {
        TestServer server(quickTimeouts());
        RawHttpClient client;
        QVERIFY(client.connectTo(server.server().port()));
        client.send(get("/health") + get("/nowhere") + get("/"));
        QCOMPARE(client.readResponse().status, 200);
        QCOMPARE(client.readResponse().status, 404);
        const RawHttpClient::Response third = client.readResponse();
        QCOMPARE(third.status, 200);
        QCOMPARE(third.json.value("service").toString(), QStringLiteral("herald"));
        QVERIFY(client.isConnected());
        client.send(get("/health")); // the same connection, kept alive
        QCOMPARE(client.readResponse().status, 200);
        QVERIFY(client.waitForDisconnected(5000)); // then idle past HTTP_KEEPALIVE_TIMEOUT
        QTRY_COMPARE(httpClosedBecause(server.server().metricsJson(), "keepalive_timeout"), 1);
    }

    void connectionCloseAndHttp10CloseAfterTheAnswer()
    {
        TestServer server;
        {
            RawHttpClient client;
            QVERIFY(client.connectTo(server.server().port()));
            client.send(get("/health", "Connection: close\r\n"));
            const RawHttpClient::Response answer = client.readResponse();
            QCOMPARE(answer.status, 200);
            QCOMPARE(answer.header("Connection"), QByteArray("close"));
            QVERIFY(client.waitForDisconnected(3000));
        }
        {
            RawHttpClient client;
            QVERIFY(client.connectTo(server.server().port()));
            client.send("GET /health HTTP/1.0\r\n\r\n");
            QCOMPARE(client.readResponse().status, 200);
            QVERIFY(client.waitForDisconnected(3000));
        }
        RawHttpClient client;
        QVERIFY(client.connectTo(server.server().port()));
        client.send("GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        const RawHttpClient::Response answer = client.readResponse();
        QCOMPARE(answer.status, 200);
        QCOMPARE(answer.header("Connection"), QByteArray("keep-alive"));
        client.send("GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        QCOMPARE(client.readResponse().status, 200);
    }

    void malformedRequestsGet400AndAClose_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<int>("status");
        QByteArray junk;
        for (int i = 0; i < 512; ++i)
            junk += char((i * 37 + 11) % 256);
        QTest::newRow("binary junk after the request line") << QByteArray("GET / HTTP/1.1\r\n" + junk) << 400;
        QTest::newRow("NUL bytes") << QByteArray(1024, '\0') << 400;
        QTest::newRow("no version") << QByteArray("GET /health\r\n\r\n") << 400;
        QTest::newRow("two spaces") << QByteArray("GET  /health HTTP/1.1\r\nHost: x\r\n\r\n") << 400;
        QTest::newRow("target without slash") << QByteArray("GET health HTTP/1.1\r\nHost: x\r\n\r\n") << 400;
        QTest::newRow("HTTP/2.0") << QByteArray("GET / HTTP/2.0\r\nHost: x\r\n\r\n") << 505;
        QTest::newRow("no Host") << QByteArray("GET / HTTP/1.1\r\n\r\n") << 400;
        QTest::newRow("two Hosts") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n") << 400;
        QTest::newRow("space before colon") << QByteArray("GET / HTTP/1.1\r\nHost : x\r\n\r\n") << 400;
        QTest::newRow("folded header") << QByteArray("GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n") << 400;
        QTest::newRow("two lengths") << QByteArray("POST /notify HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                                                   "Content-Length: 6\r\n\r\n")
                                     << 400;
        QTest::newRow("length and chunked") << QByteArray("POST /notify HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                                                          "Transfer-Encoding: chunked\r\n\r\n")
                                            << 400;
        QTest::newRow("gzip transfer coding")
            << QByteArray("POST /notify HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n") << 501;
        QTest::newRow("negative length") << QByteArray("POST /notify HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n")
                                         << 400;
        QTest::newRow("bad chunk size") << QByteArray("POST /notify HTTP/1.1\r\nHost: x\r\n"
                                                      "Transfer-Encoding: chunked\r\n\r\nzz\r\n")
                                        << 400;
    }

    void malformedRequestsGet400AndAClose()
    {
        QFETCH(QByteArray, request);
        QFETCH(int, status);
        TestServer server;
        RawHttpClient client;
        QVERIFY(client.connectTo(server.server().port()));
        client.send(request);
        const RawHttpClient::Response answer = client.readResponse();
        QCOMPARE(answer.status, status);
        QVERIFY2(!answer.json.value("message").toString().isEmpty(), answer.body.constData());
        QVERIFY(client.waitForDisconnected(3000));
    }

    void badWebSocketHandshakesAreRefusedNamingTheHeader_data()
    {
        QTest::addColumn<QByteArray>("headers");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("header");
        QTest::newRow("no key") << QByteArray("Sec-WebSocket-Version: 13\r\n") << 400 << "Sec-WebSocket-Key";
        QTest::newRow("empty key") << QByteArray("Sec-WebSocket-Key:\r\nSec-WebSocket-Version: 13\r\n") << 400
                                   << "Sec-WebSocket-Key";
        QTest::newRow("not base64") << QByteArray("Sec-WebSocket-Key: not-a-key!!\r\nSec-WebSocket-Version: 13\r\n")
                                    << 400 << "Sec-WebSocket-Key";
        QTest::newRow("8 bytes") << QByteArray("Sec-WebSocket-Key: AAAAAAAAAAA=\r\nSec-WebSocket-Version: 13\r\n")
                                 << 400 << "Sec-WebSocket-Key";
        QTest::newRow("no version") << QByteArray("Sec-WebSocket-Key: " + GoodKey.toByteArray() + "\r\n") << 400
                                    << "Sec-WebSocket-Version";
        QTest::newRow("version 8") << QByteArray("Sec-WebSocket-Key: " + GoodKey.toByteArray() +
                                                 "\r\nSec-WebSocket-Version: 8\r\n")
                                   << 426 << "Sec-WebSocket-Version";
    }

    void badWebSocketHandshakesAreRefusedNamingTheHeader()
    {
        QFETCH(QByteArray, headers);
        QFETCH(int, status);
        QFETCH(QString, header);
        TestServer server;
        RawHttpClient client;
        QVERIFY(client.connectTo(server.server().port()));
        client.send(upgrade(headers));
        const RawHttpClient::Response answer = client.readResponse();
        QCOMPARE(answer.status, status);
        QCOMPARE(answer.json.value("header").toString(), header);
        if (status == 426)
            QCOMPARE(answer.header("Sec-WebSocket-Version"), QByteArray("13"));
        QCOMPARE(server.server().clientCount(), 0);
        QCOMPARE(refusedBecause(server.server().metricsJson(), "bad_handshake"), 1);
    }

    void aGoodHandshakeGetsTheRfcAcceptKey()
    {
        TestServer server;
        RawHttpClient client;
        QVERIFY(client.connectTo(server.server().port()));
        client.send(upgrade("Sec-WebSocket-Key: " + GoodKey.toByteArray() + "\r\nSec-WebSocket-Version: 13\r\n"));
        const RawHttpClient::Response answer = client.readResponse();
        QCOMPARE(answer.status, 101);
        // The example of RFC 6455 section 1.3.
        QCOMPARE(answer.header("Sec-WebSocket-Accept"), QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
        QTRY_COMPARE(server.server().clientCount(), 1);
    }

    void everyConnectionCountsTowardsThePerAddressLimit()
    {
        Config config = TestServer::defaultConfig();
        config.maxConnectionsPerAddress = 3;
        TestServer server(config);
        RawHttpClient idle[2];
        for (RawHttpClient &connection : idle)
            QVERIFY(connection.connectTo(server.server().port()));
        TestClient webSocket;
        QVERIFY(webSocket.connectTo(server.webSocketUrl())); // the third
        RawWebSocketClient fourth;
        QCOMPARE(fourth.handshake(server.webSocketUrl()), 429);
        RawHttpClient plain;
        QVERIFY(plain.connectTo(server.server().port()));
        QCOMPARE(plain.readResponse().status, 429); // refused at accept, before it says anything
        idle[0].socket().abort();
        // Until the server has seen the abort, the health check itself is one too many and refused.
        int healthRefused = 0;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const int status = HttpClient().get(server.httpUrl("/health")).status;
                healthRefused += status == 429 ? 1 : 0;
                return status == 200;
            }(),
            5000);
        QCOMPARE(refusedBecause(server.server().metricsJson(), "max_connections_per_ip"), 2 + healthRefused);
    }

    void prometheusHasProcessMetricsKnownLabelsAtZeroAndShortNumbers()
    {
        TestServer server;
        const QByteArray text = HttpClient().get(server.httpUrl("/metrics/prometheus")).body;
        for (const char *metric : {"process_start_time_seconds ", "process_cpu_seconds_total ",
                                   "process_resident_memory_bytes ", "process_open_fds ", "process_max_fds "})
            QVERIFY2(text.contains(metric), metric);
        QVERIFY(text.contains("herald_connections_refused_total{reason=\"header_timeout\"} 0\n"));
        QVERIFY(text.contains("herald_connections_closed_total{reason=\"slow_consumer\"} 0\n"));
        QVERIFY(text.contains("herald_accept_errors_total{reason=\"descriptors_exhausted\"} 0\n"));
        QVERIFY(text.contains("le=\"0.0005\""));
        QVERIFY(!text.contains("00000000001"));
        const QList<QByteArray> lines = text.split('\n');
        for (const QByteArray &line : lines) {
            if (line.startsWith("process_resident_memory_bytes "))
                QVERIFY(line.split(' ').last().toDouble() > 1e6);
            if (line.startsWith("process_start_time_seconds "))
                QVERIFY(qAbs(line.split(' ').last().toDouble() - double(QDateTime::currentSecsSinceEpoch())) < 3600);
        }
    }

    void runningOutOfDescriptorsNeitherSpinsNorStopsAccepting()
    {
#ifdef HERALD_SANITIZED
        // UBSan reads an object's memory through a pipe it opens for its vptr check; with no descriptor left that
        // fails, it reports the object as invalid and stops the process. The plain build runs this test.
        QSKIP("UBSan's own checks need descriptors, which this test takes away from the server");
#endif
        QTemporaryDir directory;
        ServerProcess process;
        process.setDescriptorLimit(48);
        QVERIFY2(
            process.start(
                {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--host"), QStringLiteral("127.0.0.1")},
                {QStringLiteral("LOG_DIR=") + directory.path(), QStringLiteral("HTTP_HEADER_TIMEOUT=60")},
                directory.path()),
            qPrintable(process.output()));
        // More connections than the server has descriptors: those it cannot take wait in its backlog.
        std::vector<std::unique_ptr<RawHttpClient>> crowd;
        for (int i = 0; i < 80; ++i) {
            crowd.push_back(std::make_unique<RawHttpClient>());
            QVERIFY(crowd.back()->connectTo(process.port()));
        }
        QVERIFY2(process.waitForOutput(QStringLiteral("accept_failed"), 10000), qPrintable(process.output()));
        const double cpuBefore = process.cpuSeconds();
        QElapsedTimer window;
        window.start();
        QTest::qWait(1500); // a measurement window, not a synchronisation: a spinning server burns it all
        const double cpuShare = (process.cpuSeconds() - cpuBefore) / (double(window.elapsed()) / 1000.0);
        QVERIFY2(cpuShare < 0.3, qPrintable(QStringLiteral("CPU while out of descriptors: %1").arg(cpuShare)));
        QCOMPARE(process.output().count(QStringLiteral("accept_failed")), 1); // once per interval

        crowd.clear(); // descriptors free up: the server takes the backlog and answers again
        HttpClient http;
        HttpResult health;
        QTRY_VERIFY_WITH_TIMEOUT((health = http.get(process.httpUrl("/health"), 1000)).status == 200, 15000);
        const QJsonObject accept = http.get(process.httpUrl("/metrics"))
                                       .json.value("http_connections")
                                       .toObject()
                                       .value("accept_errors_by_reason")
                                       .toObject();
        const int failures = accept.value("descriptors_exhausted").toInt();
        QVERIFY2(failures >= 1, qPrintable(QString::number(failures)));
        process.signal(SIGTERM);
        QVERIFY(process.waitForExit(10000));
        QCOMPARE(process.exitCode(), 0);
    }
};

QTEST_MAIN(FrontDoorTest)
#include "tst_front_door.moc"
