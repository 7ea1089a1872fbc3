#include "EncodedMessage.h"

#include "eventstream/EventStreamFormat.h"
#include "notification/NotificationRequest.h"
#include "websocket/PerMessageDeflate.h"
#include "websocket/ServerFrame.h"

namespace herald {

EncodedMessage EncodedMessage::fromUtf8(const QByteArray &payload)
{
    EncodedMessage message;
    message.d = std::make_shared<Encodings>();
    message.d->webSocketFrame = encodeServerFrame(ServerOpcode::Text, payload);
    message.d->payloadSize = payload.size();
    return message;
}

EncodedMessage EncodedMessage::keptNotification(const QByteArray &payload)
{
    EncodedMessage message = fromUtf8(payload);
    message.d->kept = true;
    return message;
}

const QByteArray &EncodedMessage::compressedWebSocketFrame() const
{
    std::call_once(d->compressedMade, [this] {
        const QByteArray compressed = permessagedeflate::compress(payload());
        d->compressedWebSocketFrame = !compressed.isEmpty() && compressed.size() < d->payloadSize
                                          ? encodeServerFrame(ServerOpcode::Text, compressed, true)
                                          : d->webSocketFrame;
    });
    return d->compressedWebSocketFrame;
}

const QByteArray &EncodedMessage::eventStreamEvent() const
{
    std::call_once(d->eventStreamMade, [this] {
        const QByteArray payload = this->payload();
        d->eventStreamEvent = eventstream::dataEvent(payload);
        if (d->kept)
            d->position = NotificationRequest::positionOf(payload);
    });
    return d->eventStreamEvent;
}

const std::optional<NamedPosition> &EncodedMessage::position() const
{
    eventStreamEvent();
    return d->position;
}

} // namespace herald
