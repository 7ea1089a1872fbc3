#include "EventStreamConnection.h"

#include "EventStreamFormat.h"
#include "stream/EncodedMessage.h"

namespace herald {

namespace {
// How long the last events may take to reach a client that reads slowly before the connection is dropped.
constexpr int CloseTimeoutMs = 5000;
} // namespace

EventStreamConnection::EventStreamConnection(UpgradedSocket socket, const ConnectionLimits &limits, Events *events,
                                             Cork *cork, QObject *parent)
    : ClientConnection(std::move(socket), limits, events, cork, parent)
{}

void EventStreamConnection::sendMessage(const EncodedMessage &message)
{
    const QByteArray &event = message.eventStreamEvent();
    if (const std::optional<NamedPosition> &position = message.position())
        note(*position);
    if (!std::exchange(m_idChanged, false)) {
        sendFrame(event); // the bytes every recipient shares
        return;
    }
    // The id is this client's: its positions in all of its streams, so that one Last-Event-ID recovers each.
    sendFrame(eventstream::idLine(m_positions) + event);
}

void EventStreamConnection::sendPing()
{
    if (state() == State::Open)
        sendFrame(eventstream::heartbeat());
}

void EventStreamConnection::close(quint16 code, const QString &reason)
{
    if (state() != State::Open)
        return;
    writeCloseNotice(code, reason);
    finishWhenWritten(CloseTimeoutMs);
}

void EventStreamConnection::writeCloseNotice(quint16 code, const QString &reason)
{
    setClosing();
    sendFrame(eventstream::closeEvent(code, reason));
}

void EventStreamConnection::notePositions(const QList<NamedPosition> &positions)
{
    for (const NamedPosition &named : positions)
        note(named);
}

void EventStreamConnection::note(const NamedPosition &named)
{
    for (NamedPosition &known : m_positions) {
        if (known.stream == named.stream) {
            // Never back: a recovery's answer may name a position the notifications after it have passed.
            if (known.position.epoch == named.position.epoch && known.position.offset >= named.position.offset)
                return;
            known.position = named.position;
            m_idChanged = true;
            return;
        }
    }
    m_positions.append(named);
    m_idChanged = true;
}

} // namespace herald
