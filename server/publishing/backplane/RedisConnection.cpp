#include "RedisConnection.h"

#include <QSocketNotifier>
#include <memory>

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

namespace herald {

// hiredis calls plain C functions; they find their RedisConnection through the context's data pointer, which
// is cleared when the connection object goes away first.
struct RedisCallbacks {
    static RedisConnection *owner(const redisAsyncContext *context)
    {
        return static_cast<RedisConnection *>(context->data);
    }
    static void connect(const redisAsyncContext *context, int status)
    {
        if (RedisConnection *connection = owner(context))
            connection->onConnect(status);
    }
    static void disconnect(const redisAsyncContext *context, int status)
    {
        if (RedisConnection *connection = owner(context))
            connection->onDisconnect(status);
    }
    static void watch(void *data, bool read, bool enable)
    {
        if (auto *connection = static_cast<RedisConnection *>(data))
            connection->watch(read, enable);
    }
    static void addRead(void *data) { watch(data, true, true); }
    static void delRead(void *data) { watch(data, true, false); }
    static void addWrite(void *data) { watch(data, false, true); }
    static void delWrite(void *data) { watch(data, false, false); }
    static void cleanup(void *data)
    {
        watch(data, true, false);
        watch(data, false, false);
    }
    static void reply(redisAsyncContext *context, void *answer, void *handler)
    {
        const std::unique_ptr<RedisConnection::ReplyHandler> call(
            static_cast<RedisConnection::ReplyHandler *>(handler));
        if (owner(context)) // nobody to tell once the connection object is gone
            (*call)(static_cast<const redisReply *>(answer));
    }
};

QByteArray RedisConnection::text(const redisReply *reply)
{
    return reply && (reply->type == REDIS_REPLY_STRING || reply->type == REDIS_REPLY_STATUS)
               ? QByteArray(reply->str, qsizetype(reply->len))
               : QByteArray();
}

RedisConnection::RedisConnection(QString host, int port, QString password, QObject *parent)
    : QObject(parent)
    , m_host(std::move(host))
    , m_port(port)
    , m_password(std::move(password))
{}

RedisConnection::~RedisConnection()
{
    if (m_context) {
        m_context->data = nullptr; // no callback may reach this half-destroyed object
        m_context->ev.data = nullptr;
        redisAsyncFree(m_context);
    }
}

void RedisConnection::open()
{
    if (m_context)
        return;
    m_context = redisAsyncConnect(m_host.toUtf8().constData(), m_port);
    if (!m_context || m_context->err) {
        const QString error = m_context ? QString::fromUtf8(m_context->errstr) : QStringLiteral("out of memory");
        if (m_context)
            redisAsyncFree(m_context);
        m_context = nullptr;
        emit disconnected(error);
        return;
    }
    m_context->data = this;
    m_context->ev.data = this;
    m_context->ev.addRead = RedisCallbacks::addRead;
    m_context->ev.delRead = RedisCallbacks::delRead;
    m_context->ev.addWrite = RedisCallbacks::addWrite;
    m_context->ev.delWrite = RedisCallbacks::delWrite;
    m_context->ev.cleanup = RedisCallbacks::cleanup;
    redisAsyncSetConnectCallback(m_context, RedisCallbacks::connect);
    redisAsyncSetDisconnectCallback(m_context, RedisCallbacks::disconnect);
    if (!m_password.isEmpty())
        command({"AUTH", m_password.toUtf8()}, [](const redisReply *) {});
}

void RedisConnection::onConnect(int status)
{
    if (status != REDIS_OK) {
        // hiredis frees the context after this callback.
        const QString error = QString::fromUtf8(m_context->errstr);
        m_context = nullptr;
        emit disconnected(error);
        return;
    }
    m_connected = true;
    emit connected();
}

void RedisConnection::onDisconnect(int status)
{
    const QString error = status == REDIS_OK ? QStringLiteral("closed") : QString::fromUtf8(m_context->errstr);
    m_context = nullptr; // hiredis frees it after this callback
    m_connected = false;
    emit disconnected(error);
}

void RedisConnection::watch(bool read, bool enable)
{
    QSocketNotifier *&notifier = read ? m_readNotifier : m_writeNotifier;
    if (!enable) {
        // Often called from inside this notifier's own activated() (a read that finds the peer gone), so it
        // is only switched off here and deleted once the signal has returned.
        if (notifier) {
            notifier->setEnabled(false);
            notifier->deleteLater();
        }
        notifier = nullptr;
        return;
    }
    if (notifier || !m_context)
        return;
    notifier = new QSocketNotifier(m_context->c.fd, read ? QSocketNotifier::Read : QSocketNotifier::Write, this);
    connect(notifier, &QSocketNotifier::activated, this, [this, read] {
        if (m_context)
            read ? redisAsyncHandleRead(m_context) : redisAsyncHandleWrite(m_context);
    });
}

void RedisConnection::command(const QList<QByteArray> &arguments, ReplyHandler handler)
{
    if (!m_context) {
        handler(nullptr);
        return;
    }
    std::vector<const char *> argv;
    std::vector<size_t> lengths;
    for (const QByteArray &argument : arguments) {
        argv.push_back(argument.constData());
        lengths.push_back(size_t(argument.size()));
    }
    // Owned by hiredis until RedisCallbacks::reply runs, which it does exactly once per command.
    auto *call = new ReplyHandler(std::move(handler));
    if (redisAsyncCommandArgv(m_context, RedisCallbacks::reply, call, int(argv.size()), argv.data(), lengths.data()) !=
        0) {
        const std::unique_ptr<ReplyHandler> rejected(call);
        (*rejected)(nullptr);
    }
}

} // namespace herald
