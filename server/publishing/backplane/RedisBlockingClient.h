#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QUrl>
#include <memory>

struct redisContext;
struct redisReply;

namespace herald {

// A blocking Redis connection with a deadline on every command, for the few answers that must be given within
// one call (an HTTP handler answers synchronously): GET /channels/{name}/history and GET /notifications/{id}
// with REDIS_URL. A command that fails or passes the deadline drops the connection, and for PauseAfterFailureMs
// every command fails at once without trying: a frozen Redis costs the thread that asks one deadline, not one
// per request.
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

    static constexpr int PauseAfterFailureMs = 5000;

private:
    bool connectIfNeeded();
    void drop();
    void failed();

    QUrl m_url;
    int m_timeoutMs;
    redisContext *m_context = nullptr;
    QElapsedTimer m_sinceFailure; // invalid: no failure yet
};

} // namespace herald
