// libFuzzer target: arbitrary bytes from an HTTP client, fed to HttpRequestParser in pieces of varying size.
// Besides memory errors it checks two properties: the limits hold (no head, header count or body beyond them),
// and the parser's verdicts do not depend on how the network split the bytes. Each complete request's
// Sec-WebSocket-Extensions goes through the permessage-deflate offer parser too.
#include "http/HttpRequestParser.h"
#include "http/WebSocketHandshake.h"

#include <QList>
#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace {

const herald::HttpLimits Limits{512, 16, 1024};

// What the parser decided, request by request, for a comparison between two ways of splitting the input.
QList<QByteArray> verdicts(const char *data, size_t size, size_t chunk)
{
    herald::HttpRequestParser parser(Limits);
    QList<QByteArray> trace;
    QByteArray pending;
    for (size_t at = 0; at < size || !pending.isEmpty();) {
        if (pending.isEmpty()) {
            const size_t length = std::min(chunk, size - at);
            pending = QByteArray(data + at, qsizetype(length));
            at += length;
        }
        qsizetype consumed = 0;
        const auto event = parser.feed(pending.constData(), pending.size(), &consumed);
        if (consumed < 0 || consumed > pending.size())
            __builtin_trap();
        pending.remove(0, consumed);
        const herald::HttpRequest &request = parser.request();
        if (request.headers.size() > Limits.maxHeaderCount || request.body.size() > Limits.maxBodyBytes)
            __builtin_trap();
        if (event == herald::HttpRequestParser::Event::RequestComplete) {
            trace.append(request.method + ' ' + request.target + ' ' + QByteArray::number(request.headers.size()) +
                         ' ' + request.body + (herald::WebSocketHandshake::offersCompression(request) ? "+" : "-"));
            parser.reset();
        } else if (event == herald::HttpRequestParser::Event::Failed) {
            trace.append(QByteArray::number(parser.refusal().status) + parser.refusal().reason.toUtf8());
            break;
        } else if (event == herald::HttpRequestParser::Event::HeadComplete) {
            trace.append("head");
        } else if (!pending.isEmpty()) {
            __builtin_trap(); // "needs more" must have taken everything it was given
        }
    }
    return trace;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    // The first byte chooses how the rest is split across reads, as a network would split it.
    const size_t chunk = size_t(data[0] % 64) + 1;
    const char *bytes = reinterpret_cast<const char *>(data + 1);
    if (verdicts(bytes, size - 1, chunk) != verdicts(bytes, size - 1, size))
        __builtin_trap();
    return 0;
}
