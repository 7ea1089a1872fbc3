#pragma once

#include "HttpResponse.h"
#include "RequestRateLimiter.h"

#include <QJsonObject>
#include <QObject>
#include <optional>

namespace herald {

struct HttpRequest;
class NotificationRequest;

struct Config;
class HttpRouter;
class Publisher;
class ServerStatus;
class ShutdownCoordinator;

// The HTTP API's routes: each parses its request, publishes through the Publisher or asks ServerStatus, and
// renders the answer.
class HttpApi : public QObject
{
    Q_OBJECT
public:
    HttpApi(const Config *config, Publisher *publisher, const ShutdownCoordinator *shutdown, const ServerStatus *status,
            HttpRouter *router, QObject *parent = nullptr);

private:
    // Why a publishing request is not taken at all (rate, content type, shutdown), before its body is read.
    std::optional<HttpResponse> refusal(const HttpRequest &request);
    // Publishes one valid notification from the API and says what became of it.
    QJsonObject publish(const NotificationRequest &notification);
    HttpResponse notify(const HttpRequest &request);
    // POST /notify/batch: {"notifications":[...]}, each item a /notify body, answered item by item.
    HttpResponse notifyBatch(const HttpRequest &request);
    HttpResponse health() const;
    HttpResponse index() const;
    static HttpResponse resource(const QString &path, const QByteArray &contentType);

    const Config *m_config;
    Publisher *m_publisher;
    const ShutdownCoordinator *m_shutdown;
    const ServerStatus *m_status;
    RequestRateLimiter m_notifyRate;
};

} // namespace herald
