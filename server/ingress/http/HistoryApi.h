#pragma once

#include "HttpResponse.h"

#include <QObject>

namespace herald {

struct HttpRequest;
class HttpRouter;
class History;

// GET /channels/{name}/history?since=<offset>&epoch=<epoch>&limit=<n>, behind the API token: a channel's kept
// notifications after an offset, oldest first, for an application's server that catches up itself.
class HistoryApi : public QObject
{
    Q_OBJECT
public:
    HistoryApi(History *history, HttpRouter *router, QObject *parent = nullptr);

    static constexpr int DefaultLimit = 100;
    static constexpr int MaxLimit = 1000;

private:
    HttpResponse channelHistory(const HttpRequest &request) const;

    History *m_history;
};

} // namespace herald
