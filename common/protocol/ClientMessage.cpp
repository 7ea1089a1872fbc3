#include "ClientMessage.h"

#include "Protocol.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace herald {

namespace {
ClientMessage invalid(QLatin1StringView code, const QString &message)
{
    return {ClientMessage::Kind::Invalid, code, message};
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

    const QJsonValue type = document.object().value(QLatin1StringView("type"));
    if (!type.isString())
        return invalid(protocol::error::InvalidMessage, QStringLiteral("Message must have a string field \"type\""));

    const QString typeName = type.toString();
    if (typeName == protocol::type::Ping)
        return {Kind::Ping, {}, {}};
    if (typeName == protocol::type::StatusRequest)
        return {Kind::StatusRequest, {}, {}};
    return invalid(
        protocol::error::UnknownType,
        QStringLiteral("Unknown message type \"%1\"; supported: \"ping\", \"status_request\"").arg(typeName.left(64)));
}

} // namespace herald
