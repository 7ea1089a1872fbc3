#include "PerMessageDeflate.h"

#include <zlib.h>

#include <algorithm>
#include <climits>
#include <vector>

namespace herald::permessagedeflate {

namespace {

constexpr int WindowBits = 15; // the largest window, zlib's default: the best ratio
constexpr int MemoryLevel = 8; // zlib's default
// What a sync flush ends with, which the sender removes and the receiver puts back (7.2.1, 7.2.2).
constexpr char SyncFlushTail[] = {'\x00', '\x00', '\xff', '\xff'};

// Splits at separator outside quoted strings (RFC 9110 5.6.4), the pieces not yet trimmed.
std::vector<QByteArrayView> split(QByteArrayView text, char separator)
{
    std::vector<QByteArrayView> pieces;
    bool quoted = false;
    qsizetype start = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i] == '"')
            quoted = !quoted;
        else if (text[i] == separator && !quoted) {
            pieces.push_back(text.sliced(start, i - start));
            start = i + 1;
        }
    }
    pieces.push_back(text.sliced(start));
    return pieces;
}

// A window size as 7.1.2.1 writes it: 8 to 15, no leading zero, in quotes or not.
bool isWindowBits(QByteArrayView value, int *bits)
{
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
        value = value.sliced(1, value.size() - 2);
    if (value.isEmpty() || value.size() > 2 || value.front() == '0')
        return false;
    int number = 0;
    for (const char digit : value) {
        if (digit < '0' || digit > '9')
            return false;
        number = number * 10 + (digit - '0');
    }
    *bits = number;
    return number >= 8 && number <= 15;
}

bool acceptable(const std::vector<QByteArrayView> &parameters)
{
    bool serverNoTakeover = false, clientNoTakeover = false, serverWindow = false, clientWindow = false;
    for (std::size_t i = 1; i < parameters.size(); ++i) {
        const QByteArrayView parameter = parameters[i].trimmed();
        const qsizetype equals = parameter.indexOf('=');
        const QByteArrayView name = (equals < 0 ? parameter : parameter.first(equals)).trimmed();
        const QByteArrayView value = equals < 0 ? QByteArrayView() : parameter.sliced(equals + 1).trimmed();
        int bits = 0;
        const auto once = [](bool &seen) { return !std::exchange(seen, true); };
        if (name == "server_no_context_takeover" || name == "client_no_context_takeover") {
            if (equals >= 0 || !once(name.front() == 's' ? serverNoTakeover : clientNoTakeover))
                return false;
        } else if (name == "server_max_window_bits") {
            // A client that can keep only a smaller window cannot read the frame every other client shares.
            if (!once(serverWindow) || !isWindowBits(value, &bits) || bits < WindowBits)
                return false;
        } else if (name == "client_max_window_bits") {
            // Only says that the client could limit its window; Herald inflates with the full one either way.
            if (!once(clientWindow) || (equals >= 0 && !isWindowBits(value, &bits)))
                return false;
        } else {
            return false; // unknown, or empty: this offer is declined (7.1)
        }
    }
    return true;
}

} // namespace

bool acceptsOffer(QByteArrayView offers)
{
    for (const QByteArrayView offer : split(offers, ',')) {
        const std::vector<QByteArrayView> parameters = split(offer, ';');
        if (parameters.front().trimmed().compare(Name, Qt::CaseInsensitive) == 0 && acceptable(parameters))
            return true;
    }
    return false;
}

QByteArray compress(QByteArrayView payload)
{
    if (payload.size() > qsizetype(UINT_MAX / 2))
        return {};
    z_stream stream{};
    if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -WindowBits, MemoryLevel, Z_DEFAULT_STRATEGY) != Z_OK)
        return {};
    // deflateBound is for Z_FINISH; a sync flush adds an empty stored block (5 bytes).
    QByteArray out(qsizetype(deflateBound(&stream, uLong(payload.size()))) + 16, Qt::Uninitialized);
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(payload.data()));
    stream.avail_in = uInt(payload.size());
    stream.next_out = reinterpret_cast<Bytef *>(out.data());
    stream.avail_out = uInt(out.size());
    const int status = deflate(&stream, Z_SYNC_FLUSH);
    const qsizetype produced = out.size() - qsizetype(stream.avail_out);
    const bool whole = status == Z_OK && stream.avail_in == 0 && stream.avail_out > 0;
    deflateEnd(&stream);
    if (!whole || produced < 4 || QByteArrayView(out).sliced(produced - 4, 4) != QByteArrayView(SyncFlushTail, 4))
        return {};
    out.truncate(produced - 4);
    return out;
}

Inflated decompress(QByteArrayView compressed, qint64 maxBytes, QByteArray *out)
{
    out->clear();
    z_stream stream{};
    if (inflateInit2(&stream, -WindowBits) != Z_OK)
        return Inflated::Corrupt;
    // One byte past the limit is how a message too large is noticed; the buffer grows as the output does.
    const qint64 ceiling = maxBytes + 1;
    qint64 capacity = std::min<qint64>(ceiling, std::max<qint64>(4096, 4 * qint64(compressed.size())));
    out->resize(qsizetype(capacity));
    qint64 produced = 0;
    Inflated result = Inflated::Whole;
    const QByteArrayView inputs[] = {compressed, QByteArrayView(SyncFlushTail, 4)};
    for (const QByteArrayView input : inputs) {
        stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(input.data()));
        stream.avail_in = uInt(input.size());
        int status = Z_OK;
        // Also on while the buffer is full: zlib may hold output back for want of room after the input is in.
        while ((stream.avail_in > 0 || produced == capacity) && status == Z_OK) {
            if (produced == capacity) {
                if (capacity == ceiling) {
                    result = Inflated::TooLarge;
                    break;
                }
                capacity = std::min(ceiling, 2 * capacity);
                out->resize(qsizetype(capacity));
            }
            stream.next_out = reinterpret_cast<Bytef *>(out->data() + produced);
            stream.avail_out = uInt(std::min<qint64>(capacity - produced, UINT_MAX));
            const uInt room = stream.avail_out;
            status = inflate(&stream, Z_SYNC_FLUSH);
            produced += room - stream.avail_out;
            if (status == Z_BUF_ERROR && stream.avail_out == 0)
                status = Z_OK; // out of room, not of input: grow and go on
        }
        if (result != Inflated::Whole)
            break;
        if (produced > maxBytes) {
            result = Inflated::TooLarge;
            break;
        }
        if (status == Z_STREAM_END)
            break; // the message ended with a final block; the tail after it is not part of it
        if (status != Z_OK && status != Z_BUF_ERROR) {
            result = Inflated::Corrupt;
            break;
        }
    }
    inflateEnd(&stream);
    if (result != Inflated::Whole) {
        out->clear();
        return result;
    }
    out->truncate(qsizetype(produced));
    return result;
}

} // namespace herald::permessagedeflate
