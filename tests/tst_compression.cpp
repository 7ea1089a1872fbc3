#include "support/HttpClient.h"
#include "support/RawWebSocketClient.h"
#include "support/TestServer.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <zlib.h>

using namespace herald;
using namespace herald::test;

namespace {

constexpr quint8 Fin = 0x80, Rsv1 = 0x40;
constexpr quint8 TextOp = 0x1, Continuation = 0x0;
constexpr int TextOpcode = 0x1, CloseOpcode = 0x8;
const QByteArray BrowserOffer = "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n";

// A raw deflate stream made by zlib itself (qCompress: 4 bytes of length, the zlib header, the stream, the
// Adler-32), so that what the server inflates was not made by the server's own code. It ends with a final block,
// which RFC 7692 7.2.3.5 allows.
QByteArray deflated(const QByteArray &data)
{
    const QByteArray zlibStream = qCompress(data).mid(4);
    return zlibStream.mid(2, zlibStream.size() - 6);
}

// Inflates what the server sent as RFC 7692 7.2.2 says a client must: the payload, then 00 00 ff ff.
QByteArray inflated(const QByteArray &payload)
{
    z_stream stream{};
    if (inflateInit2(&stream, -15) != Z_OK)
        return {};
    QByteArray input = payload + QByteArray("\x00\x00\xff\xff", 4);
    QByteArray out(1 << 20, Qt::Uninitialized);
    stream.next_in = reinterpret_cast<Bytef *>(input.data());
    stream.avail_in = uInt(input.size());
    stream.next_out = reinterpret_cast<Bytef *>(out.data());
    stream.avail_out = uInt(out.size());
    const int status = inflate(&stream, Z_SYNC_FLUSH);
    out.truncate(out.size() - qsizetype(stream.avail_out));
    inflateEnd(&stream);
    return status == Z_OK && stream.avail_in == 0 ? out : QByteArray();
}

// A realistic notification body of about 4 KB: JSON records that repeat their keys, as an order feed does.
QJsonObject largeNotification(const QString &message)
{
    QJsonObject data;
    for (int i = 0; i < 60; ++i)
        data.insert(QStringLiteral("item%1").arg(i), QJsonObject{{"sku", QStringLiteral("SKU-%1").arg(1000 + i * 7)},
                                                                 {"quantity", i % 5 + 1},
                                                                 {"status", i % 2 ? "shipped" : "packed"}});
    return {{"message", message}, {"data", data}};
}

// A raw client that reads what permessage-deflate agreed and inflates what the server compressed.
class Peer : public RawWebSocketClient
{
public:
    // The next text frame as JSON, inflated if it came compressed.
    QJsonObject nextMessage(bool *wasCompressed = nullptr)
    {
        const Frame frame = next(TextOpcode);
        if (wasCompressed)
            *wasCompressed = frame.compressed;
        return QJsonDocument::fromJson(frame.compressed ? inflated(frame.payload) : frame.payload).object();
    }
    QByteArray agreedExtensions() const
    {
        for (const QByteArray &line : responseHead().split('\n'))
            if (line.toLower().startsWith("sec-websocket-extensions:"))
                return line.mid(line.indexOf(':') + 1).trimmed();
        return {};
    }
};

void publish(HttpClient &http, const TestServer &server, const QJsonObject &notification)
{
    QCOMPARE(http.post(server.httpUrl("/notify"), QJsonDocument(notification).toJson(QJsonDocument::Compact)).status,
             200);
}

} // namespace

