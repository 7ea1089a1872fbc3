#include "NotificationRequest.h"

#include "protocol/ChannelName.h"
#include "protocol/Protocol.h"

#include <QJsonArray>

#include <QJsonDocument>
#include <QRegularExpression>

namespace herald {

namespace {

const QLatin1StringView MessageField{"message"};
const QLatin1StringView TypeField{"type"};
const QLatin1StringView DataField{"data"};
const QLatin1StringView AckField{"ack"};

// A target field: a string, or a non-empty list of strings, at most max of them; the names go to *names.
void readTargets(const QJsonObject &object, QLatin1StringView field, int max, QStringList *names,
                 QList<FieldError> *errors)
{
    const QJsonValue value = object.value(field);
    if (value.isString()) {
        names->append(value.toString());
    } else if (value.isArray()) {
        for (const QJsonValue &name : value.toArray())
            names->append(name.isString() ? name.toString() : QString());
        if (names->isEmpty())
            errors->append({field, QStringLiteral("must name at least one"), QStringLiteral("too_short")});
    } else if (!value.isUndefined()) {
        errors->append({field, QStringLiteral("must be a string or a list of strings"), QStringLiteral("string_type")});
    }
    if (names->size() > max)
        errors->append({field, QStringLiteral("at most %1 in one request").arg(max), QStringLiteral("too_long")});
}

// Whether one target name is well-formed for its kind; the error's problem otherwise.
QString targetProblem(Audience::Kind kind, const QString &name)
{
    switch (kind) {
    case Audience::Kind::Channels:
        return ChannelName::isValid(name) ? QString()
                                          : QStringLiteral("each channel must be %1").arg(ChannelName::rule());
    case Audience::Kind::Users:
        return !name.isEmpty() && name.size() <= Audience::MaxUserIdLength
                   ? QString()
                   : QStringLiteral("each user must be 1 to %1 characters").arg(Audience::MaxUserIdLength);
    case Audience::Kind::Clients:
        return name.isEmpty() ? QStringLiteral("each client id must be a non-empty string") : QString();
    case Audience::Kind::Everyone:
        break;
    }
    return {};
}

// The targets: at most one of "channel", "user" and "client_id", each a string or a list; none: everyone.
Audience readAudience(const QJsonObject &object, QList<FieldError> *errors)
{
    using Kind = Audience::Kind;
    Audience audience;
    for (const auto &[kind, max] :
         {std::pair{Kind::Channels, Audience::MaxChannels}, std::pair{Kind::Users, Audience::MaxUsers},
          std::pair{Kind::Clients, Audience::MaxClients}}) {
        const QLatin1StringView field = Audience::fieldNameOf(kind);
        if (!object.contains(field))
            continue;
        if (!audience.isEveryone()) {
            errors->append({field,
                            QStringLiteral("give one kind of target: channel, user or client_id (not both %1 and %2)")
                                .arg(audience.fieldName(), field),
                            QStringLiteral("value_error")});
            continue;
        }
        QStringList names;
        readTargets(object, field, max, &names, errors);
        for (const QString &name : std::as_const(names))
            if (const QString problem = targetProblem(kind, name); !problem.isEmpty()) {
                errors->append({field, problem,
                                kind == Kind::Clients ? QStringLiteral("string_type")
                                                      : QStringLiteral("string_pattern_mismatch")});
                break;
            }
        names.removeDuplicates();
        audience = Audience::of(kind, names);
    }
    return audience;
}

QString jsonTypeName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("boolean");
    case QJsonValue::Double:
        return QStringLiteral("number");
    case QJsonValue::String:
        return QStringLiteral("string");
    case QJsonValue::Array:
        return QStringLiteral("array");
    case QJsonValue::Object:
        return QStringLiteral("object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("undefined");
}

// Types the server itself sends: a broadcast using one would be mistaken for a protocol message.
bool isReservedType(const QString &type)
{
    using namespace protocol::type;
    for (QLatin1StringView reserved :
         {Welcome, Ping, Pong, StatusRequest, Status, Error, Periodic, Shutdown, Recovery, Ack})
        if (type == reserved)
            return true;
    return false;
}

} // namespace

QList<FieldError> NotificationRequest::validateFields(const QString &message, const QString &type)
{
    QList<FieldError> errors;
    if (message.trimmed().isEmpty())
        errors.append({MessageField, QStringLiteral("must not be empty"), QStringLiteral("string_too_short")});

    static const QRegularExpression typePattern(QStringLiteral("^[A-Za-z0-9_.:-]+$"));
    if (type.isEmpty() || type.size() > MaxTypeLength || !typePattern.match(type).hasMatch())
        errors.append(
            {TypeField,
             QStringLiteral("must be 1 to %1 characters of letters, digits, '_', '.', ':' or '-'").arg(MaxTypeLength),
             QStringLiteral("string_pattern_mismatch")});
    else if (isReservedType(type))
        errors.append({TypeField, QStringLiteral("\"%1\" is reserved for protocol messages").arg(type),
                       QStringLiteral("reserved_type")});
    return errors;
}

NotificationRequest::Validation NotificationRequest::validate(const QByteArray &body, NotificationRequest *out)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return {Validation::Outcome::MalformedJson,
                {{QStringLiteral("body"),
                  QStringLiteral("invalid JSON: %1 at offset %2").arg(parseError.errorString()).arg(parseError.offset),
                  QStringLiteral("json_invalid")}}};
    if (!document.isObject())
        return {Validation::Outcome::MalformedJson,
                {{QStringLiteral("body"), QStringLiteral("must be a JSON object"), QStringLiteral("object_type")}}};

