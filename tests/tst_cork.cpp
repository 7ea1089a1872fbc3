// The cork (issue 18): what one turn of the loop gives a client leaves in one write when the turn ends, in
// order, and a client that is behind still gets everything once it reads. A WebSocketConnection on one end of
// a real socket pair (TcpClientStream: the same send and sendmsg calls as for a client), the test reading the
// other end; the stream counts the writes it was asked for.

#include "stream/Cork.h"
#include "stream/EncodedMessage.h"
#include "stream/TcpClientStream.h"
#include "websocket/ServerFrame.h"
#include "websocket/WebSocketConnection.h"

#include <QTest>

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace herald;

namespace {

// A TcpClientStream that counts the writes made through it.
class CountingStream final : public ClientStream
{
public:
    CountingStream(int descriptor, int *writes)
        : m_stream(descriptor)
        , m_writes(writes)
    {}
    void start(QObject *owner, Listener *listener) override { m_stream.start(owner, listener); }
    qint64 read(char *buffer, qint64 capacity) override { return m_stream.read(buffer, capacity); }
    qint64 write(const char *data, qint64 size) override
    {
        ++*m_writes;
        return m_stream.write(data, size);
    }
    qint64 writeFrames(const QByteArray *frames, qsizetype count, qsizetype offset) override
    {
        ++*m_writes;
        return m_stream.writeFrames(frames, count, offset);
    }
    void stopReading() override { m_stream.stopReading(); }
    void resumeReading() override { m_stream.resumeReading(); }
    void detach() override { m_stream.detach(); }
    void shutdownWrite() override { m_stream.shutdownWrite(); }
    void close() override { m_stream.close(); }
    void moveToThread(QThread *) override {}

private:
    TcpClientStream m_stream;
    int *m_writes;
};

// Everything waiting on the test's end of the pair, read until nothing more comes for a moment.
QByteArray readAvailable(int descriptor)
{
    QByteArray all;
    char buffer[65536];
    for (;;) {
        const ssize_t got = ::recv(descriptor, buffer, sizeof buffer, MSG_DONTWAIT);
        if (got <= 0)
            return all;
        all.append(buffer, qsizetype(got));
    }
}

// What the connection tells its owner: here only that it is gone.
class Gone final : public ClientConnection::Events
{
public:
    int count = 0;
    void textReceived(ClientConnection *, const QString &) override {}
    void binaryReceived(ClientConnection *, qsizetype) override {}
    void pongReceived(ClientConnection *) override {}
    void protocolViolated(ClientConnection *, quint16, const QString &) override {}
    void limitExceeded(ClientConnection *, ClientConnection::Overrun, const QString &) override {}
    void disconnected(ClientConnection *) override { ++count; }
};

QByteArray frameOf(const QByteArray &payload)
{
    return EncodedMessage::fromUtf8(payload).webSocketFrame();
}

} // namespace

class CorkTest : public QObject
{
    Q_OBJECT

    int m_ends[2] = {-1, -1};
    int m_writes = 0;
    Gone m_events;

    std::unique_ptr<WebSocketConnection> connectionOnPair(Cork *cork, int sendBufferBytes = 0)
    {
        cleanup();
        if (::socketpair(AF_UNIX, SOCK_STREAM, 0, m_ends) != 0)
            return nullptr;
        ::fcntl(m_ends[0], F_SETFL, ::fcntl(m_ends[0], F_GETFL) | O_NONBLOCK);
        if (sendBufferBytes > 0)
            ::setsockopt(m_ends[0], SOL_SOCKET, SO_SNDBUF, &sendBufferBytes, sizeof sendBufferBytes);
        m_writes = 0;
        UpgradedSocket socket;
        socket.stream = std::make_unique<CountingStream>(m_ends[0], &m_writes);
        socket.peer = QStringLiteral("pair:1");
        auto connection = std::make_unique<WebSocketConnection>(std::move(socket), ConnectionLimits{}, &m_events, cork);
        connection->start();
        return connection;
    }

private slots:
    void cleanup()
    {
        if (m_ends[1] >= 0)
            ::close(m_ends[1]);
        m_ends[0] = m_ends[1] = -1;
    }

