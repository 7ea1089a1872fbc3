#include "HttpApi.h"

#include "HttpRouter.h"
#include "config/Config.h"
#include "notification/NotificationRequest.h"
#include "publish/Publisher.h"
#include "shutdown/ShutdownCoordinator.h"
#include "status/ServerStatus.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

namespace herald {

namespace {

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

// What a 422 says: the first problem in a sentence, every problem in "detail".
QJsonObject validationErrorJson(const QList<FieldError> &errors)
{
    return {{QStringLiteral("error"), QStringLiteral("validation_error")},
            {QStringLiteral("message"), QStringLiteral("%1: %2").arg(errors.first().field, errors.first().problem)},
            {QStringLiteral("detail"), fieldErrorsJson(errors)}};
}

const QLatin1StringView BatchItemsField{"notifications"};

} // namespace

HttpApi::HttpApi(const Config *config, Publisher *publisher, const ShutdownCoordinator *shutdown,
                 const ServerStatus *status, HttpRouter *router, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_publisher(publisher)
    , m_shutdown(shutdown)
    , m_status(status)
    , m_notifyRate(config->notifyRateLimit)
{
    const Config &settings = *config;
    router->setApiToken(BearerToken(settings.apiToken));
    router->addRoute(QByteArrayLiteral("GET"), QStringLiteral("/"), [this](const HttpRequest &) { return index(); });
    router->addRoute(
        QByteArrayLiteral("POST"), QStringLiteral("/notify"),
        [this](const HttpRequest &request) { return notify(request); }, HttpRouter::Access::Token);
    router->addRoute(
        QByteArrayLiteral("POST"), QStringLiteral("/notify/batch"),
        [this](const HttpRequest &request) { return notifyBatch(request); }, HttpRouter::Access::Token);
    router->addRoute(
        QByteArrayLiteral("GET"), QStringLiteral("/status"),
        [this](const HttpRequest &) { return HttpResponse::json(200, m_status->status()); }, HttpRouter::Access::Token);
    if (settings.healthCheckEnabled)
        router->addRoute(QByteArrayLiteral("GET"), QStringLiteral("/health"),
                         [this](const HttpRequest &) { return health(); });
    if (settings.metricsEnabled) {
        router->addRoute(QByteArrayLiteral("GET"), QStringLiteral("/metrics"),
                         [this](const HttpRequest &) { return HttpResponse::json(200, m_status->metrics()); });
        router->addRoute(QByteArrayLiteral("GET"), QStringLiteral("/metrics/prometheus"), [this](const HttpRequest &) {
            return HttpResponse{200, "text/plain; version=0.0.4; charset=utf-8", m_status->prometheus(), {}, {}, {}};
        });
    }
    router->addRoute(QByteArrayLiteral("GET"), QStringLiteral("/openapi.json"), [](const HttpRequest &) {
        return resource(QStringLiteral(":/herald/openapi.json"), "application/json");
    });
    if (settings.docsEnabled())
        router->addRoute(QByteArrayLiteral("GET"), QStringLiteral("/docs"), [](const HttpRequest &) {
            return resource(QStringLiteral(":/herald/docs.html"), "text/html; charset=utf-8");
        });
}

std::optional<HttpResponse> HttpApi::refusal(const HttpRequest &request)
{
    const QString &client = request.clientAddress;
    if (!m_notifyRate.admit(client, QDeadlineTimer::current().deadline()))
        return HttpResponse::error(429, QStringLiteral("too_many_requests"),
                                   QStringLiteral("More than %1 notifications per second from %2 (NOTIFY_RATE_LIMIT); "
                                                  "nothing was sent")
                                       .arg(m_config->notifyRateLimit)
                                       .arg(client))
            .withHeader("Retry-After", "1");
    if (!isJsonContentType(request.value("content-type")))
        return HttpResponse::error(415, QStringLiteral("unsupported_media_type"),
                                   QStringLiteral("Content-Type must be application/json, not \"%1\"")
                                       .arg(QString::fromLatin1(request.value("content-type").left(100))));
    if (m_shutdown->state() != ShutdownCoordinator::State::Running) {
        return HttpResponse::error(
                   503, QStringLiteral("shutting_down"),
                   QStringLiteral("Server is shutting down and accepts no new notifications; nothing was sent"))
            .withHeader("Retry-After", "5");
    }
    return std::nullopt;
}

QJsonObject HttpApi::publish(const NotificationRequest &notification)
{
    const PublishReceipt receipt = m_publisher->publish(notification, QStringLiteral("api"));
    QJsonObject answer{{QStringLiteral("status"), QStringLiteral("sent")},
                       {QStringLiteral("notification_id"), receipt.id},
                       {QStringLiteral("recipients"), receipt.recipients},
                       {QStringLiteral("timestamp"), receipt.timestamp}};
    if (!receipt.cluster.isEmpty())
        answer.insert(QStringLiteral("backplane"), receipt.cluster);
    return answer;
}

HttpResponse HttpApi::notify(const HttpRequest &request)
{
    if (std::optional<HttpResponse> refused = refusal(request))
        return *refused;
    NotificationRequest notification;
    const NotificationRequest::Validation validation = NotificationRequest::validate(request.body, &notification);
    switch (validation.outcome) {
    case NotificationRequest::Validation::Outcome::MalformedJson:
        return HttpResponse::json(400, {{QStringLiteral("error"), QStringLiteral("invalid_json")},
                                        {QStringLiteral("message"), validation.errors.first().problem},
                                        {QStringLiteral("detail"), fieldErrorsJson(validation.errors)}});
    case NotificationRequest::Validation::Outcome::Invalid:
        return HttpResponse::json(422, validationErrorJson(validation.errors));
    case NotificationRequest::Validation::Outcome::Valid:
        break;
    }
    return HttpResponse::json(200, publish(notification));
}

HttpResponse HttpApi::notifyBatch(const HttpRequest &request)
{
    if (std::optional<HttpResponse> refused = refusal(request))
        return *refused;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        const QString problem =
            parseError.error != QJsonParseError::NoError
                ? QStringLiteral("invalid JSON: %1 at offset %2").arg(parseError.errorString()).arg(parseError.offset)
                : QStringLiteral("must be a JSON object");
        return HttpResponse::error(400, QStringLiteral("invalid_json"), problem);
    }
    const QJsonObject body = document.object();
    const QJsonValue items = body.value(BatchItemsField);
    const int maxItems = m_config->maxBatchSize;
    QList<FieldError> errors;
    for (auto it = body.begin(); it != body.end(); ++it)
        if (it.key() != BatchItemsField)
            errors.append({it.key(), QStringLiteral("extra fields not permitted"), QStringLiteral("extra_forbidden")});
    if (!items.isArray())
        errors.append({BatchItemsField, QStringLiteral("field required: a list of notifications"),
                       items.isUndefined() ? QStringLiteral("missing") : QStringLiteral("list_type")});
    else if (items.toArray().isEmpty())
        errors.append(
            {BatchItemsField, QStringLiteral("must hold at least one notification"), QStringLiteral("too_short")});
    else if (items.toArray().size() > maxItems)
        errors.append({BatchItemsField,
                       QStringLiteral("at most %1 notifications in one batch (MAX_BATCH_SIZE)").arg(maxItems),
                       QStringLiteral("too_long")});
    if (!errors.isEmpty())
        return HttpResponse::json(422, validationErrorJson(errors));

    // Item by item, in order: a bad item is answered with its errors and does not stop the others.
    QJsonArray results;
    int sent = 0;
    for (const QJsonValue &item : items.toArray()) {
        NotificationRequest notification;
        const NotificationRequest::Validation validation =
            item.isObject()
                ? NotificationRequest::validate(item.toObject(), &notification)
                : NotificationRequest::Validation{NotificationRequest::Validation::Outcome::Invalid,
                                                  {{QStringLiteral("body"), QStringLiteral("must be a JSON object"),
                                                    QStringLiteral("object_type")}}};
        if (validation.outcome == NotificationRequest::Validation::Outcome::Valid) {
            results.append(publish(notification));
            ++sent;
        } else {
            QJsonObject failed = validationErrorJson(validation.errors);
            failed.insert(QStringLiteral("status"), QStringLiteral("invalid"));
            results.append(failed);
        }
    }
    return HttpResponse::json(200, {{QStringLiteral("sent"), sent},
                                    {QStringLiteral("failed"), results.size() - sent},
                                    {QStringLiteral("results"), results}});
}

HttpResponse HttpApi::health() const
{
    const QJsonObject body = m_status->health();
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
    return {200, contentType, file.readAll(), {}, {}, {}};
}

} // namespace herald
