#pragma once

#include <QByteArray>
#include <QList>
#include <QUrl>
#include <memory>

struct redisContext;
struct redisReply;

namespace herald {

// A blocking Redis connection with a deadline on every command, for the few answers that must be given within
// one call (an HTTP handler answers synchronously): GET /channels/{name}/history and GET /notifications/{id}
// with REDIS_URL. A command that fails or passes the deadline drops the connection; the next one reconnects.
class RedisBlockingClient
{
public:
    RedisBlockingClient(QUrl url, int timeoutMs);
    ~RedisBlockingClient();
    RedisBlockingClient(const RedisBlockingClient &) = delete;
    RedisBlockingClient &operator=(const RedisBlockingClient &) = delete;

    struct ReplyDeleter {
        void operator()(redisReply *reply) const;
    };
    using Reply = std::unique_ptr<redisReply, ReplyDeleter>;
    // Redis's reply, or none when it could not be reached or did not answer within the deadline.
    Reply command(const QList<QByteArray> &arguments);

private:
    bool connectIfNeeded();
    void drop();

    QUrl m_url;
    int m_timeoutMs;
    redisContext *m_context = nullptr;
};

} // namespace herald
