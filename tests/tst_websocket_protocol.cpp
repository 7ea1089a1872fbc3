#include "support/RawWebSocketClient.h"
#include "support/TestServer.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace herald;
using namespace herald::test;

namespace {

constexpr quint8 Fin = 0x80;
constexpr quint8 TextOp = 0x1, Continuation = 0x0, CloseOp = 0x8, PingOp = 0x9;
constexpr int CloseOpcode = 0x8, PongOpcode = 0xA, TextOpcode = 0x1;

QByteArray closePayload(quint16 code)
{
    return QByteArray(1, char(code >> 8)) + char(code & 0xff);
}

using Peer = RawWebSocketClient;

} // namespace

// RFC 6455 as Herald's WebSocket clients meet it, over raw sockets that can break the rules on purpose.
class WebSocketProtocolTest : public QObject
{
    Q_OBJECT
private slots:
    void violationsCloseWithTheCodeTheRfcNames_data()
    {
        QTest::addColumn<int>("workers");
        QTest::addColumn<QByteArray>("frames");
        QTest::addColumn<int>("code");
        const auto frame = &RawWebSocketClient::clientFrame;

        for (int workers : {1, 2}) {
            const QByteArray on = workers == 1 ? "" : ", worker thread";
            QTest::newRow("unmasked frame" + on) << workers << frame(Fin | TextOp, "{}", false) << 1002;
            QTest::newRow("bad opcode" + on) << workers << frame(Fin | 0x3, "{}", true) << 1002;
            QTest::newRow("invalid UTF-8 in text" + on) << workers << frame(Fin | TextOp, "\xc3\x28", true) << 1007;
            QTest::newRow("oversized control frame" + on)
                << workers << frame(Fin | PingOp, QByteArray(126, 'p'), true) << 1002;
            QTest::newRow("fragmented control frame" + on) << workers << frame(PingOp, "p", true) << 1002;
            QTest::newRow("message over MAX_MESSAGE_SIZE" + on)
                << workers << frame(Fin | TextOp, QByteArray(2049, ' '), true) << 1009;
        }
    }

    void violationsCloseWithTheCodeTheRfcNames()
    {
        QFETCH(int, workers);
        QFETCH(QByteArray, frames);
        QFETCH(int, code);
        Config config = TestServer::defaultConfig();
        config.workers = workers;
        config.maxMessageBytes = 2048;
        TestServer server(config);
        Peer client;
        QCOMPARE(client.handshake(server.webSocketUrl()), 101);
        QVERIFY(client.next(TextOpcode).payload.contains("welcome"));

        client.socket().write(frames);
        const RawWebSocketClient::Frame close = client.next(CloseOpcode);
        QCOMPARE(close.opcode, CloseOpcode);
        QCOMPARE(RawWebSocketClient::closeCode(close), code);
        QVERIFY(close.payload.size() > 2); // a reason a developer can read
        // The server does not wait for this client's close frame: it drops the connection.
        QVERIFY(client.waitForDisconnected(5000));
        QTRY_COMPARE(server.server().clientCount(), 0);
        const QJsonObject closed = server.server()
                                       .metricsJson()
                                       .value(QStringLiteral("connections"))
                                       .toObject()
                                       .value(QStringLiteral("closed_by_reason"))
                                       .toObject();
        QCOMPARE(closed.value(QStringLiteral("protocol_error")).toInt(), 1);
    }

    void clientCloseIsAnsweredThenTheServerCloses()
    {
        TestServer server;
        Peer client;
        QCOMPARE(client.handshake(server.webSocketUrl()), 101);
        QTRY_COMPARE(server.server().clientCount(), 1);
        client.socket().write(RawWebSocketClient::clientFrame(Fin | CloseOp, closePayload(4001)));
        const RawWebSocketClient::Frame close = client.next(CloseOpcode);
        QCOMPARE(RawWebSocketClient::closeCode(close), 4001);
        QVERIFY(client.waitForDisconnected(5000));
        QTRY_COMPARE(server.server().clientCount(), 0);
    }

    void pingIsAnsweredWithItsPayload()
    {
        TestServer server;
        Peer client;
        QCOMPARE(client.handshake(server.webSocketUrl()), 101);
        client.socket().write(RawWebSocketClient::clientFrame(Fin | PingOp, "are you there"));
        const RawWebSocketClient::Frame pong = client.next(PongOpcode);
        QCOMPARE(pong.payload, QByteArray("are you there"));
    }

    void fragmentedMessageIsOneMessage()
    {
        TestServer server;
        Peer client;
        QCOMPARE(client.handshake(server.webSocketUrl()), 101);
        QVERIFY(client.next(TextOpcode).payload.contains("welcome"));
        client.socket().write(RawWebSocketClient::clientFrame(TextOp, R"({"type":)") +
                              RawWebSocketClient::clientFrame(Fin | PingOp, "between") +
                              RawWebSocketClient::clientFrame(Fin | Continuation, R"("ping"})"));
        QCOMPARE(client.next(PongOpcode).payload, QByteArray("between"));
        const QJsonObject answer = QJsonDocument::fromJson(client.next(TextOpcode).payload).object();
        QCOMPARE(answer.value(QStringLiteral("type")).toString(), QStringLiteral("pong"));
    }

    void serverCloseWaitsForTheClientsAnswer()
    {
        Config config = TestServer::defaultConfig();
        config.shutdownTimeoutSeconds = 0;
        TestServer server(config);
        Peer client;
        QCOMPARE(client.handshake(server.webSocketUrl()), 101);
        QTRY_COMPARE(server.server().clientCount(), 1);
        server.server().shutdown(QStringLiteral("test"));
        const RawWebSocketClient::Frame close = client.next(CloseOpcode);
        QCOMPARE(RawWebSocketClient::closeCode(close), 1001);
        QCOMPARE(client.socket().state(), QAbstractSocket::ConnectedState); // the handshake is not over yet
        client.socket().write(RawWebSocketClient::clientFrame(Fin | CloseOp, closePayload(1001)));
        QVERIFY(client.waitForDisconnected(2000)); // well before the 3 s grace for clients that never answer
        QTRY_COMPARE(server.server().clientCount(), 0);
    }
};

QTEST_GUILESS_MAIN(WebSocketProtocolTest)
#include "tst_websocket_protocol.moc"