    return validate(document.object(), out);
}

NotificationRequest::Validation NotificationRequest::validate(const QJsonObject &object, NotificationRequest *out)
{
    QList<FieldError> errors;

    for (auto it = object.begin(); it != object.end(); ++it)
        if (it.key() != MessageField && it.key() != TypeField && it.key() != DataField && it.key() != AckField &&
            !Audience::kindNamed(it.key()).has_value())
            errors.append({it.key(), QStringLiteral("extra fields not permitted"), QStringLiteral("extra_forbidden")});

    const QJsonValue message = object.value(MessageField);
    const QJsonValue type = object.value(TypeField);
    const QJsonValue data = object.value(DataField);

    bool fieldTypesOk = true;
    if (message.isUndefined()) {
        errors.append({MessageField, QStringLiteral("field required"), QStringLiteral("missing")});
        fieldTypesOk = false;
    } else if (!message.isString()) {
        errors.append({MessageField, QStringLiteral("must be a string, not %1").arg(jsonTypeName(message)),
                       QStringLiteral("string_type")});
        fieldTypesOk = false;
    }
    if (!type.isUndefined() && !type.isString()) {
        errors.append({TypeField, QStringLiteral("must be a string, not %1").arg(jsonTypeName(type)),
                       QStringLiteral("string_type")});
        fieldTypesOk = false;
    }
    if (!data.isUndefined() && !data.isNull() && !data.isObject())
        errors.append({DataField, QStringLiteral("must be an object, not %1").arg(jsonTypeName(data)),
                       QStringLiteral("dict_type")});
    const QJsonValue ack = object.value(AckField);
    if (!ack.isUndefined() && !ack.isBool())
        errors.append({AckField, QStringLiteral("must be a boolean, not %1").arg(jsonTypeName(ack)),
                       QStringLiteral("bool_type")});

    const Audience audience = readAudience(object, &errors);
    const QString typeName = type.isString() ? type.toString() : QString(protocol::type::Notification);
    if (fieldTypesOk)
        errors.append(validateFields(message.toString(), typeName));

    if (!errors.isEmpty())
        return {Validation::Outcome::Invalid, errors};

    out->message = message.toString();
    out->type = typeName;
    out->data = data.toObject();
    out->audience = audience;
    out->ackRequested = ack.toBool(false);
    return {Validation::Outcome::Valid, {}};
}

