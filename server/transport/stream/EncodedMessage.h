#pragma once

#include "protocol/StreamPosition.h"

#include <QByteArray>
#include <QMetaType>
#include <memory>
#include <mutex>
#include <optional>

namespace herald {

// A message to clients, encoded once for each way a client is reached, so that every recipient is handed the same
// bytes: a broadcast to N clients shares one buffer per encoding instead of converting and framing the message N
// times. The WebSocket text frame is made at once; the encodings only some clients need are made by whichever
// thread first asks for them, once, and kept with the message for every other recipient (and for the history,
// which keeps messages).
class EncodedMessage
{
public:
    EncodedMessage() = default;
    // payload: valid UTF-8 without raw line breaks (Herald's JSON encoder produces nothing else).
    static EncodedMessage fromUtf8(const QByteArray &payload);
    // A kept notification: its position (see NotificationRequest::withPosition) is what an event stream's id says.
    static EncodedMessage keptNotification(const QByteArray &payload);

    bool isNull() const { return d == nullptr; }
    // Header and payload of a final, unmasked text frame (RFC 6455), ready for the socket.
    const QByteArray &webSocketFrame() const { return d->webSocketFrame; }
    // The message's own bytes, for the traffic counters.
    qsizetype payloadSize() const { return d->payloadSize; }
    QByteArray payload() const { return d->webSocketFrame.right(d->payloadSize); }

    // The text frame compressed for a client that agreed on permessage-deflate (RFC 7692, no context takeover),
    // or webSocketFrame() itself when compression would not make it smaller.
    const QByteArray &compressedWebSocketFrame() const;
    // The message as one server-sent event without an id ("data: <payload>\n\n").
    const QByteArray &eventStreamEvent() const;
    // Where a kept notification stands in its stream; nullopt for every other message.
    const std::optional<NamedPosition> &position() const;

private:
    struct Encodings {
        QByteArray webSocketFrame;
        qsizetype payloadSize = 0;
        bool kept = false;

        std::once_flag compressedMade;
        QByteArray compressedWebSocketFrame;

        std::once_flag eventStreamMade;
        QByteArray eventStreamEvent;
        std::optional<NamedPosition> position;
    };
    std::shared_ptr<Encodings> d;
};

} // namespace herald
