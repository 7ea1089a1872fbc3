#pragma once

#include "Audience.h"
#include "protocol/StreamPosition.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace herald {

// One problem with a /notify body, shaped like a Pydantic error so API users meet a familiar format.
struct FieldError {
    QString field;   // "message", "type", "data", or "body" for the whole document
    QString problem; // human-readable, e.g. "field required"
    QString code;    // machine-readable, e.g. "missing"
};

// A validated broadcast request. Built only through validate(), so an instance is always well-formed.
class NotificationRequest
{
public:
    struct Validation {
        enum class Outcome { Valid, MalformedJson, Invalid };
        Outcome outcome = Outcome::Invalid;
        QList<FieldError> errors;
    };

    static Validation validate(const QByteArray &body, NotificationRequest *out);
    // One notification already parsed, as each item of a batch is.
    static Validation validate(const QJsonObject &object, NotificationRequest *out);

    // Also used by callers inside the process (console, periodic service) that bypass JSON.
    static QList<FieldError> validateFields(const QString &message, const QString &type);

    QString message;
    QString type;
    QJsonObject data;
    // "channel", "user" or "client_id" (a name or a list of them), at most one kind; none: every client. Each
    // channel's subscribers get a copy that carries its channel.
    Audience audience;
    // "ack": true: each connection is asked to acknowledge it ({"type": "ack", "id": ...}), and Herald keeps its
    // receipt (GET /notifications/{id}).
    bool ackRequested = false;

    // The wire form sent to every client (of one channel, when given): serialised once, never per recipient.
    QByteArray encode(const QString &id, const QString &timestamp, const QString &channel = {}) const;
    // The same for a stream that keeps it, in two parts: the head, which ends in the stream and `"offset":`, and
    // the position that completes it, known only once the history has placed it (in Redis, by a script that
    // appends exactly what withPosition() does, so every instance sends the same bytes).
    QByteArray encodeHead(const QString &id, const QString &timestamp, const QString &channel,
                          const QString &stream) const;
    static QByteArray withPosition(const QByteArray &head, const StreamPosition &position);
    // The position a notification completed by withPosition() carries, read from its end; nullopt when it does not
    // end as withPosition() ends it.
    static std::optional<NamedPosition> positionOf(QByteArrayView encoded);
    // The notification as encode() gives it, from a head: for when it must go out before it has a position.
    static QByteArray withoutPosition(const QByteArray &head);

    static constexpr int MaxTypeLength = 64;
};

} // namespace herald
