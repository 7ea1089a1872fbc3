#include "WebSocketHandshake.h"

#include "websocket/PerMessageDeflate.h"

#include <QCryptographicHash>

namespace herald::WebSocketHandshake {

namespace {

constexpr QByteArrayView Guid{"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"};

HttpResponse badHandshake(const QString &header, const QString &message)
{
    HttpResponse response = HttpResponse::json(400, {{QStringLiteral("error"), QStringLiteral("bad_handshake")},
                                                     {QStringLiteral("header"), header},
                                                     {QStringLiteral("message"), message}});
    response.message = message;
    return response.because(QStringLiteral("bad_handshake"));
}

} // namespace

bool isUpgrade(const HttpRequest &request)
{
    return request.listsToken("upgrade", "websocket");
}

HttpResponse check(const HttpRequest &request)
{
    if (request.method != "GET")
        return badHandshake(QStringLiteral("Method"), QStringLiteral("A WebSocket upgrade is a GET request"));
    if (request.versionMinor < 1)
        return badHandshake(QStringLiteral("HTTP-Version"), QStringLiteral("A WebSocket upgrade needs HTTP/1.1"));
    if (!request.listsToken("connection", "upgrade"))
        return badHandshake(QStringLiteral("Connection"),
                            QStringLiteral("A WebSocket upgrade needs Connection: Upgrade"));
    const QByteArray key = request.value("sec-websocket-key");
    if (!request.has("sec-websocket-key") || key.isEmpty())
        return badHandshake(QStringLiteral("Sec-WebSocket-Key"),
                            QStringLiteral("Sec-WebSocket-Key is missing or empty"));
    const auto decoded = QByteArray::fromBase64Encoding(key, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.size() != 16 || key.size() != 24)
        return badHandshake(QStringLiteral("Sec-WebSocket-Key"),
                            QStringLiteral("Sec-WebSocket-Key must be 16 bytes in base64 (24 characters)"));
    if (!request.has("sec-websocket-version"))
        return badHandshake(QStringLiteral("Sec-WebSocket-Version"),
                            QStringLiteral("Sec-WebSocket-Version is missing"));
    if (request.value("sec-websocket-version") != "13") {
        const QString message = QStringLiteral("Herald speaks WebSocket version 13 (RFC 6455) only");
        HttpResponse response =
            HttpResponse::json(426, {{QStringLiteral("error"), QStringLiteral("unsupported_websocket_version")},
                                     {QStringLiteral("header"), QStringLiteral("Sec-WebSocket-Version")},
                                     {QStringLiteral("message"), message}});
        response.message = message;
        return response.withHeader("Sec-WebSocket-Version", "13").because(QStringLiteral("bad_handshake"));
    }
    return {};
}

bool offersCompression(const HttpRequest &request)
{
    const QByteArray offers = request.values("sec-websocket-extensions"); // one pass over the headers
    return !offers.isEmpty() && permessagedeflate::acceptsOffer(offers);
}

HttpResponse accept(const HttpRequest &request, bool compressed)
{
    HttpResponse response;
    response.status = 101;
    response.contentType.clear();
    response.withHeader("Upgrade", "websocket")
        .withHeader("Connection", "Upgrade")
        .withHeader("Sec-WebSocket-Accept", acceptKey(request.value("sec-websocket-key")));
    if (compressed)
        response.withHeader("Sec-WebSocket-Extensions", permessagedeflate::Response.toByteArray());
    return response;
}

QByteArray acceptKey(const QByteArray &key)
{
    QCryptographicHash sha1(QCryptographicHash::Sha1);
    sha1.addData(key);
    sha1.addData(Guid);
    const QByteArrayView digest = sha1.resultView(); // read in place: result() would copy it first
    return QByteArray::fromRawData(digest.data(), digest.size()).toBase64();
}

} // namespace herald::WebSocketHandshake
