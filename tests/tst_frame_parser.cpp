#include "support/RawWebSocketClient.h"
#include "websocket/FrameParser.h"
#include "websocket/PerMessageDeflate.h"

#include <QRandomGenerator>

#include <QTest>

using namespace herald;
using herald::test::RawWebSocketClient;

namespace {

// Records what the parser reports, one line per event, so a case compares a single list.
class RecordingSink : public FrameParser::Sink
{
public:
    QStringList events;

    void textMessage(const QString &text) override { events << QStringLiteral("text:") + text; }
    void binaryMessage(const QByteArray &data) override { events << QStringLiteral("binary:%1").arg(data.size()); }
    void ping(const QByteArray &payload) override { events << QStringLiteral("ping:") + QString::fromUtf8(payload); }
    void pong() override { events << QStringLiteral("pong"); }
    void closeFrame(quint16 code, const QString &reason) override
    {
        events << QStringLiteral("close:%1:%2").arg(code).arg(reason);
    }
    void violation(quint16 code, const QString &) override { events << QStringLiteral("violation:%1").arg(code); }
};

constexpr quint8 Fin = 0x80;
constexpr quint8 TextOp = 0x1, BinaryOp = 0x2, Continuation = 0x0, CloseOp = 0x8, PingOp = 0x9, PongOp = 0xA;

QByteArray frame(quint8 first, const QByteArray &payload, bool masked = true)
{
    return RawWebSocketClient::clientFrame(first, payload, masked);
}

QByteArray closePayload(quint16 code, const QByteArray &reason = {})
{
    return QByteArray(1, char(code >> 8)) + char(code & 0xff) + reason;
}

} // namespace

class FrameParserTest : public QObject
{
    Q_OBJECT
private slots:
    void parsesWhatAClientSends_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QStringList>("expected");

