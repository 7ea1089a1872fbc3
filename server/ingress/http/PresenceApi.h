#pragma once

#include "HttpResponse.h"

#include <QObject>

namespace herald {

struct HttpRequest;
class HttpRouter;
class Presence;

// The presence routes, behind the API token: GET /channels (channels with subscriber counts), GET
// /channels/{name} (its subscribers, paged) and GET /users/{sub} (that user's connections), cluster-wide.
class PresenceApi : public QObject
{
    Q_OBJECT
public:
    PresenceApi(const Presence *presence, HttpRouter *router, QObject *parent = nullptr);

    static constexpr int DefaultPageSize = 100;
    static constexpr int MaxPageSize = 1000;

private:
    HttpResponse channels(const HttpRequest &request) const;
    HttpResponse channel(const HttpRequest &request) const;
    HttpResponse user(const HttpRequest &request) const;

    const Presence *m_presence;
};

} // namespace herald
