#include "ServerFrame.h"

#include <QtEndian>

namespace herald {

QByteArray encodeServerFrame(ServerOpcode opcode, const QByteArray &payload, bool compressed)
{
    constexpr quint8 FinalBit = 0x80;
    constexpr quint8 CompressedBit = 0x40; // RSV1
    const auto size = quint64(payload.size());
    QByteArray wire;
    wire.reserve(payload.size() + 10);
    wire.append(char(FinalBit | (compressed ? CompressedBit : 0) | quint8(opcode)));
    if (size < 126) {
        wire.append(char(size));
    } else if (size <= 0xffff) {
        wire.append(char(126));
        const quint16 length = qToBigEndian(quint16(size));
        wire.append(reinterpret_cast<const char *>(&length), sizeof length);
    } else {
        wire.append(char(127));
        const quint64 length = qToBigEndian(size);
        wire.append(reinterpret_cast<const char *>(&length), sizeof length);
    }
    wire.append(payload);
    return wire;
}

} // namespace herald
