#pragma once

#include "support/TestClient.h"

#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrl>
#include <QUrlQuery>

// What the history and recovery tests read off their clients: the offsets and epochs of the notifications of one
// stream, and the positions they send back (/ws?since=).
namespace herald::test {

// url with these query items, each value percent-encoded ("$all:3:k3x9" keeps its '$').
inline QUrl withQuery(QUrl url, const QList<QPair<QString, QString>> &items)
{
    QUrlQuery query(url);
    for (const auto &[name, value] : items)
        query.addQueryItem(name, QString::fromUtf8(QUrl::toPercentEncoding(value)));
    url.setQuery(query);
    return url;
}

// A ?since= value: <stream>:<offset>:<epoch>.
inline QString since(const QString &stream, qint64 offset, const QString &epoch)
{
    return QStringLiteral("%1:%2:%3").arg(stream).arg(offset).arg(epoch);
}

// The offsets of the notifications client received on stream, in the order they came (taken by waitFor or not).
inline QList<qint64> offsetsOn(const TestClient &client, const QString &stream)
{
    QList<qint64> offsets;
    for (const QJsonObject &message : client.all())
        if (message.value("type").toString() == u"notification" && message.value("stream").toString() == stream)
            offsets.append(message.value("offset").toInteger());
    return offsets;
}

// The epoch of the last notification client received on stream.
inline QString lastEpochOn(const TestClient &client, const QString &stream)
{
    QString epoch;
    for (const QJsonObject &message : client.all())
        if (message.value("type").toString() == u"notification" && message.value("stream").toString() == stream)
            epoch = message.value("epoch").toString();
    return epoch;
}

// first, first + 1, ..., last.
inline QList<qint64> range(qint64 first, qint64 last)
{
    QList<qint64> offsets;
    for (qint64 offset = first; offset <= last; ++offset)
        offsets.append(offset);
    return offsets;
}

// One stream's part of a "recovery" message (or of a welcome's "streams").
inline QJsonObject streamIn(const QJsonObject &message, const QString &stream)
{
    return message.value("streams").toObject().value(stream).toObject();
}

} // namespace herald::test