// permessage-deflate (RFC 7692) between the real server and raw clients that can break the rules on purpose.
class CompressionTest : public QObject
{
    Q_OBJECT
private slots:
    void negotiatesOnlyWhatItCanKeep_data()
    {
        QTest::addColumn<QByteArray>("offer");
        QTest::addColumn<bool>("agreed");
        QTest::newRow("a browser's offer") << QByteArray("permessage-deflate; client_max_window_bits") << true;
        QTest::newRow("bare") << QByteArray("permessage-deflate") << true;
        QTest::newRow("both no_context_takeover")
            << QByteArray("permessage-deflate; server_no_context_takeover; client_no_context_takeover") << true;
        QTest::newRow("full server window, quoted client window")
            << QByteArray("permessage-deflate; server_max_window_bits=15; client_max_window_bits=\"10\"") << true;
        QTest::newRow("second offer acceptable")
            << QByteArray("x-webkit-deflate-frame, permessage-deflate; server_max_window_bits=9, "
                          "permessage-deflate")
            << true;
        QTest::newRow("another extension only") << QByteArray("x-webkit-deflate-frame") << false;
        QTest::newRow("smaller server window") << QByteArray("permessage-deflate; server_max_window_bits=10") << false;
        QTest::newRow("server window without a value")
            << QByteArray("permessage-deflate; server_max_window_bits") << false;
        QTest::newRow("window out of range") << QByteArray("permessage-deflate; client_max_window_bits=16") << false;
        QTest::newRow("leading zero") << QByteArray("permessage-deflate; client_max_window_bits=09") << false;
        QTest::newRow("unknown parameter") << QByteArray("permessage-deflate; level=9") << false;
        QTest::newRow("parameter twice")
            << QByteArray("permessage-deflate; client_no_context_takeover; client_no_context_takeover") << false;
        QTest::newRow("takeover with a value")
            << QByteArray("permessage-deflate; server_no_context_takeover=1") << false;
    }
    void negotiatesOnlyWhatItCanKeep()
    {
        QFETCH(QByteArray, offer);
        QFETCH(bool, agreed);
        TestServer server;
        Peer client;
        QCOMPARE(client.handshake(server.webSocketUrl(), 5000, "Sec-WebSocket-Extensions: " + offer + "\r\n"), 101);
        QCOMPARE(client.agreedExtensions(),
                 agreed ? QByteArray("permessage-deflate; server_no_context_takeover; client_no_context_takeover")
                        : QByteArray());
        QVERIFY(client.nextMessage().contains(QStringLiteral("client_id"))); // served either way
    }

    void compressionOffNegotiatesNothing()
    {
        Config config = TestServer::defaultConfig();
        config.compression = false;
        TestServer server(config);
        Peer client;
        QCOMPARE(client.handshake(server.webSocketUrl(), 5000, BrowserOffer), 101);
        QVERIFY(client.agreedExtensions().isEmpty());
        QVERIFY(client.nextMessage().contains(QStringLiteral("client_id")));
        HttpClient http;
        publish(http, server, largeNotification(QStringLiteral("plain")));
        bool compressed = true;
        QCOMPARE(client.nextMessage(&compressed).value(QStringLiteral("message")).toString(), QStringLiteral("plain"));
        QVERIFY(!compressed);
    }

    // One compression for every client that agreed: the same bytes reach each of them, and the client that did not
    // agree gets the plain frame; a message below COMPRESSION_MIN_SIZE goes plain to everyone.
    void aBroadcastIsCompressedOnceForEveryClientThatAgreed()
    {
        Config config = TestServer::defaultConfig();
        config.workers = 2; // the two compressed clients on different threads share the one compression
        TestServer server(config);
        Peer first, second, plain;
        QCOMPARE(first.handshake(server.webSocketUrl(), 5000, BrowserOffer), 101);
        QCOMPARE(second.handshake(server.webSocketUrl(), 5000, BrowserOffer), 101);
        QCOMPARE(plain.handshake(server.webSocketUrl()), 101);
        bool compressed = true;
        QVERIFY(first.nextMessage(&compressed).contains(QStringLiteral("client_id")));
        QVERIFY(!compressed); // the welcome is smaller than 1 KB
        QVERIFY(second.nextMessage().contains(QStringLiteral("client_id")));
        QVERIFY(plain.nextMessage().contains(QStringLiteral("client_id")));

        HttpClient http;
        const QJsonObject notification = largeNotification(QStringLiteral("stock update"));
        publish(http, server, notification);
        const RawWebSocketClient::Frame a = first.next(TextOpcode);
        const RawWebSocketClient::Frame b = second.next(TextOpcode);
        const RawWebSocketClient::Frame c = plain.next(TextOpcode);
        QVERIFY(a.compressed);
        QVERIFY(b.compressed);
        QVERIFY(!c.compressed);
        QCOMPARE(a.payload, b.payload);
        QCOMPARE(inflated(a.payload), c.payload);
        QVERIFY2(a.payload.size() * 4 < c.payload.size(),
                 qPrintable(QStringLiteral("%1 compressed of %2").arg(a.payload.size()).arg(c.payload.size())));
        QCOMPARE(QJsonDocument::fromJson(c.payload).object().value(QStringLiteral("data")),
                 notification.value(QStringLiteral("data")));

        publish(http, server, {{"message", "short"}});
        QCOMPARE(first.nextMessage(&compressed).value(QStringLiteral("message")).toString(), QStringLiteral("short"));
        QVERIFY(!compressed);
    }

