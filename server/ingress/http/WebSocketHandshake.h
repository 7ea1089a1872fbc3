#pragma once

#include "HttpRequest.h"
#include "HttpResponse.h"

namespace herald {

// The server's side of the WebSocket opening handshake (RFC 6455 4.2): whether a request on a WebSocket path
// is a valid upgrade, and the 101 answer that completes it. Herald offers no subprotocol, and of the extensions
// permessage-deflate only (RFC 7692, without context takeover): a client that asks for anything else gets the
// plain protocol (4.2.2).
namespace WebSocketHandshake {

// Whether the request asks to upgrade to WebSocket at all (otherwise the path answers 426).
bool isUpgrade(const HttpRequest &request);
// An empty response when the upgrade request is well formed; otherwise the refusal naming the header at fault:
// 400, or 426 with "Sec-WebSocket-Version: 13" when the client speaks another version.
HttpResponse check(const HttpRequest &request);
// Whether the request offers permessage-deflate in a form Herald accepts.
bool offersCompression(const HttpRequest &request);
// The 101 Switching Protocols answer for a request check() accepted; compressed: with permessage-deflate agreed.
HttpResponse accept(const HttpRequest &request, bool compressed = false);
// Sec-WebSocket-Accept for a Sec-WebSocket-Key (4.2.2 item 5.4).
QByteArray acceptKey(const QByteArray &key);

} // namespace WebSocketHandshake

} // namespace herald
