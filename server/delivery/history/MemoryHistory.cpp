#include "MemoryHistory.h"

#include "notification/NotificationRequest.h"

#include <QMutexLocker>
#include <QTimer>

namespace herald {

MemoryHistory::MemoryHistory(HistoryPolicy policy, QObject *parent)
    : History(std::move(policy), parent)
    , m_sweep(new QTimer(this))
{
    m_clock.start();
    m_sweep->setInterval(1000);
    connect(m_sweep, &QTimer::timeout, this, &MemoryHistory::sweep);
    m_sweep->start();
}

MemoryHistory::Stream &MemoryHistory::streamLocked(const StreamKey &key)
{
    const qint64 now = nowMs();
    auto it = m_streams.find(key);
    if (it == m_streams.end())
        it = m_streams.insert(key, Stream{StreamPosition::newEpoch(), 0, now, {}});
    it->lastUsedMs = now;
    forgetExpiredLocked(*it, policy().limitsOf(key), now);
    return *it;
}

void MemoryHistory::forgetExpiredLocked(Stream &stream, const HistoryLimits &limits, qint64 now)
{
    const qint64 oldestKept = now - limits.ttlSeconds * 1000;
    while (!stream.kept.empty() &&
           (qsizetype(stream.kept.size()) > limits.size || stream.kept.front().first <= oldestKept)) {
        m_bytes -= stream.kept.front().second.frame.webSocketFrame().size();
        --m_count;
        stream.kept.pop_front();
    }
}

QString MemoryHistory::append(const StreamKey &key, const Entry &entry, PlacedCallback placed)
{
    Placed kept;
    {
        QMutexLocker lock(&m_mutex);
        Stream &stream = streamLocked(key);
        kept.position = {stream.newest + 1, stream.epoch};
        kept.frame = EncodedMessage::keptNotification(NotificationRequest::withPosition(entry.head, kept.position));
        stream.newest = kept.position.offset;
        stream.kept.emplace_back(nowMs(), KeptNotification{kept.position.offset, kept.frame});
        m_bytes += kept.frame.webSocketFrame().size();
        ++m_count;
        forgetExpiredLocked(stream, policy().limitsOf(key), nowMs());
    }
    placed(kept);
    return {}; // one instance: no cluster to carry it to
}

std::optional<StreamPosition> MemoryHistory::position(const StreamKey &key)
{
    if (!policy().keeps(key))
        return std::nullopt;
    QMutexLocker lock(&m_mutex);
    const Stream &stream = streamLocked(key);
    return StreamPosition{stream.newest, stream.epoch};
}

HistoryRead MemoryHistory::recoverLocked(const StreamKey &key, const std::optional<StreamPosition> &wanted, int limit)
{
    HistoryRead read;
    if (!policy().keeps(key)) {
        read.outcome = HistoryRead::Outcome::NotKept;
        return read;
    }
    const Stream &stream = streamLocked(key);
    read.position = {stream.newest, stream.epoch};
    if (!wanted)
        return read;
    const StreamPosition &since = *wanted;
    // An offset past the newest cannot be of this epoch either (a restarted server may have reused the name).
    if (since.epoch != stream.epoch || since.offset > stream.newest) {
        read.outcome = HistoryRead::Outcome::EpochChanged;
        return read;
    }
    const quint64 oldest = stream.kept.empty() ? stream.newest + 1 : stream.kept.front().second.offset;
    if (since.offset + 1 < oldest) {
        read.outcome = HistoryRead::Outcome::TooOld;
        return read;
    }
    if (stream.newest - since.offset > quint64(limit)) {
        read.outcome = HistoryRead::Outcome::TooMany;
        return read;
    }
    for (auto it = stream.kept.cbegin() + qsizetype(since.offset + 1 - oldest); it != stream.kept.cend(); ++it)
        read.notifications.append(it->second);
    return read;
}

void MemoryHistory::recover(const StreamKey &key, const std::optional<StreamPosition> &since, int limit,
                            QObject *context, std::function<void(const HistoryRead &)> done)
{
    HistoryRead read;
    {
        QMutexLocker lock(&m_mutex);
        read = recoverLocked(key, since, limit);
    }
    // Later, as a history in Redis would answer: the caller's handling of what arrives meanwhile is the same.
    QMetaObject::invokeMethod(
        context, [done = std::move(done), read = std::move(read)] { done(read); }, Qt::QueuedConnection);
}

HistoryRead MemoryHistory::page(const StreamKey &key, quint64 afterOffset, int limit)
{
    HistoryRead read;
    if (!policy().keeps(key)) {
        read.outcome = HistoryRead::Outcome::NotKept;
        return read;
    }
    QMutexLocker lock(&m_mutex);
    const Stream &stream = streamLocked(key);
    read.position = {stream.newest, stream.epoch};
    for (const auto &[keptAt, notification] : stream.kept) {
        if (notification.offset <= afterOffset)
            continue;
        if (read.notifications.size() == limit) {
            read.more = true;
            break;
        }
        read.notifications.append(notification);
    }
    return read;
}

HistoryFigures MemoryHistory::figures() const
{
    QMutexLocker lock(&m_mutex);
    return {m_streams.size(), m_count, m_bytes};
}

void MemoryHistory::sweep()
{
    QMutexLocker lock(&m_mutex);
    const qint64 now = nowMs();
    for (auto it = m_streams.begin(); it != m_streams.end();) {
        forgetExpiredLocked(*it, policy().limitsOf(it.key()), now);
        if (it->kept.empty() && now - it->lastUsedMs > IdleStreamMs)
            it = m_streams.erase(it);
        else
            ++it;
    }
}

} // namespace herald
