#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>
#include <functional>

struct redisAsyncContext;
struct redisReply;
class QSocketNotifier;

namespace herald {

// One non-blocking hiredis connection driven by the Qt event loop. (Debian's hiredis ships a Qt adapter, but
// it connects to QSocketNotifier::activated(int), which Qt 6 no longer has, and declares a Q_OBJECT class in a
// system header moc never sees; this is the same idea for Qt 6.) A connection is used once: after
// disconnected() make a new one.
class RedisConnection : public QObject
{
    Q_OBJECT
public:
    // Called once per command with Redis's reply, or with nullptr if the connection was lost first.
    using ReplyHandler = std::function<void(const redisReply *reply)>;

    RedisConnection(QString host, int port, QString password, QObject *parent = nullptr);
    ~RedisConnection() override;

    void open();
    bool isConnected() const { return m_connected; }
    void command(const QList<QByteArray> &arguments, ReplyHandler handler);
    // A string or status reply's bytes; empty for any other reply or none.
    static QByteArray text(const redisReply *reply);

signals:
    void connected();
    void disconnected(const QString &error);

private:
    friend struct RedisCallbacks;
    void onConnect(int status);
    void onDisconnect(int status);
    void watch(bool read, bool enable);

    QString m_host;
    int m_port;
    QString m_password;
    redisAsyncContext *m_context = nullptr;
    QSocketNotifier *m_readNotifier = nullptr;
    QSocketNotifier *m_writeNotifier = nullptr;
    bool m_connected = false;
};

} // namespace herald