QByteArray NotificationRequest::encode(const QString &id, const QString &timestamp, const QString &channel) const
{
    QJsonObject wire{{TypeField, type},
                     {MessageField, message},
                     {DataField, data},
                     {QLatin1StringView("id"), id},
                     {QLatin1StringView("timestamp"), timestamp}};
    if (!channel.isEmpty())
        wire.insert(protocol::ChannelField, channel);
    if (ackRequested)
        wire.insert(AckField, true);
    return QJsonDocument(wire).toJson(QJsonDocument::Compact);
}

namespace {
QByteArray latin1(QLatin1StringView text)
{
    return QByteArray(text.data(), text.size());
}
} // namespace

QByteArray NotificationRequest::encodeHead(const QString &id, const QString &timestamp, const QString &channel,
                                           const QString &stream) const
{
    QByteArray head = encode(id, timestamp, channel);
    head.chop(1); // the closing brace: the position goes last
    const QByteArray name = QJsonDocument(QJsonArray{stream}).toJson(QJsonDocument::Compact);
    head += ",\"" + latin1(protocol::stream::StreamField) + "\":" + name.mid(1, name.size() - 2) + ",\"" +
            latin1(protocol::stream::OffsetField) + "\":";
    return head;
}

QByteArray NotificationRequest::withoutPosition(const QByteArray &head)
{
    // The stream field is the first of what encodeHead() appended, and nothing the request holds comes after it.
    return head.left(head.lastIndexOf(",\"" + latin1(protocol::stream::StreamField) + "\":")) + '}';
}

std::optional<NamedPosition> NotificationRequest::positionOf(QByteArrayView encoded)
{
    // ...,"stream":"<name>","offset":<digits>,"epoch":"<epoch>"}: names and epochs never need escaping.
    const QByteArray epochKey = ",\"" + latin1(protocol::stream::EpochField) + "\":\"";
    const QByteArray offsetKey = ",\"" + latin1(protocol::stream::OffsetField) + "\":";
    const QByteArray streamKey = ",\"" + latin1(protocol::stream::StreamField) + "\":\"";
    if (!encoded.endsWith("\"}"))
        return std::nullopt;
    const qsizetype epochAt = encoded.lastIndexOf(epochKey);
    const qsizetype offsetAt = epochAt > 0 ? encoded.first(epochAt).lastIndexOf(offsetKey) : -1;
    const qsizetype streamAt = offsetAt > 0 ? encoded.first(offsetAt).lastIndexOf(streamKey) : -1;
    if (streamAt < 0 || encoded.at(offsetAt - 1) != '"')
        return std::nullopt;
    const qsizetype nameFrom = streamAt + streamKey.size();
    const qsizetype offsetFrom = offsetAt + offsetKey.size();
    const qsizetype epochFrom = epochAt + epochKey.size();
    bool ok = false;
    NamedPosition named;
    named.stream = QString::fromUtf8(encoded.sliced(nameFrom, offsetAt - 1 - nameFrom));
    named.position.offset = encoded.sliced(offsetFrom, epochAt - offsetFrom).toULongLong(&ok);
    named.position.epoch = QString::fromLatin1(encoded.sliced(epochFrom, encoded.size() - 2 - epochFrom));
    if (!ok || named.stream.isEmpty() || named.stream.contains(QLatin1Char('"')) ||
        !StreamPosition::isValidEpoch(named.position.epoch))
        return std::nullopt;
    return named;
}

QByteArray NotificationRequest::withPosition(const QByteArray &head, const StreamPosition &position)
{
    return head + QByteArray::number(position.offset) + ",\"" + latin1(protocol::stream::EpochField) + "\":\"" +
           position.epoch.toLatin1() + "\"}";
}

} // namespace herald
