#include "AdminCommands.h"

#include "AdminFeed.h"
#include "notification/NotificationRequest.h"
#include "protocol/AdminProtocol.h"
#include "publish/Publisher.h"
#include "shutdown/ShutdownCoordinator.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace herald {

namespace {
QJsonObject failure(QLatin1StringView error, const QString &message)
{
    return {{admin::key::Ok, false}, {admin::key::Error, error}, {admin::key::Message, message}};
}
} // namespace

AdminCommands::AdminCommands(Publisher *publisher, ShutdownCoordinator *shutdown, AdminFeed *feed, QObject *parent)
    : QObject(parent)
    , m_publisher(publisher)
    , m_shutdown(shutdown)
    , m_feed(feed)
{}

QJsonObject AdminCommands::execute(const QJsonObject &command)
{
    const QString name = command.value(admin::key::Command).toString();
    QJsonObject reply;
    if (name == admin::command::Broadcast) {
        reply = broadcast(command);
    } else if (name == admin::command::Shutdown) {
        const QString reason = command.value(admin::key::Reason).toString(QStringLiteral("admin console"));
        m_shutdown->requestShutdown(reason, command.value(admin::key::DrainSeconds).toDouble(-1));
        reply = {{admin::key::Ok, true}};
    } else if (name == admin::command::CloseAllNow) {
        m_shutdown->closeAllNow();
        reply = {{admin::key::Ok, true}};
    } else if (name == admin::command::Snapshot) {
        reply = {{admin::key::Ok, true}, {admin::event::Snapshot, m_feed->snapshot()}};
    } else {
        reply = failure(admin::error::UnknownCommand,
                        QStringLiteral("Unknown command \"%1\"; known: broadcast, shutdown, close_all_now, snapshot")
                            .arg(name.left(64)));
    }
    reply.insert(admin::key::Reply, name);
    if (command.contains(admin::key::RequestId))
        reply.insert(admin::key::RequestId, command.value(admin::key::RequestId));
    return reply;
}

QJsonObject AdminCommands::broadcast(const QJsonObject &command)
{
    if (m_shutdown->state() != ShutdownCoordinator::State::Running)
        return failure(admin::error::ShuttingDown, QStringLiteral("Server is shutting down; nothing was sent"));

    // The same validation as POST /notify, on the same fields.
    QJsonObject body = command;
    body.remove(admin::key::Command);
    body.remove(admin::key::RequestId);
    const QJsonValue targets = body.take(admin::key::Targets);
    NotificationRequest notification;
    const auto validation =
        NotificationRequest::validate(QJsonDocument(body).toJson(QJsonDocument::Compact), &notification);
    if (validation.outcome != NotificationRequest::Validation::Outcome::Valid) {
        const FieldError &first = validation.errors.first();
        return failure(admin::error::ValidationError, QStringLiteral("%1: %2").arg(first.field, first.problem));
    }
    QStringList targetIds;
    for (const QJsonValue &id : targets.toArray())
        targetIds.append(id.toString());
    if (targets.isArray() && targetIds.isEmpty())
        return failure(admin::error::ValidationError, QStringLiteral("targets: select at least one client"));
    if (!targetIds.isEmpty() && !notification.audience.isEveryone())
        return failure(
            admin::error::ValidationError,
            QStringLiteral("targets: give selected clients or %1, not both").arg(notification.audience.fieldName()));

    if (!targetIds.isEmpty())
        notification.audience = Audience::of(Audience::Kind::Clients, targetIds);
    const PublishReceipt receipt = m_publisher->publish(notification, QStringLiteral("console"));
    return {{admin::key::Ok, true},
            {admin::key::NotificationId, receipt.id},
            {admin::key::Recipients, receipt.recipients},
            {QStringLiteral("timestamp"), receipt.timestamp}};
}

} // namespace herald
