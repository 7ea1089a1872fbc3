// libFuzzer target: a text message from a WebSocket client, as ClientProtocol parses it, and the same bytes as a
// /ws?since= position.
#include "protocol/ClientMessage.h"
#include "protocol/StreamPosition.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const herald::ClientMessage message = herald::ClientMessage::parse(text);
    // An invalid message always says why: the client is answered with it.
    if (message.kind == herald::ClientMessage::Kind::Invalid && message.errorCode.isEmpty())
        __builtin_trap();
    // A subscribe's position and an ack's id are within their bounds.
    if (message.since && (message.since->offset > herald::StreamPosition::MaxOffset ||
                          !herald::StreamPosition::isValidEpoch(message.since->epoch)))
        __builtin_trap();
    if (message.kind == herald::ClientMessage::Kind::Ack &&
        (message.notificationId.isEmpty() ||
         message.notificationId.size() > herald::ClientMessage::MaxNotificationIdLength))
        __builtin_trap();
    // A position read from the right: whatever it accepts gives back a valid stream, offset and epoch.
    if (const auto position = herald::NamedPosition::parse(text)) {
        if (position->stream.isEmpty() || position->position.offset > herald::StreamPosition::MaxOffset ||
            !herald::StreamPosition::isValidEpoch(position->position.epoch))
            __builtin_trap();
    }
    return 0;
}