    void framesOfOneTurnLeaveInOneWriteInOrder()
    {
        Cork cork;
        auto connection = connectionOnPair(&cork);
        QVERIFY(connection);
        const QList<QByteArray> frames{frameOf("first"), frameOf("second"), frameOf(QByteArray(300, 'x'))};
        for (const QByteArray &frame : frames)
            connection->sendFrame(frame);
        QCOMPARE(m_writes, 0); // held until the turn is over
        QCOMPARE(connection->queuedBytes(), frames[0].size() + frames[1].size() + frames[2].size());
        QTRY_COMPARE_WITH_TIMEOUT(m_writes, 1, 5000);
        QCOMPARE(readAvailable(m_ends[1]), frames[0] + frames[1] + frames[2]);
        QCOMPARE(connection->queuedBytes(), 0);
    }

    void aLoneFrameLeavesWhenTheTurnEnds()
    {
        Cork cork;
        auto connection = connectionOnPair(&cork);
        QVERIFY(connection);
        connection->sendFrame(frameOf("alone"));
        QCOMPARE(m_writes, 0);
        QTRY_COMPARE_WITH_TIMEOUT(m_writes, 1, 5000);
        QCOMPARE(readAvailable(m_ends[1]), frameOf("alone"));
        // The next turn's frame is a write of its own.
        connection->sendFrame(frameOf("later"));
        QTRY_COMPARE_WITH_TIMEOUT(m_writes, 2, 5000);
        QCOMPARE(readAvailable(m_ends[1]), frameOf("later"));
    }

    void withoutACorkEveryFrameIsWrittenAtOnce()
    {
        auto connection = connectionOnPair(nullptr);
        QVERIFY(connection);
        connection->sendFrame(frameOf("a"));
        connection->sendFrame(frameOf("b"));
        QCOMPARE(m_writes, 2);
        QCOMPARE(readAvailable(m_ends[1]), frameOf("a") + frameOf("b"));
    }

    void aClientBehindGetsEverythingOnceItReads()
    {
        Cork cork;
        auto connection = connectionOnPair(&cork, 4096);
        QVERIFY(connection);
        // Far more than the socket buffers take: the rest waits in the connection until the reader catches up.
        QByteArray expected;
        for (int i = 0; i < 200; ++i) {
            const QByteArray frame = frameOf(QByteArray::number(i) + QByteArray(1000, 'y'));
            expected += frame;
            connection->sendFrame(frame);
        }
        QByteArray received;
        QTRY_VERIFY_WITH_TIMEOUT((received += readAvailable(m_ends[1])).size() >= expected.size(), 10000);
        QCOMPARE(received, expected);
        QCOMPARE(connection->queuedBytes(), 0);
    }

    void aConnectionGoneBeforeTheTurnEndsIsNotUncorked()
    {
        Cork cork;
        {
            auto connection = connectionOnPair(&cork);
            QVERIFY(connection);
            connection->sendFrame(frameOf("never"));
        } // deleted while held
        auto other = connectionOnPair(&cork);
        other->sendFrame(frameOf("other"));
        QTRY_COMPARE_WITH_TIMEOUT(m_writes, 1, 5000);
        QCOMPARE(readAvailable(m_ends[1]), frameOf("other"));
    }

    void aCloseFollowsTheFramesHeldBeforeIt()
    {
        Cork cork;
        auto connection = connectionOnPair(&cork);
        QVERIFY(connection);
        connection->sendFrame(frameOf("last words"));
        connection->close(closecode::Normal, QStringLiteral("bye"));
        QTRY_COMPARE_WITH_TIMEOUT(m_writes, 1, 5000);
        const QByteArray received = readAvailable(m_ends[1]);
        QVERIFY(received.startsWith(frameOf("last words")));
        QCOMPARE(quint8(received.at(frameOf("last words").size())), quint8(0x88)); // FIN + close
    }

    void anAbortDropsWhatWasHeld()
    {
        Cork cork;
        auto connection = connectionOnPair(&cork);
        QVERIFY(connection);
        connection->sendFrame(frameOf("never sent"));
        connection->abort();
        QTRY_COMPARE_WITH_TIMEOUT(m_events.count, 1, 5000);
        QCOMPARE(m_writes, 0);
        QCOMPARE(readAvailable(m_ends[1]), QByteArray());
    }
};

QTEST_GUILESS_MAIN(CorkTest)
#include "tst_cork.moc"
