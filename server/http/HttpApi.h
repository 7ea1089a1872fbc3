#pragma once

#include "HttpResponse.h"
#include "RequestRateLimiter.h"

#include <QObject>

namespace herald {

struct HttpRequest;

class Server;
class HttpRouter;

// The HTTP API's routes: each parses its request, calls the Server facade and renders the answer.
class HttpApi : public QObject
{
    Q_OBJECT
public:
    HttpApi(Server *server, HttpRouter *router, QObject *parent = nullptr);

private:
    HttpResponse notify(const HttpRequest &request);
    HttpResponse health() const;
    HttpResponse index() const;
    static HttpResponse resource(const QString &path, const QByteArray &contentType);

    Server *m_server;
    RequestRateLimiter m_notifyRate;
};

} // namespace herald
