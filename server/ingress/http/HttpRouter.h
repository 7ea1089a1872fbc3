#pragma once

#include "BearerToken.h"
#include "HttpRequest.h"
#include "HttpResponse.h"
#include "stream/UpgradedSocket.h"

#include <QMap>
#include <QObject>
#include <functional>

namespace herald {

struct UpgradedSocket;

// What an upgrade's admission decided, once per connection: refused (the answer instead of the 101, with
// its reason), or admitted as whom.
struct Admission {
    HttpResponse refusal; // empty: admitted
    ClientGrant grant;    // who the client's token says it is and what it grants (empty without client tokens)

    bool isAdmitted() const { return refusal.isEmpty(); }
    static Admission admitted(ClientGrant grant = {}) { return {HttpResponse{}, std::move(grant)}; }
    static Admission refused(HttpResponse refusal) { return {std::move(refusal), ClientGrant()}; }
};

// Routes each request the front door read by path and method, and answers a WebSocket upgrade on a
// WebSocket path: the handshake checked (RFC 6455 4.2.1), then admission decided once, then the 101 and the
// connection handed to the path's acceptor with whom admission found. Tells an unknown path (404) from a known
// path with the wrong method (405); HEAD is answered as GET without the body.
class HttpRouter : public QObject
{
    Q_OBJECT
public:
    using Handler = std::function<HttpResponse(const HttpRequest &)>;
    using Admit = std::function<Admission(const HttpRequest &)>;
    using Accept = std::function<void(UpgradedSocket socket, const ClientGrant &grant)>;

    // Who may call a route: anyone, or (when API_TOKEN is set) only a request that presents it.
    enum class Access { Public, Token };

    explicit HttpRouter(QObject *parent = nullptr);

    // path is exact ("/channels") or has one parameter as its last or last but one segment ("/channels/{name}",
    // "/channels/{name}/history"): then it matches any one non-empty segment there, which the handler finds in
    // HttpRequest::pathParameter.
    void addRoute(const QByteArray &method, const QString &path, Handler handler, Access access = Access::Public);
    void setApiToken(const BearerToken &token) { m_apiToken = token; }
    // Whether a plain request (no upgrade) on a WebSocket path meets admission first: a path behind a token tells
    // a stranger nothing, not even that it is a WebSocket endpoint, and a console can check its token over HTTP.
    enum class PlainRequests { Told, Admitted };
    // Whether a WebSocket path agrees on permessage-deflate with a client that offers it.
    enum class Compression { Off, Negotiated };
    void addWebSocketPath(const QString &path, Admit admit, Accept accept, PlainRequests plain = PlainRequests::Told,
                          Compression compression = Compression::Off);
    // A path whose GET, once admitted, is answered with an event stream (200, text/event-stream) that the acceptor
    // takes over with the connection: the same admission and refusals as a WebSocket path's upgrade.
    void addEventStreamPath(const QString &path, Admit admit, Accept accept);

    HttpAnswer answer(const HttpRequest &request);

signals:
    void requestHandled(const QString &method, const QString &path, int status);
    // An upgrade the handshake check or admission refused: the one place refusals are counted and logged.
    void upgradeRefused(const QString &path, int status, const QString &refusedBecause, const QString &message,
                        const QString &clientAddress);

private:
    struct ClientPath;
    HttpAnswer answerUpgrade(const HttpRequest &request, const ClientPath &path);
    HttpAnswer answerEventStream(const HttpRequest &request, const Admit &admit, const Accept &accept);
    // Admission's refusal of a client, counted and logged in the one place (upgradeRefused).
    HttpAnswer refuseClient(const HttpRequest &request, const HttpResponse &refusal);
    HttpResponse route(const HttpRequest &request);
    // The routes' key for path: itself when it is exact, else its prefix's template, with the parameter.
    QString routeKey(const HttpRequest &request, QString *parameter) const;

    struct Route {
        Handler handler;
        Access access;
    };
    // A path clients are served on, whichever way: who admits them and who takes their connections over.
    struct ClientPath {
        Admit admit;
        Accept accept;
        PlainRequests plain = PlainRequests::Told;  // a WebSocket path's plain requests
        Compression compression = Compression::Off; // a WebSocket path's
    };
    QMap<QString, QMap<QByteArray, Route>> m_routes;
    QMap<QString, ClientPath> m_webSocketPaths;
    QMap<QString, ClientPath> m_eventStreamPaths;
    BearerToken m_apiToken{QString()};
};

} // namespace herald
