// libFuzzer target: a text message from a WebSocket client, as ClientProtocol parses it.
#include "protocol/ClientMessage.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const herald::ClientMessage message = herald::ClientMessage::parse(text);
    // An invalid message always says why: the client is answered with it.
    if (message.kind == herald::ClientMessage::Kind::Invalid && message.errorCode.isEmpty())
        __builtin_trap();
    return 0;
}
