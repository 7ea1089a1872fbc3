#pragma once

#include "BearerToken.h"
#include "ClientAddressResolver.h"
#include "HttpResponse.h"

#include <QAbstractHttpServer>
#include <QHash>
#include <QHostAddress>
#include <QHttpServerRequest>
#include <QMap>
#include <functional>

class QWebSocket;

namespace herald {

// Routes HTTP requests by path and method, and decides whether a WebSocket upgrade on the WebSocket path
// may proceed. Built on QAbstractHttpServer rather than QHttpServer because, in Qt 6.4, only a request that
// handleRequest() declines falls through before the 101 is written: that is the one clean place to refuse an
// upgrade with a 503, and to tell an unknown path (404) from a known path with the wrong method (405).
class HttpRouter : public QAbstractHttpServer
{
    Q_OBJECT
public:
    using Handler = std::function<HttpResponse(const QHttpServerRequest &)>;
    // Decides an upgrade request: a default-constructed (empty) response admits it; anything else is the
    // refusal sent instead of the 101.
    using UpgradeAdmission = std::function<HttpResponse(const QHttpServerRequest &)>;

    // Who may call a route: anyone, or (when API_TOKEN is set) only a request that presents it.
    enum class Access { Public, Token };

    explicit HttpRouter(QObject *parent = nullptr);

    void addRoute(QHttpServerRequest::Method method, const QString &path, Handler handler,
                  Access access = Access::Public);
    void setApiToken(const BearerToken &token) { m_apiToken = token; }
    // Requests whose request line and headers together are larger get 431.
    void setMaxHeaderBytes(qint64 bytes) { m_maxHeaderBytes = bytes; }
    void setClientAddressResolver(const ClientAddressResolver &resolver) { m_clientAddresses = resolver; }
    // The client's address, behind a trusted proxy the one it forwarded for (see ClientAddressResolver).
    QString clientAddress(const QHttpServerRequest &request) const;
    QString clientAddress(const QWebSocket &webSocket) const;
    void addWebSocketPath(const QString &path, UpgradeAdmission admission);
    // The TCP connection under a WebSocket this router admitted. QWebSocket neither owns nor exposes it (it stays
    // a child of the listening QTcpServer), yet it has to move along when the WebSocket moves to a worker
    // thread. The caller takes it over and must give it an owner; nullptr if it is already gone.
    QTcpSocket *takeTransport(const QWebSocket &webSocket);
    // Headers added to every HTTP answer, e.g. security headers in production.
    void setCommonHeaders(QList<QPair<QByteArray, QByteArray>> headers) { m_commonHeaders = std::move(headers); }

signals:
    void requestHandled(const QString &method, const QString &path, int status);
    // refusedBecause: the admission's HttpResponse::refusedBecause, "bad_handshake" if it gave none.
    void upgradeRefused(const QString &path, int status, const QString &refusedBecause, const QString &message,
                        const QString &remoteAddress);

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    using TransportKey = QPair<QHostAddress, quint16>; // the peer: unique among this listener's connections
    void rememberTransport(QTcpSocket *socket);
    void send(const QHttpServerRequest &request, QTcpSocket *socket, const HttpResponse &response);
    bool headersTooLarge(const QHttpServerRequest &request) const;
    HttpResponse headersTooLargeResponse() const;

    struct Route {
        Handler handler;
        Access access;
    };
    QMap<QString, QMap<QHttpServerRequest::Method, Route>> m_routes;
    BearerToken m_apiToken{QString()};
    qint64 m_maxHeaderBytes = 8 * 1024;
    QMap<QString, UpgradeAdmission> m_webSocketPaths;
    QList<QPair<QByteArray, QByteArray>> m_commonHeaders;
    ClientAddressResolver m_clientAddresses;
    QHash<TransportKey, QPair<QTcpSocket *, QMetaObject::Connection>> m_transports; // admitted, not yet taken
};

QString methodName(QHttpServerRequest::Method method);

} // namespace herald
