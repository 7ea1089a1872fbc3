#include "PresenceApi.h"

#include "HttpRequest.h"
#include "HttpRouter.h"
#include "notification/Audience.h"
#include "presence/Presence.h"
#include "protocol/ChannelName.h"

#include <QJsonArray>
#include <QUrlQuery>
#include <algorithm>

namespace herald {

namespace {

// ?offset=&limit=: where a page starts and how long it is, or the 422 for a bad one.
struct Page {
    int offset = 0;
    int limit = PresenceApi::DefaultPageSize;
    HttpResponse problem;

    static Page of(const HttpRequest &request)
    {
        Page page;
        const QUrlQuery query(request.url);
        for (const auto &[name, field, low, high] :
             {std::tuple{QStringLiteral("offset"), &page.offset, 0, std::numeric_limits<int>::max()},
              std::tuple{QStringLiteral("limit"), &page.limit, 1, PresenceApi::MaxPageSize}}) {
            if (!query.hasQueryItem(name))
                continue;
            bool ok = false;
            const int value = query.queryItemValue(name).toInt(&ok);
            if (!ok || value < low || value > high) {
                page.problem = HttpResponse::error(
                    422, QStringLiteral("validation_error"),
                    QStringLiteral("%1: must be an integer from %2 to %3").arg(name).arg(low).arg(high));
                return page;
            }
            *field = value;
        }
        return page;
    }
    template<typename List> List slice(const List &all) const { return all.mid(offset, limit); }
    void describe(QJsonObject *answer, qsizetype total) const
    {
        answer->insert(QStringLiteral("total"), qint64(total));
        answer->insert(QStringLiteral("offset"), offset);
        answer->insert(QStringLiteral("limit"), limit);
        if (offset + limit < total)
            answer->insert(QStringLiteral("next_offset"), offset + limit);
    }
};

void sortForPaging(ClientPresenceList *clients)
{
    std::sort(clients->begin(), clients->end(), [](const ClientPresence &a, const ClientPresence &b) {
        return std::tie(a.instance, a.clientId) < std::tie(b.instance, b.clientId);
    });
}

} // namespace

PresenceApi::PresenceApi(const Presence *presence, HttpRouter *router, QObject *parent)
    : QObject(parent)
    , m_presence(presence)
{
    router->addRoute(
        QByteArrayLiteral("GET"), QStringLiteral("/channels"),
        [this](const HttpRequest &request) { return channels(request); }, HttpRouter::Access::Token);
    router->addRoute(
        QByteArrayLiteral("GET"), QStringLiteral("/channels/{name}"),
        [this](const HttpRequest &request) { return channel(request); }, HttpRouter::Access::Token);
    router->addRoute(
        QByteArrayLiteral("GET"), QStringLiteral("/users/{name}"),
        [this](const HttpRequest &request) { return user(request); }, HttpRouter::Access::Token);
}

HttpResponse PresenceApi::channels(const HttpRequest &request) const
{
    const Page page = Page::of(request);
    if (!page.problem.isEmpty())
        return page.problem;
    const QString prefix = QUrlQuery(request.url).queryItemValue(QStringLiteral("prefix"), QUrl::FullyDecoded);
    QJsonArray all;
    const QMap<QString, int> counts = m_presence->channelCounts();
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        if (it.key().startsWith(prefix))
            all.append(QJsonObject{{QStringLiteral("channel"), it.key()}, {QStringLiteral("subscribers"), it.value()}});
    QJsonArray instances;
    for (const Presence::Instance &instance : m_presence->instances())
        instances.append(QJsonObject{{QStringLiteral("instance"), instance.name},
                                     {QStringLiteral("clients"), instance.clients},
                                     {QStringLiteral("local"), instance.local}});
    QJsonArray shown;
    for (qsizetype i = page.offset; i < all.size() && i < qsizetype(page.offset) + page.limit; ++i)
        shown.append(all.at(i));
    QJsonObject answer{{QStringLiteral("channels"), shown}, {QStringLiteral("instances"), instances}};
    page.describe(&answer, all.size());
    return HttpResponse::json(200, answer);
}

HttpResponse PresenceApi::channel(const HttpRequest &request) const
{
    const QString name = request.pathParameter;
    if (!ChannelName::isValid(name))
        return HttpResponse::error(400, QStringLiteral("invalid_channel"),
                                   QStringLiteral("A channel name is %1").arg(ChannelName::rule()));
    const Page page = Page::of(request);
    if (!page.problem.isEmpty())
        return page.problem;
    ClientPresenceList subscribers = m_presence->subscribersOf(name);
    sortForPaging(&subscribers);
    QJsonArray clients;
    for (const ClientPresence &client : page.slice(subscribers))
        clients.append(QJsonObject{{QStringLiteral("client_id"), client.clientId},
                                   {QStringLiteral("user"), client.user},
                                   {QStringLiteral("instance"), client.instance}});
    QJsonObject answer{{QStringLiteral("channel"), name},
                       {QStringLiteral("subscribers"), qint64(subscribers.size())},
                       {QStringLiteral("clients"), clients}};
    page.describe(&answer, subscribers.size());
    return HttpResponse::json(200, answer);
}

HttpResponse PresenceApi::user(const HttpRequest &request) const
{
    const QString name = request.pathParameter;
    if (name.size() > Audience::MaxUserIdLength)
        return HttpResponse::error(400, QStringLiteral("invalid_user"),
                                   QStringLiteral("A user is 1 to %1 characters").arg(Audience::MaxUserIdLength));
    ClientPresenceList connections = m_presence->connectionsOf(name);
    sortForPaging(&connections);
    QJsonArray shown;
    for (const ClientPresence &client : std::as_const(connections))
        shown.append(QJsonObject{{QStringLiteral("client_id"), client.clientId},
                                 {QStringLiteral("instance"), client.instance},
                                 {QStringLiteral("remote"), client.remote},
                                 {QStringLiteral("connected_at"), client.connectedAt.toString(Qt::ISODateWithMs)},
                                 {QStringLiteral("channels"), QJsonArray::fromStringList(client.channels)}});
    return HttpResponse::json(200, {{QStringLiteral("user"), name},
                                    {QStringLiteral("online"), !connections.isEmpty()},
                                    {QStringLiteral("connections"), shown}});
}

} // namespace herald
