#include "RedisBlockingClient.h"

#include <hiredis/hiredis.h>

namespace herald {

void RedisBlockingClient::ReplyDeleter::operator()(redisReply *reply) const
{
    freeReplyObject(reply);
}

RedisBlockingClient::RedisBlockingClient(QUrl url, int timeoutMs)
    : m_url(std::move(url))
    , m_timeoutMs(timeoutMs)
{}

RedisBlockingClient::~RedisBlockingClient()
{
    drop();
}

void RedisBlockingClient::drop()
{
    if (m_context)
        redisFree(m_context);
    m_context = nullptr;
}

void RedisBlockingClient::failed()
{
    drop();
    m_sinceFailure.start();
}

bool RedisBlockingClient::connectIfNeeded()
{
    if (m_context)
        return true;
    if (m_sinceFailure.isValid() && m_sinceFailure.elapsed() < PauseAfterFailureMs)
        return false;
    const timeval timeout{m_timeoutMs / 1000, (m_timeoutMs % 1000) * 1000};
    m_context = redisConnectWithTimeout(m_url.host().toUtf8().constData(), m_url.port(6379), timeout);
    if (!m_context || m_context->err) {
        failed();
        return false;
    }
    redisSetTimeout(m_context, timeout);
    if (!m_url.password().isEmpty()) {
        const QByteArray password = m_url.password().toUtf8();
        Reply answer(static_cast<redisReply *>(
            redisCommand(m_context, "AUTH %b", password.constData(), size_t(password.size()))));
        if (!answer || answer->type == REDIS_REPLY_ERROR) {
            failed();
            return false;
        }
    }
    return true;
}

RedisBlockingClient::Reply RedisBlockingClient::command(const QList<QByteArray> &arguments)
{
    if (!connectIfNeeded())
        return nullptr;
    QList<const char *> argv;
    QList<size_t> lengths;
    for (const QByteArray &argument : arguments) {
        argv.append(argument.constData());
        lengths.append(size_t(argument.size()));
    }
    Reply reply(static_cast<redisReply *>(redisCommandArgv(m_context, int(argv.size()), argv.data(), lengths.data())));
    if (!reply)
        failed(); // a timeout or a lost connection leaves the context unusable
    return reply;
}

} // namespace herald
