#pragma once

#include <QByteArray>

namespace herald {

enum class ServerOpcode : quint8 { Text = 0x1, Binary = 0x2, Close = 0x8, Ping = 0x9, Pong = 0xA };

// One final, unmasked frame as a server sends it (RFC 6455 5.2), header and payload in one buffer. compressed:
// the payload is a permessage-deflate message's (RFC 7692), which RSV1 says.
QByteArray encodeServerFrame(ServerOpcode opcode, const QByteArray &payload, bool compressed = false);

} // namespace herald
