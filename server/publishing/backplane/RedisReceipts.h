#pragma once

#include "RedisBlockingClient.h"
#include "notification/Audience.h"

#include <QJsonObject>
#include <QObject>
#include <QSet>
#include <QUrl>
#include <functional>

namespace herald {

class RedisConnection;

// The cluster's share of receipts (with REDIS_URL): every instance adds the connections it delivered a notification
// to and the acknowledgements its clients sent, so that GET /notifications/{id} and the ACK_TIMEOUT fallback count
// the whole cluster, on whichever instance they are asked. A receipt is a hash <REDIS_CHANNEL>:receipt:<id>
// (sent, acknowledged, to, created_at) with sets of the acknowledging connections, the users reached, the users
// who acknowledged and the targeted users, all expiring after RECEIPT_RETENTION. Writes go over a connection of
// their own and are not retried: while Redis is away the counts miss what happened meanwhile.
class RedisReceipts : public QObject
{
    Q_OBJECT
public:
    RedisReceipts(const QUrl &redisUrl, const QByteArray &prefix, qint64 retentionSeconds, QObject *parent = nullptr);

    void opened(const QString &id, const Audience &audience, const QString &createdAt);
    void delivered(const QString &id, int connections, const QString &user);
    void acknowledged(const QString &id, const QString &clientId, const QString &user);

    struct Counts {
        QString to;
        QString createdAt;
        int sent = 0;
        int acknowledged = 0;
        QSet<QString> targeted, reached, usersAcknowledged;
    };
    // Asks Redis and waits (at most TimeoutMs); nothing for an unknown id or when Redis does not answer.
    std::optional<Counts> counts(const QString &id);
    // The same later, without waiting; done is not called when Redis does not answer.
    void countsLater(const QString &id, std::function<void(const Counts &)> done);

    static constexpr int TimeoutMs = 1000;

private:
    QByteArray key(const QString &id) const { return m_prefix + ":receipt:" + id.toUtf8(); }
    QList<QByteArray> countsCommand(const QString &id) const;
    static std::optional<Counts> countsFrom(const struct redisReply *reply);
    void command(const QList<QByteArray> &arguments, std::function<void(const struct redisReply *)> done = {});

    QUrl m_url;
    QByteArray m_prefix;
    QByteArray m_retentionMs;
    RedisConnection *m_writes = nullptr;
    RedisBlockingClient m_reads;
};

} // namespace herald
