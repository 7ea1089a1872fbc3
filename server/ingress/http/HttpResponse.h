#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <functional>

namespace herald {

struct UpgradedSocket;

// What a route returns: status, body and headers, written by HttpRouter in one place.
struct HttpResponse {
    int status = 0; // 0: no response (a check that passed, an upgrade admitted)
    QByteArray contentType = "application/json";
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    // An upgrade's refusal: why, as the connections-refused metric names it (not sent). Decided with the
    // refusal, since the server's state may have changed by the time anyone asks again.
    QString refusedBecause;
    // An error's message as its JSON body says it, for the log line that goes with a refusal (not sent twice).
    QString message;
    // The body is what the connection sends from now on, until it ends (an event stream): no Content-Length.
    bool untilClose = false;

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
        return {status, "application/json", QJsonDocument(object).toJson(QJsonDocument::Compact), {}, {}, {}, false};
    }
    static HttpResponse error(int status, const QString &error, const QString &message)
    {
        HttpResponse response = json(status, {{QStringLiteral("error"), error}, {QStringLiteral("message"), message}});
        response.message = message;
        return response;
    }
};

// What the router makes of a request: the answer, and for an admitted WebSocket upgrade (a 101) or event stream
// (a 200 whose body is the rest of the connection) who takes the connection over once that head is written.
struct HttpAnswer {
    HttpResponse response;
    std::function<void(UpgradedSocket)> takeOver; // only with a 101 or an event stream's 200
    bool closeAfter = false;                      // close the connection after the answer (a refused upgrade)
};

// The reason phrase of a status Herald sends.
QByteArray reasonPhrase(int status);

} // namespace herald