        QTest::newRow("text") << frame(Fin | TextOp, "hello") << QStringList{"text:hello"};
        QTest::newRow("empty text") << frame(Fin | TextOp, {}) << QStringList{"text:"};
        QTest::newRow("binary") << frame(Fin | BinaryOp, QByteArray(300, 'x')) << QStringList{"binary:300"};
        QTest::newRow("16-bit length") << frame(Fin | TextOp, QByteArray(1000, 'a'))
                                       << QStringList{"text:" + QString(1000, 'a')};
        QTest::newRow("64-bit length") << frame(Fin | TextOp, QByteArray(70000, 'b'))
                                       << QStringList{"text:" + QString(70000, 'b')};
        QTest::newRow("fragments with a ping between")
            << frame(TextOp, "hel") + frame(Fin | PingOp, "p") + frame(Continuation, "lo ") +
                   frame(Fin | Continuation, "world")
            << QStringList{"ping:p", "text:hello world"};
        QTest::newRow("two messages in one read")
            << frame(Fin | TextOp, "a") + frame(Fin | TextOp, "b") << QStringList{"text:a", "text:b"};
        QTest::newRow("multi-byte UTF-8") << frame(Fin | TextOp, "h\xc3\xa9llo \xf0\x9f\x91\x8b")
                                          << QStringList{QStringLiteral("text:h\u00e9llo \U0001F44B")};
        QTest::newRow("pong") << frame(Fin | PongOp, {}) << QStringList{"pong"};
        QTest::newRow("close with code and reason")
            << frame(Fin | CloseOp, closePayload(1000, "bye")) << QStringList{"close:1000:bye"};
        QTest::newRow("close without code") << frame(Fin | CloseOp, {}) << QStringList{"close:1005:"};
        QTest::newRow("private close code") << frame(Fin | CloseOp, closePayload(4000)) << QStringList{"close:4000:"};
    }

    void parsesWhatAClientSends()
    {
        QFETCH(QByteArray, input);
        QFETCH(QStringList, expected);
        RecordingSink whole;
        FrameParser(1 << 20).feed(input.constData(), input.size(), whole);
        QCOMPARE(whole.events, expected);

        // The same bytes one at a time, as a slow network may deliver them.
        RecordingSink trickled;
        FrameParser parser(1 << 20);
        for (char byte : std::as_const(input))
            parser.feed(&byte, 1, trickled);
        QCOMPARE(trickled.events, expected);
    }

    void refusesWhatTheRfcForbids_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<int>("code");

        QTest::newRow("unmasked frame") << frame(Fin | TextOp, "hi", false) << 1002;
        QTest::newRow("reserved bit") << frame(Fin | 0x40 | TextOp, "hi") << 1002;
        QTest::newRow("unknown data opcode") << frame(Fin | 0x3, "hi") << 1002;
        QTest::newRow("unknown control opcode") << frame(Fin | 0xB, {}) << 1002;
        QTest::newRow("fragmented control frame") << frame(PingOp, "p") << 1002;
        QTest::newRow("oversized control frame") << frame(Fin | PingOp, QByteArray(126, 'p')) << 1002;
        QTest::newRow("continuation without a message") << frame(Fin | Continuation, "x") << 1002;
        QTest::newRow("new message inside a fragmented one") << frame(TextOp, "a") + frame(Fin | TextOp, "b") << 1002;
        QTest::newRow("invalid UTF-8") << frame(Fin | TextOp, "\xff\xfe") << 1007;
        QTest::newRow("overlong UTF-8") << frame(Fin | TextOp, "\xc0\xaf") << 1007;
        QTest::newRow("UTF-8 surrogate") << frame(Fin | TextOp, "\xed\xa0\x80") << 1007;
        QTest::newRow("truncated UTF-8") << frame(Fin | TextOp, "\xe2\x82") << 1007;
        QTest::newRow("beyond U+10FFFF") << frame(Fin | TextOp, "\xf4\x90\x80\x80") << 1007;
        QTest::newRow("UTF-8 split across fragments, then invalid")
            << frame(TextOp, "\xe2\x82") + frame(Fin | Continuation, "\x28") << 1007;
        QTest::newRow("message too big") << frame(Fin | TextOp, QByteArray(1025, 'x')) << 1009;
        QTest::newRow("fragments too big together")
            << frame(TextOp, QByteArray(600, 'x')) + frame(Fin | Continuation, QByteArray(600, 'x')) << 1009;
        QTest::newRow("close with one byte") << frame(Fin | CloseOp, QByteArray(1, '\x03')) << 1002;
        QTest::newRow("close code 1005 on the wire") << frame(Fin | CloseOp, closePayload(1005)) << 1002;
        QTest::newRow("close code 999") << frame(Fin | CloseOp, closePayload(999)) << 1002;
        QTest::newRow("close code 2000") << frame(Fin | CloseOp, closePayload(2000)) << 1002;
        QTest::newRow("close reason not UTF-8") << frame(Fin | CloseOp, closePayload(1000, "\xff")) << 1007;
        QByteArray hugeLength("\x81\xff\x80\x00\x00\x00\x00\x00\x00\x00", 10); // top bit of the 64-bit length
        QTest::newRow("length with its top bit set") << hugeLength + QByteArray(4, '\0') << 1002;
    }

    void refusesWhatTheRfcForbids()
    {
        QFETCH(QByteArray, input);
        QFETCH(int, code);
        RecordingSink sink;
        FrameParser parser(1024);
        // A valid message after the violation must not be reported: the stream is over.
        const QByteArray stream = input + frame(Fin | TextOp, "after");
        parser.feed(stream.constData(), stream.size(), sink);
        QCOMPARE(sink.events, QStringList{QStringLiteral("violation:%1").arg(code)});
        QVERIFY(parser.failed());
    }

    void messageLimitCountsPayloadNotHeaders()
    {
        RecordingSink sink;
        FrameParser parser(1024);
        const QByteArray exact = frame(Fin | TextOp, QByteArray(1024, 'x'));
        parser.feed(exact.constData(), exact.size(), sink);
        QCOMPARE(sink.events.size(), 1);
        QVERIFY(sink.events.first().startsWith(QStringLiteral("text:xxx")));
    }

    // permessage-deflate agreed: a compressed message (RSV1) is inflated, within the same limit as any message.
    void inflatesCompressedMessagesWithinTheSameLimit()
    {
        constexpr quint8 Rsv1 = 0x40;
        const QByteArray exact = permessagedeflate::compress(QByteArray(1024, 'x'));
        const QByteArray over = permessagedeflate::compress(QByteArray(1025, 'x'));
        QVERIFY(!exact.isEmpty() && exact.size() < 64);
        const QByteArray stream = frame(Fin | Rsv1 | TextOp, exact) + frame(Fin | TextOp, "plain") +
                                  frame(Rsv1 | BinaryOp, exact.left(3)) + frame(Fin | Continuation, exact.mid(3)) +
                                  frame(Fin | Rsv1 | TextOp, over);
        const QStringList expected{"text:" + QString(1024, 'x'), "text:plain", "binary:1024", "violation:1009"};
        RecordingSink whole;
        FrameParser(1024, true).feed(stream.constData(), stream.size(), whole);
        QCOMPARE(whole.events, expected);
        RecordingSink trickled;
        FrameParser parser(1024, true);
        for (char byte : stream)
            parser.feed(&byte, 1, trickled);
        QCOMPARE(trickled.events, expected);

        RecordingSink unagreed;
        const QByteArray compressed = frame(Fin | Rsv1 | TextOp, exact);
        FrameParser(1024).feed(compressed.constData(), compressed.size(), unagreed);
        QCOMPARE(unagreed.events, QStringList{"violation:1002"});
    }

    void compressionRoundTrips()
    {
        QByteArray random(100000, Qt::Uninitialized);
        QRandomGenerator generator(7);
        for (char &byte : random)
            byte = char(generator.bounded(256));
        for (const QByteArray &message : {QByteArray(), QByteArray("{}"), QByteArray(70000, 'a'), random}) {
            const QByteArray compressed = permessagedeflate::compress(message);
            QVERIFY(!compressed.isEmpty());
            QByteArray back;
            QCOMPARE(permessagedeflate::decompress(compressed, message.size(), &back),
                     permessagedeflate::Inflated::Whole);
            QCOMPARE(back, message);
            if (!message.isEmpty())
                QCOMPARE(permessagedeflate::decompress(compressed, message.size() - 1, &back),
                         permessagedeflate::Inflated::TooLarge);
        }
    }
};

QTEST_APPLESS_MAIN(FrameParserTest)
#include "tst_frame_parser.moc"
