#include "HttpRouter.h"

#include "WebSocketHandshake.h"
#include "stream/UpgradedSocket.h"

namespace herald {

HttpRouter::HttpRouter(QObject *parent)
    : QObject(parent)
{}

void HttpRouter::addRoute(const QByteArray &method, const QString &path, Handler handler, Access access)
{
    m_routes[path].insert(method, Route{std::move(handler), access});
}

void HttpRouter::addWebSocketPath(const QString &path, Admit admit, Accept accept, PlainRequests plain,
                                  Compression compression)
{
    m_webSocketPaths.insert(path, ClientPath{std::move(admit), std::move(accept), plain, compression});
}

void HttpRouter::addEventStreamPath(const QString &path, Admit admit, Accept accept)
{
    m_eventStreamPaths.insert(path, ClientPath{std::move(admit), std::move(accept)});
}

HttpAnswer HttpRouter::answer(const HttpRequest &request)
{
    const QString path = request.path();
    if (const auto events = m_eventStreamPaths.constFind(path); events != m_eventStreamPaths.cend()) {
        if (request.method == "GET")
            return answerEventStream(request, events->admit, events->accept);
        emit requestHandled(QString::fromLatin1(request.method), path, 405);
        return {HttpResponse::error(405, QStringLiteral("method_not_allowed"),
                                    QStringLiteral("%1 is an event stream; GET it (text/event-stream)").arg(path))
                    .withHeader("Allow", "GET"),
                {},
                false};
    }
    const auto webSocket = m_webSocketPaths.constFind(path);
    if (webSocket != m_webSocketPaths.cend()) {
        if (WebSocketHandshake::isUpgrade(request))
            return answerUpgrade(request, *webSocket);
        if (webSocket->plain == PlainRequests::Admitted) {
            if (Admission admission = webSocket->admit(request); !admission.isAdmitted()) {
                emit requestHandled(QString::fromLatin1(request.method), path, admission.refusal.status);
                return {std::move(admission.refusal), {}, false};
            }
        }
        HttpAnswer refusal{HttpResponse::error(426, QStringLiteral("upgrade_required"),
                                               QStringLiteral("%1 is a WebSocket endpoint; connect with a "
                                                              "WebSocket client")
                                                   .arg(path))
                               .withHeader("Upgrade", "websocket"),
                           {},
                           false};
        emit requestHandled(QString::fromLatin1(request.method), path, 426);
        return refusal;
    }
    HttpResponse response = route(request);
    emit requestHandled(QString::fromLatin1(request.method), path, response.status);
    return {std::move(response), {}, false};
}

HttpAnswer HttpRouter::answerUpgrade(const HttpRequest &request, const ClientPath &path)
{
    HttpResponse refusal = WebSocketHandshake::check(request);
    Admission admission = refusal.isEmpty() ? path.admit(request) : Admission::refused(std::move(refusal));
    if (!admission.isAdmitted())
        return refuseClient(request, admission.refusal);
    const bool compressed =
        path.compression == Compression::Negotiated && WebSocketHandshake::offersCompression(request);
    return {WebSocketHandshake::accept(request, compressed),
            // The path's accept function by address: routes are set up once and outlive every answer.
            [accept = &path.accept, grant = admission.grant, compressed](UpgradedSocket socket) {
                socket.compressed = compressed;
                (*accept)(std::move(socket), grant);
            },
            false};
}

HttpAnswer HttpRouter::answerEventStream(const HttpRequest &request, const Admit &admit, const Accept &accept)
{
    Admission admission = admit(request);
    if (!admission.isAdmitted())
        return refuseClient(request, admission.refusal);
    HttpResponse stream{200, "text/event-stream", {}, {}, {}, {}, true};
    // Nothing on the way may keep the events back or store them (nginx buffers a proxied answer without this).
    stream.withHeader("Cache-Control", "no-store").withHeader("X-Accel-Buffering", "no");
    // A page of another origin reads the stream only if the answer says it may (CORS); admission has already
    // refused an origin outside ALLOWED_ORIGINS.
    if (const QByteArray origin = request.value("origin"); !origin.isEmpty())
        stream.withHeader("Access-Control-Allow-Origin", origin).withHeader("Vary", "Origin");
    emit requestHandled(QString::fromLatin1(request.method), request.path(), 200);
    return {std::move(stream),
            [accept = &accept, grant = admission.grant](UpgradedSocket socket) {
                socket.transport = UpgradedSocket::Transport::EventStream;
                (*accept)(std::move(socket), grant);
            },
            false};
}

HttpAnswer HttpRouter::refuseClient(const HttpRequest &request, const HttpResponse &refusal)
{
    const QString because = refusal.refusedBecause.isEmpty() ? QStringLiteral("bad_handshake") : refusal.refusedBecause;
    emit upgradeRefused(request.path(), refusal.status, because, refusal.message, request.clientAddress);
    emit requestHandled(QString::fromLatin1(request.method), request.path(), refusal.status);
    return {refusal, {}, true};
}

QString HttpRouter::routeKey(const HttpRequest &request, QString *parameter) const
{
    const QString path = request.path();
    if (m_routes.contains(path))
        return path;
    // Matched on the encoded path, so that an encoded '/' (%2F) stays inside the parameter.
    const QString encoded = request.url.path(QUrl::FullyEncoded);
    const qsizetype slash = encoded.lastIndexOf(QLatin1Char('/'));
    if (slash <= 0 || slash == encoded.size() - 1)
        return path;
    const QString key = encoded.left(slash + 1) + QStringLiteral("{name}");
    if (m_routes.contains(key)) {
        *parameter = QUrl::fromPercentEncoding(encoded.mid(slash + 1).toUtf8());
        return key;
    }
    // The parameter one segment before the end: "/channels/{name}/history".
    const qsizetype before = encoded.lastIndexOf(QLatin1Char('/'), slash - 1);
    if (before <= 0 || before == slash - 1)
        return path;
    const QString inner = encoded.left(before + 1) + QStringLiteral("{name}") + encoded.mid(slash);
    if (!m_routes.contains(inner))
        return path;
    *parameter = QUrl::fromPercentEncoding(encoded.mid(before + 1, slash - before - 1).toUtf8());
    return inner;
}

HttpResponse HttpRouter::route(const HttpRequest &request)
{
    const QString path = request.path();
    QString parameter;
    const auto route = m_routes.constFind(routeKey(request, &parameter));
    if (route == m_routes.cend())
        return HttpResponse::error(404, QStringLiteral("not_found"), QStringLiteral("No route for %1").arg(path));
    const QByteArray method = request.method == "HEAD" ? QByteArray("GET") : request.method;
    const auto handler = route->constFind(method);
    if (handler == route->cend()) {
        QStringList allowed;
        for (auto it = route->cbegin(); it != route->cend(); ++it)
            allowed << QString::fromLatin1(it.key());
        return HttpResponse::error(405, QStringLiteral("method_not_allowed"),
                                   QStringLiteral("%1 does not accept %2; allowed: %3")
                                       .arg(path, QString::fromLatin1(request.method), allowed.join(", ")))
            .withHeader("Allow", allowed.join(", ").toLatin1());
    }
    if (handler->access == Access::Token && m_apiToken.isSet() && !m_apiToken.admits(request))
        return HttpResponse::error(
                   401, QStringLiteral("unauthorized"),
                   QStringLiteral("%1 requires the API token: Authorization: Bearer <API_TOKEN>").arg(path))
            .withHeader("WWW-Authenticate", "Bearer");
    if (parameter.isEmpty())
        return handler->handler(request);
    HttpRequest withParameter = request;
    withParameter.pathParameter = parameter;
    return handler->handler(withParameter);
}

} // namespace herald
