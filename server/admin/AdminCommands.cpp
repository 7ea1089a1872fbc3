#include "AdminCommands.h"

#include "AdminFeed.h"
#include "Server.h"
#include "notification/NotificationRequest.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace herald {

namespace {
QJsonObject failure(const QString &error, const QString &message)
{
    return {{QStringLiteral("ok"), false}, {QStringLiteral("error"), error}, {QStringLiteral("message"), message}};
}
} // namespace

AdminCommands::AdminCommands(Server *server, QObject *parent)
    : QObject(parent)
    , m_server(server)
{}

QJsonObject AdminCommands::execute(const QJsonObject &command)
{
    const QString name = command.value(QStringLiteral("command")).toString();
    QJsonObject reply;
    if (name == u"broadcast") {
        reply = broadcast(command);
    } else if (name == u"shutdown") {
        const QString reason = command.value(QStringLiteral("reason")).toString(QStringLiteral("admin console"));
        m_server->shutdown(reason);
        reply = {{QStringLiteral("ok"), true}};
    } else if (name == u"close_all_now") {
        m_server->shutdownCoordinator()->closeAllNow();
        reply = {{QStringLiteral("ok"), true}};
    } else if (name == u"snapshot") {
        reply = {{QStringLiteral("ok"), true}, {QStringLiteral("snapshot"), m_server->adminFeed()->snapshot()}};
    } else {
        reply = failure(QStringLiteral("unknown_command"),
                        QStringLiteral("Unknown command \"%1\"; known: broadcast, shutdown, close_all_now, snapshot")
                            .arg(name.left(64)));
    }
    reply.insert(QStringLiteral("reply"), name);
    if (command.contains(QStringLiteral("request_id")))
        reply.insert(QStringLiteral("request_id"), command.value(QStringLiteral("request_id")));
    return reply;
}

QJsonObject AdminCommands::broadcast(const QJsonObject &command)
{
    if (m_server->shutdownCoordinator()->state() != ShutdownCoordinator::State::Running)
        return failure(QStringLiteral("shutting_down"), QStringLiteral("Server is shutting down; nothing was sent"));

    // The same validation as POST /notify, on the same fields.
    QJsonObject body = command;
    body.remove(QStringLiteral("command"));
    body.remove(QStringLiteral("request_id"));
    const QJsonValue targets = body.take(QStringLiteral("targets"));
    NotificationRequest notification;
    const auto validation =
        NotificationRequest::validate(QJsonDocument(body).toJson(QJsonDocument::Compact), &notification);
    if (validation.outcome != NotificationRequest::Validation::Outcome::Valid) {
        const FieldError &first = validation.errors.first();
        return failure(QStringLiteral("validation_error"), QStringLiteral("%1: %2").arg(first.field, first.problem));
    }
    QStringList targetIds;
    for (const QJsonValue &id : targets.toArray())
        targetIds.append(id.toString());
    if (targets.isArray() && targetIds.isEmpty())
        return failure(QStringLiteral("validation_error"), QStringLiteral("targets: select at least one client"));

    const BroadcastReceipt receipt = m_server->broadcast(notification, QStringLiteral("console"), targetIds);
    return {{QStringLiteral("ok"), true},
            {QStringLiteral("notification_id"), receipt.id},
            {QStringLiteral("recipients"), receipt.recipients},
            {QStringLiteral("timestamp"), receipt.timestamp}};
}

} // namespace herald
