#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace herald {

// permessage-deflate (RFC 7692) as Herald speaks it: with no context takeover in either direction, so that a
// message's compressed bytes depend on the message alone. Then one broadcast is compressed once and the same
// frame goes to every client that agreed (a per-client context would mean one compression per recipient and
// ~300 KB of zlib state per connection), and a client's message is inflated on its own, without a window kept
// for the connection.
namespace permessagedeflate {

// The extension's name in Sec-WebSocket-Extensions.
inline constexpr QByteArrayView Name{"permessage-deflate"};
// Herald's answer to an offer it accepts (7.1.1.1 and 7.1.1.2 let a server name both without being asked).
inline constexpr QByteArrayView Response{"permessage-deflate; server_no_context_takeover; client_no_context_takeover"};

// Whether one of the offers in a Sec-WebSocket-Extensions value (all of the request's lines, joined by commas)
// is a permessage-deflate offer Herald can accept: known parameters, each at most once, with valid values, and
// no server_max_window_bits below 15 (Herald's frames are compressed once, with the full window, for everyone).
bool acceptsOffer(QByteArrayView offers);

// The payload of a compressed message: payload deflated on its own, without the final 4 bytes a sync flush ends
// with (7.2.1). Empty when zlib fails, which it does only without memory.
QByteArray compress(QByteArrayView payload);

enum class Inflated { Whole, TooLarge, Corrupt };
// Inflates a compressed message's payload (7.2.2) into *out, stopping as soon as it would exceed maxBytes: a
// small message that inflates to gigabytes costs no more than maxBytes.
Inflated decompress(QByteArrayView compressed, qint64 maxBytes, QByteArray *out);

} // namespace permessagedeflate

} // namespace herald
