#include "ClientMessage.h"

#include "ChannelName.h"
#include "Protocol.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace herald {

namespace {
ClientMessage invalid(QLatin1StringView code, const QString &message)
{
    return {ClientMessage::Kind::Invalid, code, message, {}, std::nullopt, {}};
}
} // namespace

ClientMessage ClientMessage::parse(const QString &text)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return invalid(protocol::error::InvalidJson, QStringLiteral("Message is not valid JSON: %1 at offset %2")
                                                         .arg(parseError.errorString())
                                                         .arg(parseError.offset));
    if (!document.isObject())
        return invalid(protocol::error::InvalidMessage, QStringLiteral("Message must be a JSON object"));

    const QJsonObject object = document.object();
    const QJsonValue type = object.value(QLatin1StringView("type"));
    if (!type.isString())
        return invalid(protocol::error::InvalidMessage, QStringLiteral("Message must have a string field \"type\""));

    const QString typeName = type.toString();
    if (typeName == protocol::type::Ping)
        return {Kind::Ping, {}, {}, {}, std::nullopt, {}};
    if (typeName == protocol::type::StatusRequest)
        return {Kind::StatusRequest, {}, {}, {}, std::nullopt, {}};
    if (typeName == protocol::type::Subscribe || typeName == protocol::type::Unsubscribe) {
        const QJsonValue channel = object.value(protocol::ChannelField);
        if (!channel.isString() || !ChannelName::isValid(channel.toString()))
            return invalid(protocol::error::InvalidChannel,
                           QStringLiteral("\"channel\" must be %1").arg(ChannelName::rule()));
        if (typeName == protocol::type::Unsubscribe)
            return {Kind::Unsubscribe, {}, {}, channel.toString(), std::nullopt, {}};
        const QJsonValue since = object.value(protocol::stream::SinceField);
        if (since.isUndefined() || since.isNull())
            return {Kind::Subscribe, {}, {}, channel.toString(), std::nullopt, {}};
        const std::optional<StreamPosition> position = StreamPosition::fromJson(since.toObject());
        if (!since.isObject() || !position) {
            ClientMessage refusal =
                invalid(protocol::error::InvalidPosition,
                        QStringLiteral("\"since\" must be {\"offset\": <integer from 0>, \"epoch\": <1 to 32 "
                                       "letters and digits>}, as a notification of the channel carried them"));
            refusal.channel = channel.toString(); // a valid name: the answer says which subscription it refuses
            return refusal;
        }
        return {Kind::Subscribe, {}, {}, channel.toString(), position, {}};
    }
    if (typeName == protocol::type::Ack) {
        const QJsonValue id = object.value(QLatin1StringView("id"));
        if (!id.isString() || id.toString().isEmpty() || id.toString().size() > MaxNotificationIdLength)
            return invalid(protocol::error::InvalidMessage,
                           QStringLiteral("\"ack\" needs \"id\": the id of the notification it acknowledges"));
        ClientMessage ack{Kind::Ack, {}, {}, {}, std::nullopt, {}};
        ack.notificationId = id.toString();
        return ack;
    }
    return invalid(protocol::error::UnknownType,
                   QStringLiteral("Unknown message type \"%1\"; supported: \"ping\", \"status_request\", "
                                  "\"subscribe\", \"unsubscribe\", \"ack\"")
                       .arg(typeName.left(64)));
}

} // namespace herald
