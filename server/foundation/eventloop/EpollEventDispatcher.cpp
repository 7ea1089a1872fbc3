#include "EpollEventDispatcher.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QSocketNotifier>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace herald {

namespace {
constexpr int ReadyAtOnce = 1024;

qint64 nowMs()
{
    return QDeadlineTimer::current(Qt::PreciseTimer).deadline();
}
} // namespace

EpollEventDispatcher::EpollEventDispatcher(QObject *parent)
    : QAbstractEventDispatcher(parent)
    , m_epoll(epoll_create1(EPOLL_CLOEXEC))
    , m_wakeUps(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC))
    , m_ready(new epoll_event[ReadyAtOnce])
{
    if (m_epoll < 0 || m_wakeUps < 0)
        qFatal("EpollEventDispatcher: cannot create epoll or eventfd descriptors: %s", strerror(errno));
    epoll_event wake{};
    wake.events = EPOLLIN;
    wake.data.fd = m_wakeUps;
    epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_wakeUps, &wake);
}

EpollEventDispatcher::~EpollEventDispatcher()
{
    close(m_wakeUps);
    close(m_epoll);
}

QAbstractEventDispatcher *createClientEventDispatcher()
{
    if (qEnvironmentVariable("HERALD_EVENT_DISPATCHER") == u"qt")
        return nullptr;
    return new EpollEventDispatcher;
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    emit awake();
    // Read the wake-up count before delivering posted events: anything posted from here on writes again, so
    // the wait below cannot sleep through it.
    quint64 wakeUps = 0;
    [[maybe_unused]] const ssize_t drained = read(m_wakeUps, &wakeUps, sizeof wakeUps);
    QCoreApplication::sendPostedEvents();

    const bool includeTimers = !(flags & QEventLoop::X11ExcludeTimers);
    const bool includeNotifiers = !(flags & QEventLoop::ExcludeSocketNotifiers);
    // The interruption is taken here, not cleared on entry: QThread::quit() can interrupt between the loop's
    // check of its exit flag and this call, and the read above has already drained that interruption's wake-up.
    bool interrupted = m_interrupted.exchange(false);
    const bool wait = (flags & QEventLoop::WaitForMoreEvents) && !interrupted;
    if (wait) {
        emit aboutToBlock();
        interrupted = m_interrupted.exchange(false);
    }
    if (interrupted)
        return false;

    int timeoutMs = 0;
    if (wait)
        timeoutMs = includeTimers ? msUntilNextTimer() : -1;
    int ready = epoll_wait(m_epoll, m_ready.get(), ReadyAtOnce, timeoutMs);
    if (ready < 0) {
        if (errno != EINTR)
            qWarning("EpollEventDispatcher: epoll_wait failed: %s", strerror(errno));
        ready = 0;
    }
    int handled = 0;
    if (includeNotifiers)
        handled += activateSocketNotifiers(ready);
    if (includeTimers)
        handled += activateTimers();
    return handled > 0;
}

int EpollEventDispatcher::activateSocketNotifiers(int ready)
{
    // Collect first and activate after: a notifier's slot may unregister others (a socket closing), which
    // then leave m_pending and are skipped.
    m_activationOrder.clear();
    const auto pend = [this](QSocketNotifier *notifier) {
        if (notifier && !m_pending.contains(notifier)) {
            m_pending.insert(notifier);
            m_activationOrder.append(notifier);
        }
    };
    for (int i = 0; i < ready; ++i) {
        const int descriptor = m_ready[i].data.fd;
        if (descriptor == m_wakeUps)
            continue;
        const auto watch = m_watches.constFind(descriptor);
        if (watch == m_watches.cend())
            continue;
        const quint32 events = m_ready[i].events;
        // As Qt's own dispatcher does: an error wakes every kind of notifier, a hang-up the reader.
        if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
            pend(watch->read);
        if (events & (EPOLLOUT | EPOLLERR))
            pend(watch->write);
        if (events & (EPOLLPRI | EPOLLERR))
            pend(watch->exception);
    }
    int activated = 0;
    for (QSocketNotifier *notifier : std::as_const(m_activationOrder)) {
        if (!m_pending.remove(notifier))
            continue; // unregistered meanwhile
        QEvent activation(QEvent::SockAct);
        QCoreApplication::sendEvent(notifier, &activation);
        ++activated;
    }
    return activated;
}

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    const int descriptor = int(notifier->socket());
    Watch &watch = m_watches[descriptor];
    switch (notifier->type()) {
    case QSocketNotifier::Read:
        watch.read = notifier;
        break;
    case QSocketNotifier::Write:
        watch.write = notifier;
        break;
    case QSocketNotifier::Exception:
        watch.exception = notifier;
        break;
    }
    updateWatch(descriptor);
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    m_pending.remove(notifier);
    const int descriptor = int(notifier->socket());
    const auto watch = m_watches.find(descriptor);
    if (watch == m_watches.end())
        return;
    if (watch->read == notifier)
        watch->read = nullptr;
    if (watch->write == notifier)
        watch->write = nullptr;
    if (watch->exception == notifier)
        watch->exception = nullptr;
    updateWatch(descriptor);
}

