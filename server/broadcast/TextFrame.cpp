#include "TextFrame.h"

#include <QtEndian>

namespace herald {

TextFrame TextFrame::fromUtf8(const QByteArray &payload)
{
    constexpr char FinalTextFrame = char(0x81);
    const auto size = quint64(payload.size());
    QByteArray wire;
    wire.reserve(payload.size() + 10);
    wire.append(FinalTextFrame);
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
    return {wire, payload.size()};
}

} // namespace herald