    // What the client compresses is inflated: whole, in fragments, or ending with a final block.
    void aClientsCompressedMessagesAreUnderstood()
    {
        TestServer server;
        Peer client;
        QCOMPARE(client.handshake(server.webSocketUrl(), 5000, BrowserOffer), 101);
        QVERIFY(client.nextMessage().contains(QStringLiteral("client_id")));

        const QByteArray subscribe = R"({"type":"subscribe","channel":"orders"})";
        client.socket().write(RawWebSocketClient::clientFrame(Fin | Rsv1 | TextOp, deflated(subscribe)));
        QCOMPARE(client.nextMessage().value(QStringLiteral("type")).toString(), QStringLiteral("subscribed"));

        const QByteArray fragments = deflated(R"({"type":"subscribe","channel":"invoices"})");
        client.socket().write(RawWebSocketClient::clientFrame(Rsv1 | TextOp, fragments.left(7)) +
                              RawWebSocketClient::clientFrame(Fin | Continuation, fragments.mid(7)));
        const QJsonObject answer = client.nextMessage();
        QCOMPARE(answer.value(QStringLiteral("type")).toString(), QStringLiteral("subscribed"));
        QCOMPARE(answer.value(QStringLiteral("channel")).toString(), QStringLiteral("invoices"));
        QCOMPARE(server.server().clientCount(), 1);
    }

    void brokenCompressedMessagesClose_data()
    {
        QTest::addColumn<bool>("agreed");
        QTest::addColumn<QByteArray>("frames");
        QTest::addColumn<int>("code");
        // 1 MB of spaces is ~1 KB deflated: under MAX_MESSAGE_SIZE on the wire, far past it inflated.
        QTest::newRow("inflates past MAX_MESSAGE_SIZE")
            << true << RawWebSocketClient::clientFrame(Fin | Rsv1 | TextOp, deflated(QByteArray(1 << 20, ' '))) << 1009;
        QTest::newRow("not deflate data")
            << true << RawWebSocketClient::clientFrame(Fin | Rsv1 | TextOp, QByteArray("\xff\xff\xff\xff", 4)) << 1007;
        QTest::newRow("inflates to invalid UTF-8")
            << true << RawWebSocketClient::clientFrame(Fin | Rsv1 | TextOp, deflated("\xc3\x28")) << 1007;
        QTest::newRow("RSV1 on a continuation") << true
                                                << RawWebSocketClient::clientFrame(TextOp, "{") +
                                                       RawWebSocketClient::clientFrame(Fin | Rsv1 | Continuation, "}")
                                                << 1002;
        QTest::newRow("RSV1 on a ping") << true << RawWebSocketClient::clientFrame(Fin | Rsv1 | 0x9, "p") << 1002;
        QTest::newRow("RSV1 without the extension")
            << false << RawWebSocketClient::clientFrame(Fin | Rsv1 | TextOp, deflated("{}")) << 1002;
    }
    void brokenCompressedMessagesClose()
    {
        QFETCH(bool, agreed);
        QFETCH(QByteArray, frames);
        QFETCH(int, code);
        TestServer server;
        Peer client;
        QCOMPARE(client.handshake(server.webSocketUrl(), 5000, agreed ? BrowserOffer : QByteArray()), 101);
        QCOMPARE(client.agreedExtensions().isEmpty(), !agreed);
        QVERIFY(client.nextMessage().contains(QStringLiteral("client_id")));
        client.socket().write(frames);
        const RawWebSocketClient::Frame close = client.next(CloseOpcode);
        QCOMPARE(close.opcode, CloseOpcode);
        QCOMPARE(RawWebSocketClient::closeCode(close), code);
        QVERIFY(client.waitForDisconnected(5000));
        QTRY_COMPARE(server.server().clientCount(), 0);
    }
};

QTEST_GUILESS_MAIN(CompressionTest)
#include "tst_compression.moc"
