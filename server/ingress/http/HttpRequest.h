#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrl>

namespace herald {

// One HTTP/1.x request as Herald's front door read it: the request line, the header fields (names in lower
// case, in the order sent) and the body, already bounded by the configured limits, and who sent it.
struct HttpRequest {
    QByteArray method; // as sent, e.g. "GET"
    QByteArray target; // the request-target as sent
    QUrl url;          // path and query of the target
    int versionMinor = 1;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QHostAddress peerAddress;
    quint16 peerPort = 0;
    // Who the client is: the peer, or behind a trusted proxy the client it forwarded for (ClientAddressResolver).
    QString clientAddress;
    // What a route of the form "/prefix/{name}" matched in place of {name}, percent-decoded.
    QString pathParameter;

    QString path() const { return url.path(); }
    // The first field of that name (lower case), empty when there is none.
    QByteArray value(QByteArrayView name) const
    {
        for (const auto &[fieldName, fieldValue] : headers)
            if (fieldName == name)
                return fieldValue;
        return {};
    }
    // Every field of that name, joined by commas as one list (RFC 9110 5.3); empty when there is none.
    QByteArray values(QByteArrayView name) const
    {
        QByteArray joined;
        for (const auto &[fieldName, fieldValue] : headers) {
            if (fieldName != name)
                continue;
            if (!joined.isEmpty())
                joined.append(',');
            joined.append(fieldValue);
        }
        return joined;
    }
    bool has(QByteArrayView name) const
    {
        for (const auto &field : headers)
            if (field.first == name)
                return true;
        return false;
    }
    // Whether a comma-separated field (Connection, Upgrade) lists token, in any case, in any of its lines.
    bool listsToken(QByteArrayView name, QByteArrayView token) const
    {
        for (const auto &[fieldName, fieldValue] : headers) {
            if (fieldName != name)
                continue;
            // Walked in place: every upgrade asks this twice, and split() allocated a list and each item.
            QByteArrayView rest = fieldValue;
            for (;;) {
                const qsizetype comma = rest.indexOf(',');
                if ((comma < 0 ? rest : rest.first(comma)).trimmed().compare(token, Qt::CaseInsensitive) == 0)
                    return true;
                if (comma < 0)
                    break;
                rest = rest.sliced(comma + 1);
            }
        }
        return false;
    }
    // HTTP/1.1 keeps the connection unless told to close; HTTP/1.0 closes unless asked to keep it.
    bool wantsKeepAlive() const
    {
        if (versionMinor == 0)
            return listsToken("connection", "keep-alive");
        return !listsToken("connection", "close");
    }
};

} // namespace herald
