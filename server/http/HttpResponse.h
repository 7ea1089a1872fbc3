#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>

namespace herald {

// What a route returns: status, body and headers, written by HttpRouter in one place.
struct HttpResponse {
    int status = 0; // 0: no response (an upgrade admitted)
    QByteArray contentType = "application/json";
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    // An upgrade's refusal: why, as the connections-refused metric names it (not sent). Decided with the
    // refusal, since the server's state may have changed by the time anyone asks again.
    QString refusedBecause;

    bool isEmpty() const { return status == 0; }

    HttpResponse &because(const QString &refusalReason)
    {
        refusedBecause = refusalReason;
        return *this;
    }

    HttpResponse &withHeader(const QByteArray &name, const QByteArray &value)
    {
        headers.append(qMakePair(name, value));
        return *this;
    }

    static HttpResponse json(int status, const QJsonObject &object)
    {
        return {status, "application/json", QJsonDocument(object).toJson(QJsonDocument::Compact), {}, {}};
    }
    static HttpResponse error(int status, const QString &error, const QString &message)
    {
        return json(status, {{QStringLiteral("error"), error}, {QStringLiteral("message"), message}});
    }
};

} // namespace herald
