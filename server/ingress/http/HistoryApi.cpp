#include "HistoryApi.h"

#include "HttpRequest.h"
#include "HttpRouter.h"
#include "history/History.h"
#include "protocol/ChannelName.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUrlQuery>

namespace herald {

namespace {
HttpResponse invalid(const QString &message)
{
    return HttpResponse::error(422, QStringLiteral("validation_error"), message);
}
} // namespace

HistoryApi::HistoryApi(History *history, HttpRouter *router, QObject *parent)
    : QObject(parent)
    , m_history(history)
{
    router->addRoute(
        QByteArrayLiteral("GET"), QStringLiteral("/channels/{name}/history"),
        [this](const HttpRequest &request) { return channelHistory(request); }, HttpRouter::Access::Token);
}

HttpResponse HistoryApi::channelHistory(const HttpRequest &request) const
{
    const QString &channel = request.pathParameter;
    if (!ChannelName::isValid(channel))
        return invalid(QStringLiteral("The channel must be %1").arg(ChannelName::rule()));
    const QUrlQuery query(request.url);
    quint64 since = 0;
    if (query.hasQueryItem(QStringLiteral("since"))) {
        bool ok = false;
        since = query.queryItemValue(QStringLiteral("since")).toULongLong(&ok);
        if (!ok || since > StreamPosition::MaxOffset)
            return invalid(QStringLiteral("since: must be an offset, an integer from 0 (the oldest kept)"));
    }
    int limit = DefaultLimit;
    if (query.hasQueryItem(QStringLiteral("limit"))) {
        bool ok = false;
        limit = query.queryItemValue(QStringLiteral("limit")).toInt(&ok);
        if (!ok || limit < 1 || limit > MaxLimit)
            return invalid(QStringLiteral("limit: must be an integer from 1 to %1").arg(MaxLimit));
    }
    const QString epoch = query.queryItemValue(QStringLiteral("epoch"), QUrl::FullyDecoded);
    if (query.hasQueryItem(QStringLiteral("epoch")) && !StreamPosition::isValidEpoch(epoch))
        return invalid(QStringLiteral("epoch: must be 1 to 32 letters and digits, as a notification carried it"));

    const StreamKey stream = StreamKey::channel(channel);
    const HistoryRead read = m_history->page(stream, since, limit);
    if (read.outcome == HistoryRead::Outcome::Unavailable)
        return HttpResponse::error(503, QStringLiteral("history_unavailable"),
                                   QStringLiteral("The history is in Redis, which did not answer; try again shortly"))
            .withHeader("Retry-After", "5");
    if (read.outcome == HistoryRead::Outcome::NotKept)
        return HttpResponse::error(404, QStringLiteral("history_not_kept"),
                                   QStringLiteral("Channel %1 keeps no history (HISTORY_SIZE, HISTORY_TTL, "
                                                  "HISTORY_CHANNELS)")
                                       .arg(channel));
    QJsonObject answer{{QStringLiteral("channel"), channel},
                       {protocol::stream::OffsetField, qint64(read.position.offset)},
                       {protocol::stream::EpochField, read.position.epoch}};
    // Offsets of another epoch count in a history that is gone: the caller must start over from the oldest.
    if (!epoch.isEmpty() && epoch != read.position.epoch) {
        HttpResponse changed = HttpResponse::error(
            409, QStringLiteral("epoch_changed"),
            QStringLiteral("The channel's history is a new one (epoch %1); ask again without since and epoch")
                .arg(read.position.epoch));
        changed.body = QJsonDocument(QJsonObject{{QStringLiteral("error"), QStringLiteral("epoch_changed")},
                                                 {QStringLiteral("message"), changed.message},
                                                 {protocol::stream::OffsetField, qint64(read.position.offset)},
                                                 {protocol::stream::EpochField, read.position.epoch}})
                           .toJson(QJsonDocument::Compact);
        return changed;
    }
    QJsonArray notifications;
    for (const KeptNotification &kept : read.notifications)
        notifications.append(QJsonDocument::fromJson(kept.payload()).object());
    // Complete: nothing between since and the first one answered (or the newest) is gone.
    const quint64 first = read.notifications.isEmpty() ? read.position.offset + 1 : read.notifications.first().offset;
    answer.insert(QStringLiteral("complete"), since + 1 >= first);
    answer.insert(QStringLiteral("notifications"), notifications);
    answer.insert(QStringLiteral("more"), read.more);
    return HttpResponse::json(200, answer);
}

} // namespace herald