void EpollEventDispatcher::updateWatch(int descriptor)
{
    const auto watch = m_watches.find(descriptor);
    const quint32 wanted = (watch->read ? quint32(EPOLLIN) : 0u) | (watch->write ? quint32(EPOLLOUT) : 0u) |
                           (watch->exception ? quint32(EPOLLPRI) : 0u);
    if (wanted == watch->events)
        return;
    epoll_event event{};
    event.events = wanted;
    event.data.fd = descriptor;
    if (wanted == 0) {
        // The descriptor may already be closed (epoll then forgot it by itself): nothing to report.
        epoll_ctl(m_epoll, EPOLL_CTL_DEL, descriptor, &event);
        m_watches.erase(watch);
        return;
    }
    const int operation = watch->events == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
    if (epoll_ctl(m_epoll, operation, descriptor, &event) < 0) {
        qWarning("EpollEventDispatcher: cannot watch descriptor %d: %s", descriptor, strerror(errno));
        return;
    }
    watch->events = wanted;
}

void EpollEventDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType, QObject *object)
{
    m_timers.insert(timerId, {interval, timerType, object, nowMs() + interval});
}

bool EpollEventDispatcher::unregisterTimer(int timerId)
{
    return m_timers.remove(timerId);
}

bool EpollEventDispatcher::unregisterTimers(QObject *object)
{
    return m_timers.removeIf([object](const auto &timer) { return timer.value().object == object; }) > 0;
}

QList<QAbstractEventDispatcher::TimerInfo> EpollEventDispatcher::registeredTimers(QObject *object) const
{
    QList<TimerInfo> timers;
    for (auto it = m_timers.cbegin(); it != m_timers.cend(); ++it)
        if (it->object == object)
            timers.append({it.key(), int(it->intervalMs), it->type});
    return timers;
}

int EpollEventDispatcher::remainingTime(int timerId)
{
    const auto timer = m_timers.constFind(timerId);
    if (timer == m_timers.cend())
        return -1;
    return int(std::max<qint64>(0, timer->dueMs - nowMs()));
}

int EpollEventDispatcher::msUntilNextTimer() const
{
    qint64 next = -1;
    const qint64 now = nowMs();
    for (const Timer &timer : m_timers) {
        if (timer.firing)
            continue;
        const qint64 wait = std::max<qint64>(0, timer.dueMs - now);
        if (next < 0 || wait < next)
            next = wait;
    }
    return int(std::min<qint64>(next, std::numeric_limits<int>::max()));
}

int EpollEventDispatcher::activateTimers()
{
    const qint64 now = nowMs();
    QList<QPair<qint64, int>> due; // due time, id: fired earliest first
    for (auto it = m_timers.cbegin(); it != m_timers.cend(); ++it)
        if (!it->firing && it->dueMs <= now)
            due.append({it->dueMs, it.key()});
    std::sort(due.begin(), due.end());
    int fired = 0;
    for (const auto &[dueMs, id] : std::as_const(due)) {
        auto timer = m_timers.find(id);
        if (timer == m_timers.end() || timer->firing)
            continue; // killed, or being delivered further up the stack
        // The next period counts from when this one was due, so a periodic timer does not drift; one that fell
        // a whole period behind starts again from now instead of firing in a burst.
        timer->dueMs = dueMs + timer->intervalMs;
        if (timer->dueMs <= now)
            timer->dueMs = now + timer->intervalMs;
        timer->firing = true;
        QObject *object = timer->object;
        QTimerEvent event(id);
        QCoreApplication::sendEvent(object, &event);
        ++fired;
        timer = m_timers.find(id); // the handler may have killed it, or started others
        if (timer != m_timers.end())
            timer->firing = false;
    }
    return fired;
}

void EpollEventDispatcher::wakeUp()
{
    const quint64 one = 1;
    [[maybe_unused]] const ssize_t written = write(m_wakeUps, &one, sizeof one);
}

void EpollEventDispatcher::interrupt()
{
    m_interrupted = true;
    wakeUp();
}

} // namespace herald
