#pragma once

#include <QAbstractEventDispatcher>
#include <QHash>
#include <QList>
#include <QSet>
#include <atomic>
#include <memory>

struct epoll_event;

namespace herald {

// An event dispatcher on Linux's epoll, for the threads that serve thousands of sockets. Qt's own UNIX
// dispatcher calls poll() with every registered descriptor on every turn of the loop, so a turn costs time in
// proportion to the clients connected even when one of them is ready (at 10,000 clients that scan was 15% of
// a broadcast); here a turn costs the descriptors that are ready, and registering or unregistering a socket
// notifier is one epoll_ctl. Timers are kept in a hash and fired in order of their due time; posted events
// and wake-ups work as in Qt's dispatchers (an eventfd the poster writes to).
class EpollEventDispatcher : public QAbstractEventDispatcher
{
    Q_OBJECT
public:
    explicit EpollEventDispatcher(QObject *parent = nullptr);
    ~EpollEventDispatcher() override;

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;

    void registerSocketNotifier(QSocketNotifier *notifier) override;
    void unregisterSocketNotifier(QSocketNotifier *notifier) override;

    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType, QObject *object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject *object) override;
    QList<TimerInfo> registeredTimers(QObject *object) const override;
    int remainingTime(int timerId) override;

    void wakeUp() override;
    void interrupt() override;

private:
    struct Watch {
        QSocketNotifier *read = nullptr;
        QSocketNotifier *write = nullptr;
        QSocketNotifier *exception = nullptr;
        quint32 events = 0; // what epoll watches now
    };
    struct Timer {
        qint64 intervalMs;
        Qt::TimerType type;
        QObject *object;
        qint64 dueMs;
        bool firing = false; // its event is being delivered: a nested loop must not fire it again
    };

    void updateWatch(int descriptor);
    int activateSocketNotifiers(int ready);
    int activateTimers();
    int msUntilNextTimer() const;

    int m_epoll;
    int m_wakeUps; // an eventfd: wakeUp() writes, the loop reads
    std::atomic<bool> m_interrupted{false};
    QHash<int, Watch> m_watches;
    QSet<QSocketNotifier *> m_pending; // reported ready and not yet activated; unregistering removes
    QList<QSocketNotifier *> m_activationOrder;
    QHash<int, Timer> m_timers;
    std::unique_ptr<::epoll_event[]> m_ready;
};

// The dispatcher for a thread that serves clients: an EpollEventDispatcher, or nullptr (Qt's default) when
// HERALD_EVENT_DISPATCHER=qt asks for Qt's own, to compare the two or to rule this one out.
QAbstractEventDispatcher *createClientEventDispatcher();

} // namespace herald
