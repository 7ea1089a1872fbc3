#include "HttpApi.h"

#include "HttpRouter.h"
#include "Server.h"
#include "notification/NotificationRequest.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QFile>
#include <QJsonArray>

namespace herald {

namespace {

using Method = QHttpServerRequest::Method;

bool isJsonContentType(const QByteArray &contentType)
{
    const QByteArray mediaType = contentType.split(';').first().trimmed().toLower();
    return mediaType == "application/json";
}

QJsonArray fieldErrorsJson(const QList<FieldError> &errors)
{
    QJsonArray detail;
    for (const FieldError &error : errors)
        detail.append(QJsonObject{{QStringLiteral("loc"), QJsonArray{QStringLiteral("body"), error.field}},
                                  {QStringLiteral("field"), error.field},
                                  {QStringLiteral("msg"), error.problem},
                                  {QStringLiteral("type"), error.code}});
    return detail;
}

} // namespace

HttpApi::HttpApi(Server *server, HttpRouter *router, QObject *parent)
    : QObject(parent)
    , m_server(server)
    , m_router(router)
    , m_notifyRate(server->config().notifyRateLimit)
{
    const Config &config = server->config();
    router->setApiToken(BearerToken(config.apiToken));
    router->setMaxHeaderBytes(config.maxHeaderBytes);
    router->setClientAddressResolver(ClientAddressResolver(config.trustedProxies));
    router->addRoute(Method::Get, QStringLiteral("/"), [this](const QHttpServerRequest &) { return index(); });
    router->addRoute(
        Method::Post, QStringLiteral("/notify"), [this](const QHttpServerRequest &request) { return notify(request); },
        HttpRouter::Access::Token);
    router->addRoute(
        Method::Get, QStringLiteral("/status"),
        [this](const QHttpServerRequest &) { return HttpResponse::json(200, m_server->statusJson()); },
        HttpRouter::Access::Token);
    if (config.healthCheckEnabled)
        router->addRoute(Method::Get, QStringLiteral("/health"),
                         [this](const QHttpServerRequest &) { return health(); });
    if (config.metricsEnabled) {
        router->addRoute(Method::Get, QStringLiteral("/metrics"), [this](const QHttpServerRequest &) {
            return HttpResponse::json(200, m_server->metricsJson());
        });
        router->addRoute(Method::Get, QStringLiteral("/metrics/prometheus"), [this](const QHttpServerRequest &) {
            return HttpResponse{200, "text/plain; version=0.0.4; charset=utf-8", m_server->metricsPrometheus(), {}, {}};
        });
    }
    router->addRoute(Method::Get, QStringLiteral("/openapi.json"), [](const QHttpServerRequest &) {
        return resource(QStringLiteral(":/herald/openapi.json"), "application/json");
    });
    if (config.docsEnabled())
        router->addRoute(Method::Get, QStringLiteral("/docs"), [](const QHttpServerRequest &) {
            return resource(QStringLiteral(":/herald/docs.html"), "text/html; charset=utf-8");
        });
    if (config.securityHeadersEnabled())
        router->setCommonHeaders({{"X-Content-Type-Options", "nosniff"},
                                  {"X-Frame-Options", "DENY"},
                                  {"Referrer-Policy", "no-referrer"},
                                  {"Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"},
                                  {"Cache-Control", "no-store"}});
}

HttpResponse HttpApi::notify(const QHttpServerRequest &request)
{
    const QString client = m_router->clientAddress(request);
    if (!m_notifyRate.admit(client, QDeadlineTimer::current().deadline()))
        return HttpResponse::error(429, QStringLiteral("too_many_requests"),
                                   QStringLiteral("More than %1 notifications per second from %2 (NOTIFY_RATE_LIMIT); "
                                                  "nothing was sent")
                                       .arg(m_server->config().notifyRateLimit)
                                       .arg(client))
            .withHeader("Retry-After", "1");
    const qint64 limit = m_server->config().maxBodyBytes;
    if (request.body().size() > limit)
        return HttpResponse::error(413, QStringLiteral("payload_too_large"),
                                   QStringLiteral("Request body is %1 bytes; the limit (MAX_BODY_SIZE) is %2 bytes")
                                       .arg(request.body().size())
                                       .arg(limit));
    if (!isJsonContentType(request.value("content-type")))
        return HttpResponse::error(415, QStringLiteral("unsupported_media_type"),
                                   QStringLiteral("Content-Type must be application/json, not \"%1\"")
                                       .arg(QString::fromLatin1(request.value("content-type").left(100))));
    if (m_server->shutdownCoordinator()->state() != ShutdownCoordinator::State::Running) {
        return HttpResponse::error(
                   503, QStringLiteral("shutting_down"),
                   QStringLiteral("Server is shutting down and accepts no new notifications; nothing was sent"))
            .withHeader("Retry-After", "5");
    }

    NotificationRequest notification;
    const NotificationRequest::Validation validation = NotificationRequest::validate(request.body(), &notification);
    switch (validation.outcome) {
    case NotificationRequest::Validation::Outcome::MalformedJson:
        return HttpResponse::json(400, {{QStringLiteral("error"), QStringLiteral("invalid_json")},
                                        {QStringLiteral("message"), validation.errors.first().problem},
                                        {QStringLiteral("detail"), fieldErrorsJson(validation.errors)}});
    case NotificationRequest::Validation::Outcome::Invalid:
        return HttpResponse::json(
            422, {{QStringLiteral("error"), QStringLiteral("validation_error")},
                  {QStringLiteral("message"),
                   QStringLiteral("%1: %2").arg(validation.errors.first().field, validation.errors.first().problem)},
                  {QStringLiteral("detail"), fieldErrorsJson(validation.errors)}});
    case NotificationRequest::Validation::Outcome::Valid:
        break;
    }

    const BroadcastReceipt receipt = m_server->broadcast(notification, QStringLiteral("api"));
    QJsonObject answer{{QStringLiteral("status"), QStringLiteral("sent")},
                       {QStringLiteral("notification_id"), receipt.id},
                       {QStringLiteral("recipients"), receipt.recipients},
                       {QStringLiteral("timestamp"), receipt.timestamp}};
    if (!receipt.backplane.isEmpty())
        answer.insert(QStringLiteral("backplane"), receipt.backplane);
    return HttpResponse::json(200, answer);
}

HttpResponse HttpApi::health() const
{
    const QJsonObject body = m_server->healthJson();
    return HttpResponse::json(body.value(QStringLiteral("status")).toString() == u"shutting_down" ? 503 : 200, body);
}

HttpResponse HttpApi::index() const
{
    return HttpResponse::json(200, {{QStringLiteral("service"), QStringLiteral("herald")},
                                    {QStringLiteral("version"), QCoreApplication::applicationVersion()},
                                    {QStringLiteral("websocket"), QStringLiteral("/ws")},
                                    {QStringLiteral("openapi"), QStringLiteral("/openapi.json")}});
}

HttpResponse HttpApi::resource(const QString &path, const QByteArray &contentType)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return HttpResponse::error(500, QStringLiteral("internal_error"),
                                   QStringLiteral("Built-in resource %1 is missing").arg(path));
    return {200, contentType, file.readAll(), {}, {}};
}

} // namespace herald
