#pragma once

#include <QByteArray>
#include <QMetaType>

namespace herald {

// A WebSocket text message framed once (RFC 6455, final frame, unmasked as a server sends it), so that every
// recipient is handed the same bytes: a broadcast to N clients shares one buffer instead of converting and
// framing the message N times.
struct TextFrame {
    QByteArray wire;           // header and payload, ready for the socket
    qsizetype payloadSize = 0; // the message's own bytes, for the traffic counters

    // payload must be valid UTF-8 (Herald's JSON encoder produces nothing else).
    static TextFrame fromUtf8(const QByteArray &payload);
};

} // namespace herald
