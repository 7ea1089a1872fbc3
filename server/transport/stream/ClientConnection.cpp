#include "ClientConnection.h"

#include "protocol/Protocol.h"

#include <QTimer>

#include <array>

namespace herald {

namespace {
// A client past its outbound limit is not reading: its last words get a short chance to go out.
constexpr int SlowClientCloseTimeoutMs = 1000;
// A client closed for what it sent gets the time a close handshake gets.
constexpr int OverrunCloseTimeoutMs = 5000;
// After the last frame is out, how long what the client still sends is read and dropped, waiting for its end.
constexpr int LingerMs = 2000;
// One wake-up reads at most this much from one client, so that a fast sender cannot starve the others.
constexpr int ReadRoundsPerWakeUp = 4;
constexpr qsizetype ReadChunk = 64 * 1024;

// Shared by every connection of a thread: a connection keeps only the bytes of a frame split across reads.
char *readBuffer()
{
    static thread_local std::array<char, ReadChunk> buffer;
    return buffer.data();
}
} // namespace

ClientConnection::ClientConnection(UpgradedSocket socket, const ConnectionLimits &limits, Events *events, Cork *cork,
                                   QObject *parent)
    : QObject(parent)
    , m_events(events)
    , m_stream(std::move(socket.stream))
    , m_peer(std::move(socket.peer))
    , m_pendingInput(std::move(socket.pendingInput))
    , m_limits(limits)
    , m_cork(cork)
{}

ClientConnection::~ClientConnection()
{
    if (m_corkPlace >= 0)
        m_cork->forget(m_corkPlace);
}

void ClientConnection::start()
{
    if (m_started || m_state == State::Closed)
        return;
    m_started = true;
    m_stream->start(this, this);
    const QByteArray early = std::exchange(m_pendingInput, {});
    if (!early.isEmpty())
        received(early.constData(), early.size());
}

void ClientConnection::streamReadable()
{
    // While lingering (see linger()) the client's bytes are still read, only to be dropped.
    const auto reading = [this] {
        return m_state != State::Closed && (m_lingering || (!m_finishWhenWritten && listening()));
    };
    for (int round = 0; round < ReadRoundsPerWakeUp && reading(); ++round) {
        const qint64 got = m_stream->read(readBuffer(), ReadChunk);
        if (got > 0) {
            if (!m_lingering)
                received(readBuffer(), qsizetype(got));
            if (got < ReadChunk)
                return;
            continue;
        }
        if (got == 0)
            return;
        finish(); // end of stream, or the connection failed
        return;
    }
    // Once the connection is only waiting for its last frames to go out, whatever the client sends is not read.
    if (!reading() && m_state != State::Closed)
        m_stream->stopReading();
}

void ClientConnection::sendFrame(const QByteArray &frame)
{
    if (m_state == State::Closed || m_finishWhenWritten)
        return;
    m_queuedBytes += frame.size();
    if (m_cork && !m_backlogged && m_outbound.isEmpty() && m_soleFrame.isNull()) {
        // The turn's first frame for this client (usually its only one): held without a list to allocate.
        m_soleFrame = frame;
        if (m_corkPlace < 0)
            m_corkPlace = m_cork->hold(this);
        return;
    }
    if (!m_soleFrame.isNull())
        m_outbound.append(std::exchange(m_soleFrame, {}));
    m_outbound.append(frame);
    if (m_backlogged) {
        // The client is behind: its limits apply to what waits for it.
        if (m_state == State::Open && m_queuedBytes > m_limits.maxQueuedBytes)
            overrun(Overrun::TooSlow, QStringLiteral("%1: more than %2 bytes waiting")
                                          .arg(protocol::closereason::SlowConsumer)
                                          .arg(m_limits.maxQueuedBytes));
        else if (m_state == State::Open && m_outbound.size() > m_limits.maxQueuedMessages)
            overrun(Overrun::TooSlow, QStringLiteral("%1: more than %2 messages waiting")
                                          .arg(protocol::closereason::SlowConsumer)
                                          .arg(m_limits.maxQueuedMessages));
        return;
    }
    // A turn that gives one client a great many frames (a recovery's replay) sends them a write's worth at a time.
    if (!m_cork || m_outbound.size() >= ClientStream::MaxFramesPerWrite) {
        drain();
    } else if (m_corkPlace < 0) {
        m_corkPlace = m_cork->hold(this);
    }
}

void ClientConnection::uncork()
{
    m_corkPlace = -1;
    if (!m_backlogged)
        drain();
}

void ClientConnection::drain()
{
    if (!m_soleFrame.isNull() && m_state != State::Closed) {
        const QByteArray frame = std::exchange(m_soleFrame, {});
        const qint64 written = m_stream->write(frame.constData(), frame.size());
        if (written < 0) {
            finish();
            return;
        }
        m_queuedBytes -= written;
        if (written < frame.size()) {
            m_outbound.append(frame);
            m_outboundOffset = qsizetype(written);
            m_backlogged = true; // streamWritable() follows
            return;
        }
    }
    while (!m_outbound.isEmpty() && m_state != State::Closed) {
        const qsizetype count = std::min(m_outbound.size(), ClientStream::MaxFramesPerWrite);
        qint64 written = m_stream->writeFrames(m_outbound.constData(), count, m_outboundOffset);
        if (written < 0) {
            finish();
            return;
        }
        m_queuedBytes -= written;
        qsizetype sent = 0; // whole frames
        while (sent < count && written >= m_outbound.at(sent).size() - m_outboundOffset) {
            written -= m_outbound.at(sent).size() - m_outboundOffset;
            m_outboundOffset = 0;
            ++sent;
        }
        m_outboundOffset += qsizetype(written);
        m_outbound.remove(0, sent);
        if (sent < count) {
            m_backlogged = true; // streamWritable() follows
            return;
        }
    }
    m_backlogged = false;
    m_outbound = {}; // give the list's storage back while the client keeps up
    if (m_finishWhenWritten && m_state != State::Closed)
        linger();
}

void ClientConnection::streamWritable()
{
    drain();
}

void ClientConnection::abort()
{
    finish();
}

void ClientConnection::overrun(Overrun overrun, const QString &reason)
{
    m_events->limitExceeded(this, overrun, reason);
    // Frames held for the end of the turn (answers to what the client sent before its limit) go first.
    if (!m_backlogged)
        drain();
    if (m_state == State::Closed)
        return;
    // What the client has not read is dropped, except a frame it has begun to receive: the notice must follow
    // whole frames. The client gets the notice if it ever reads again; if not, the time-out ends the connection.
    if (m_outboundOffset > 0) {
        m_outbound.resize(1);
        m_queuedBytes = m_outbound.constFirst().size() - m_outboundOffset;
    } else {
        m_outbound.clear();
        m_queuedBytes = 0;
    }
    writeCloseNotice(protocol::close::PolicyViolation, reason);
    finishWhenWritten(overrun == Overrun::TooSlow ? SlowClientCloseTimeoutMs : OverrunCloseTimeoutMs);
}

void ClientConnection::finishWhenWritten(int timeoutMs)
{
    m_finishWhenWritten = true;
    if (m_outbound.isEmpty() && m_soleFrame.isNull()) {
        linger();
        return;
    }
    // A client that never reads; once the last frame is out, linger()'s own bound applies instead.
    QTimer::singleShot(timeoutMs, this, [this] {
        if (!m_lingering)
            abort();
    });
}

// The last frame is out: a FIN follows it, and what the client still sends is read and dropped until it closes
// too, or LingerMs pass. Closing at once with the client's bytes unread would make the kernel answer them with a
// reset, which can destroy the last frame before the client reads it: a client flooding past its message rate
// would never learn why it was closed.
void ClientConnection::linger()
{
    if (m_state == State::Closed || m_lingering)
        return;
    m_lingering = true;
    m_stream->shutdownWrite();
    m_stream->resumeReading();
    QTimer::singleShot(LingerMs, this, &ClientConnection::abort);
    streamReadable(); // what is waiting already; the end of the stream finishes the connection
}

void ClientConnection::finish()
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    m_stream->close();
    m_outbound.clear();
    m_soleFrame = {};
    m_queuedBytes = 0;
    if (m_corkPlace >= 0)
        m_cork->forget(std::exchange(m_corkPlace, -1));
    QMetaObject::invokeMethod(
        this, [this] { m_events->disconnected(this); }, Qt::QueuedConnection);
}

} // namespace herald
