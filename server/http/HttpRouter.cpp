#include "HttpRouter.h"

#include <QHttpServerResponder>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QMetaEnum>
#include <QTcpSocket>
#include <QWebSocket>

namespace herald {

namespace {

bool isWebSocketUpgrade(const QHttpServerRequest &request)
{
    return request.value("upgrade").compare("websocket", Qt::CaseInsensitive) == 0;
}

} // namespace

QString methodName(QHttpServerRequest::Method method)
{
    return QString::fromLatin1(QMetaEnum::fromType<QHttpServerRequest::Method>().valueToKey(int(method))).toUpper();
}

HttpRouter::HttpRouter(QObject *parent)
    : QAbstractHttpServer(parent)
{
    // Qt warns once per upgrade that handleRequest() declines; each of those is a deliberate refusal that
    // Herald logs itself, with its reason.
    QLoggingCategory::setFilterRules(QStringLiteral("qt.httpserver.warning=false"));
}

void HttpRouter::rememberTransport(QTcpSocket *socket)
{
    const TransportKey key{socket->peerAddress(), socket->peerPort()};
    // A handshake that fails after admission leaves nobody to take the entry: it goes with its socket.
    const QMetaObject::Connection forget =
        connect(socket, &QObject::destroyed, this, [this, key] { m_transports.remove(key); });
    m_transports.insert(key, {socket, forget});
}

QString HttpRouter::clientAddress(const QHttpServerRequest &request) const
{
    return m_clientAddresses.resolve(request.remoteAddress(), request.value("x-forwarded-for"));
}

QString HttpRouter::clientAddress(const QWebSocket &webSocket) const
{
    return m_clientAddresses.resolve(webSocket.peerAddress(), webSocket.request().rawHeader("X-Forwarded-For"));
}

QTcpSocket *HttpRouter::takeTransport(const QWebSocket &webSocket)
{
    const auto found = m_transports.constFind({webSocket.peerAddress(), webSocket.peerPort()});
    if (found == m_transports.cend())
        return nullptr;
    QTcpSocket *socket = found->first;
    disconnect(found->second);
    m_transports.erase(found);
    // Qt's handshake server stays connected to every upgraded socket's disconnected(), and its slot finds
    // sender() in a list of all of them: each disconnect then costs time in proportion to the clients still
    // connected (a third of the CPU when 10,000 leave at once). Its part ended with the handshake; the other
    // receiver, a deleteLater, is replaced by the new owner. QWebSocket follows the socket's state instead.
    disconnect(socket, &QAbstractSocket::disconnected, nullptr, nullptr);
    return socket;
}

void HttpRouter::addRoute(QHttpServerRequest::Method method, const QString &path, Handler handler, Access access)
{
    m_routes[path].insert(method, Route{std::move(handler), access});
}

bool HttpRouter::headersTooLarge(const QHttpServerRequest &request) const
{
    qint64 size = request.url().toEncoded().size();
    for (const auto &[name, value] : request.headers())
        size += name.size() + value.size() + 4; // ": " and CRLF
    return size > m_maxHeaderBytes;
}

HttpResponse HttpRouter::headersTooLargeResponse() const
{
    return HttpResponse::error(
        431, QStringLiteral("request_header_fields_too_large"),
        QStringLiteral("The request line and headers exceed %1 bytes (MAX_HEADER_SIZE)").arg(m_maxHeaderBytes));
}

void HttpRouter::addWebSocketPath(const QString &path, UpgradeAdmission admission)
{
    m_webSocketPaths.insert(path, std::move(admission));
}

bool HttpRouter::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    const QString path = request.url().path();
    if (headersTooLarge(request)) {
        if (isWebSocketUpgrade(request))
            return false; // refused before the 101, by missingHandler
        send(request, socket, headersTooLargeResponse());
        return true;
    }
    const auto webSocket = m_webSocketPaths.constFind(path);
    if (webSocket != m_webSocketPaths.cend()) {
        if (isWebSocketUpgrade(request)) {
            const bool admitted = (*webSocket)(request).isEmpty();
            if (admitted)
                rememberTransport(socket);
            return admitted; // true: Qt completes the handshake; false: missingHandler refuses
        }
        send(request, socket,
             HttpResponse::error(
                 426, QStringLiteral("upgrade_required"),
                 QStringLiteral("%1 is a WebSocket endpoint; connect with a WebSocket client").arg(path)));
        return true;
    }

    const auto route = m_routes.constFind(path);
    if (route == m_routes.cend())
        return false;
    const auto handler = route->constFind(request.method());
    if (handler != route->cend()) {
        if (handler->access == Access::Token && m_apiToken.isSet() && !m_apiToken.admits(request)) {
            send(request, socket,
                 HttpResponse::error(
                     401, QStringLiteral("unauthorized"),
                     QStringLiteral("%1 requires the API token: Authorization: Bearer <API_TOKEN>").arg(path))
                     .withHeader("WWW-Authenticate", "Bearer"));
            return true;
        }
        send(request, socket, handler->handler(request));
        return true;
    }
    QStringList allowed;
    for (auto it = route->cbegin(); it != route->cend(); ++it)
        allowed << methodName(it.key());
    HttpResponse response = HttpResponse::error(405, QStringLiteral("method_not_allowed"),
                                                QStringLiteral("%1 does not accept %2; allowed: %3")
                                                    .arg(path, methodName(request.method()), allowed.join(", ")));
    send(request, socket, response.withHeader("Allow", allowed.join(", ").toLatin1()));
    return true;
}

void HttpRouter::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    const QString path = request.url().path();
    const auto webSocket = m_webSocketPaths.constFind(path);
    if (webSocket != m_webSocketPaths.cend() && isWebSocketUpgrade(request)) {
        HttpResponse refusal = headersTooLarge(request) ? headersTooLargeResponse() : (*webSocket)(request);
        if (refusal.isEmpty()) // admitted now, but Qt did not complete the handshake
            refusal = HttpResponse::error(400, QStringLiteral("bad_handshake"),
                                          QStringLiteral("The WebSocket handshake request is incomplete"));
        const QString message =
            QJsonDocument::fromJson(refusal.body).object().value(QStringLiteral("message")).toString();
        const QString because =
            refusal.refusedBecause.isEmpty() ? QStringLiteral("bad_handshake") : refusal.refusedBecause;
        emit upgradeRefused(path, refusal.status, because, message, clientAddress(request));
        send(request, socket, refusal);
        return;
    }
    send(request, socket,
         HttpResponse::error(404, QStringLiteral("not_found"), QStringLiteral("No route for %1").arg(path)));
}

void HttpRouter::send(const QHttpServerRequest &request, QTcpSocket *socket, const HttpResponse &response)
{
    QHttpServerResponder responder = makeResponder(request, socket);
    responder.writeStatusLine(QHttpServerResponder::StatusCode(response.status));
    responder.writeHeader("Content-Type", response.contentType);
    responder.writeHeader("Content-Length", QByteArray::number(response.body.size()));
    for (const auto &[name, value] : m_commonHeaders)
        responder.writeHeader(name, value);
    for (const auto &[name, value] : response.headers)
        responder.writeHeader(name, value);
    responder.writeBody(response.body);
    emit requestHandled(methodName(request.method()), request.url().path(), response.status);
}

} // namespace herald
