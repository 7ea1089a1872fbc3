#pragma once

#include "History.h"

#include <QElapsedTimer>
#include <QHash>
#include <QMutex>
#include <deque>

class QTimer;

namespace herald {

// History in this process (no REDIS_URL): lost with it, so every stream gets a new epoch when the server starts.
// One mutex guards it; the publishing thread appends, the workers read, and a once-a-second sweep forgets what
// passed its age.
class MemoryHistory : public History
{
    Q_OBJECT
public:
    explicit MemoryHistory(HistoryPolicy policy, QObject *parent = nullptr);

    QString append(const StreamKey &stream, const Entry &entry, PlacedCallback placed) override;
    std::optional<StreamPosition> position(const StreamKey &stream) override;
    void recover(const StreamKey &stream, const std::optional<StreamPosition> &since, int limit, QObject *context,
                 std::function<void(const HistoryRead &)> done) override;
    HistoryRead page(const StreamKey &stream, quint64 afterOffset, int limit) override;

    HistoryFigures figures() const override;

    // A stream whose notifications are all gone is still remembered (its epoch and offset) this long after its
    // last use, so that a client of a quiet stream that comes back finds nothing missed instead of a new epoch.
    static constexpr qint64 IdleStreamMs = 24LL * 3600 * 1000;

private:
    struct Stream {
        QString epoch;
        quint64 newest = 0;
        qint64 lastUsedMs = 0;
        std::deque<std::pair<qint64, KeptNotification>> kept; // with the time each was kept, oldest first
    };
    // The stream (created with a new epoch when new), its expired notifications dropped; the mutex is held.
    Stream &streamLocked(const StreamKey &key);
    void forgetExpiredLocked(Stream &stream, const HistoryLimits &limits, qint64 now);
    HistoryRead recoverLocked(const StreamKey &key, const std::optional<StreamPosition> &since, int limit);
    void sweep();
    qint64 nowMs() const { return m_clock.elapsed(); }

    mutable QMutex m_mutex;
    QHash<StreamKey, Stream> m_streams;
    qint64 m_bytes = 0;
    qsizetype m_count = 0;
    QElapsedTimer m_clock;
    QTimer *m_sweep;
};

} // namespace herald
