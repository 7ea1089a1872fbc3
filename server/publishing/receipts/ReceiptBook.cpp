#include "ReceiptBook.h"

#include "backplane/RedisReceipts.h"

#include <QJsonArray>
#include <QTimer>
#include <algorithm>

namespace herald {

namespace {
QJsonArray sorted(const QSet<QString> &names)
{
    QStringList list(names.cbegin(), names.cend());
    list.sort();
    return QJsonArray::fromStringList(list);
}
} // namespace

ReceiptBook::ReceiptBook(double ackTimeoutSeconds, qint64 retentionSeconds, RedisReceipts *shared, QObject *parent)
    : QObject(parent)
    , m_shared(shared)
    , m_ackTimeoutMs(qint64(ackTimeoutSeconds * 1000))
    , m_retentionMs(retentionSeconds * 1000)
    , m_sweep(new QTimer(this))
    , m_refresh(new QTimer(this))
{
    m_clock.start();
    m_refresh->setInterval(RefreshMs);
    connect(m_refresh, &QTimer::timeout, this, &ReceiptBook::refreshFromCluster);
    // Fine enough for ACK_TIMEOUT (fractions of a second are allowed, for tests and impatient backends).
    m_sweep->setInterval(int(std::clamp<qint64>(m_ackTimeoutMs / 4, 20, 1000)));
    connect(m_sweep, &QTimer::timeout, this, &ReceiptBook::sweep);
}

void ReceiptBook::open(const QString &id, const QJsonObject &notification, const Audience &audience)
{
    Receipt &receipt = m_receipts[id];
    receipt.notification = notification;
    receipt.audience = audience;
    receipt.createdAt = QDateTime::currentDateTimeUtc();
    receipt.createdMs = m_clock.elapsed();
    if (m_shared) {
        m_shared->opened(id, audience, receipt.createdAt.toString(Qt::ISODateWithMs));
        if (!m_refresh->isActive())
            m_refresh->start();
    }
    if (!m_sweep->isActive())
        m_sweep->start();
}

void ReceiptBook::delivered(const QString &id, int connections, const QString &user)
{
    if (m_shared) {
        m_shared->delivered(id, connections, user);
        if (!m_receipts.contains(id) && connections > 0) {
            m_deliveredHere.insert(id, m_clock.elapsed());
            if (!m_sweep->isActive())
                m_sweep->start();
        }
    }
    const auto receipt = m_receipts.find(id);
    if (receipt == m_receipts.end())
        return;
    receipt->sent += connections;
    if (!user.isEmpty() && connections > 0)
        receipt->usersReached.insert(user);
    emitChanged(id, *receipt);
}

void ReceiptBook::acknowledge(const QString &id, const QString &clientId, const QString &user)
{
    if (m_shared && (m_receipts.contains(id) || m_deliveredHere.contains(id)))
        m_shared->acknowledged(id, clientId, user); // Redis applies the same rules for the whole cluster
    const auto receipt = m_receipts.find(id);
    if (receipt == m_receipts.end() || receipt->acknowledgedBy.contains(clientId))
        return;
    // A user-targeted notification is acknowledged only by its users' connections.
    if (receipt->audience.kind == Audience::Kind::Users && !receipt->audience.names.contains(user))
        return;
    receipt->acknowledgedBy.insert(clientId);
    if (!user.isEmpty())
        receipt->usersAcknowledged.insert(user);
    emitChanged(id, *receipt);
}

QJsonObject ReceiptBook::describe(const QString &id) const
{
    const auto receipt = m_receipts.constFind(id);
    const std::optional<RedisReceipts::Counts> cluster = m_shared ? m_shared->counts(id) : std::nullopt;
    if (receipt == m_receipts.cend() && !cluster)
        return {};
    // The cluster's counts when there are some, else this instance's.
    const QString to = cluster ? cluster->to : QString(receipt->audience.fieldName());
    QJsonObject answer{
        {QStringLiteral("id"), id},
        {QStringLiteral("created_at"), cluster ? cluster->createdAt : receipt->createdAt.toString(Qt::ISODateWithMs)},
        {QStringLiteral("to"), to},
        {QStringLiteral("sent"), cluster ? cluster->sent : receipt->sent},
        {QStringLiteral("acknowledged"), cluster ? cluster->acknowledged : int(receipt->acknowledgedBy.size())}};
    if (receipt != m_receipts.cend())
        answer.insert(QStringLiteral("ack_timeout_passed"), receipt->timedOut);
    if (to == Audience::fieldNameOf(Audience::Kind::Users)) {
        const QSet<QString> targeted =
            cluster ? cluster->targeted
                    : QSet<QString>(receipt->audience.names.cbegin(), receipt->audience.names.cend());
        QSet<QString> unreached = targeted;
        unreached.subtract(cluster ? cluster->reached : receipt->usersReached);
        answer.insert(QStringLiteral("users"),
                      QJsonObject{{QStringLiteral("targeted"), sorted(targeted)},
                                  {QStringLiteral("unreached"), sorted(unreached)},
                                  {QStringLiteral("acknowledged"),
                                   sorted(cluster ? cluster->usersAcknowledged : receipt->usersAcknowledged)}});
    }
    return answer;
}

void ReceiptBook::emitChanged(const QString &id, const Receipt &receipt)
{
    // What this instance counted, or the cluster's last word if that is more: counts only go up.
    emit changed(id, std::max(receipt.sent, receipt.clusterSent),
                 std::max(int(receipt.acknowledgedBy.size()), receipt.clusterAcknowledged));
}

void ReceiptBook::refreshFromCluster()
{
    const qint64 now = m_clock.elapsed();
    bool young = false;
    for (auto receipt = m_receipts.cbegin(); receipt != m_receipts.cend(); ++receipt) {
        if (now - receipt->createdMs > std::max(RefreshForMs, m_ackTimeoutMs))
            continue;
        young = true;
        m_shared->countsLater(receipt.key(), [this, id = receipt.key()](const RedisReceipts::Counts &counts) {
            const auto known = m_receipts.find(id);
            if (known == m_receipts.end() ||
                (known->clusterSent == counts.sent && known->clusterAcknowledged == counts.acknowledged))
                return;
            known->clusterSent = counts.sent;
            known->clusterAcknowledged = counts.acknowledged;
            emitChanged(id, *known);
        });
    }
    if (!young)
        m_refresh->stop();
}

void ReceiptBook::sweep()
{
    const qint64 now = m_clock.elapsed();
    for (auto receipt = m_receipts.begin(); receipt != m_receipts.end();) {
        if (!receipt->timedOut && now - receipt->createdMs >= m_ackTimeoutMs) {
            receipt->timedOut = true;
            if (receipt->audience.kind == Audience::Kind::Users) {
                // Acknowledged anywhere in the cluster counts; without an answer from Redis, what is known here.
                const std::optional<RedisReceipts::Counts> cluster =
                    m_shared ? m_shared->counts(receipt.key()) : std::nullopt;
                const QSet<QString> &acknowledgedBy = cluster ? cluster->usersAcknowledged : receipt->usersAcknowledged;
                QStringList pending;
                for (const QString &user : std::as_const(receipt->audience.names))
                    if (!acknowledgedBy.contains(user))
                        pending.append(user);
                if (!pending.isEmpty())
                    emit unacknowledged(receipt->notification, pending, cluster ? cluster->sent : receipt->sent,
                                        cluster ? cluster->acknowledged : int(receipt->acknowledgedBy.size()));
            }
        }
        if (now - receipt->createdMs >= std::max(m_retentionMs, m_ackTimeoutMs))
            receipt = m_receipts.erase(receipt);
        else
            ++receipt;
    }
    for (auto delivered = m_deliveredHere.begin(); delivered != m_deliveredHere.end();)
        delivered = now - *delivered >= m_retentionMs ? m_deliveredHere.erase(delivered) : std::next(delivered);
    if (m_receipts.isEmpty() && m_deliveredHere.isEmpty())
        m_sweep->stop();
}

} // namespace herald
