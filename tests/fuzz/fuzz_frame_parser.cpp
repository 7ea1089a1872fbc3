// libFuzzer target: arbitrary bytes from a WebSocket client, fed to FrameParser in pieces of varying size, with
// and without permessage-deflate.
#include "websocket/FrameParser.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace {
class DiscardingSink : public herald::FrameParser::Sink
{
public:
    void textMessage(const QString &text) override { total += text.size(); }
    void binaryMessage(const QByteArray &data) override { total += data.size(); }
    void ping(const QByteArray &payload) override { total += payload.size(); }
    void pong() override { ++total; }
    void closeFrame(quint16 code, const QString &reason) override { total += code + reason.size(); }
    void violation(quint16 code, const QString &reason) override { total += code + reason.size(); }
    qsizetype total = 0;
};
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    // The first byte chooses how the rest is split across reads, as a network would split it, and (its top bit)
    // whether permessage-deflate was agreed, so that compressed messages are inflated.
    const size_t chunk = size_t(data[0] % 64) + 1;
    herald::FrameParser parser(4096, (data[0] & 0x80) != 0);
    DiscardingSink sink;
    for (size_t at = 1; at < size; at += chunk) {
        const size_t length = std::min(chunk, size - at);
        parser.feed(reinterpret_cast<const char *>(data + at), qsizetype(length), sink);
    }
    return 0;
}
