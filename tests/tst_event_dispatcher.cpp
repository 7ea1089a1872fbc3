// EpollEventDispatcher drives this whole test's main thread (see main() below), so QSignalSpy::wait and
// QTRY_* run on it too; the cases check what Qt's own dispatchers guarantee.

#include "eventloop/EpollEventDispatcher.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QSocketNotifier>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <memory>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace herald;

namespace {
// Both ends of a connected UNIX socket pair, closed on destruction.
struct SocketPair {
    int fds[2] = {-1, -1};
    SocketPair() { socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds); }
    ~SocketPair()
    {
        close(fds[0]);
        close(fds[1]);
    }
    void poke() const { QCOMPARE(write(fds[1], "x", 1), ssize_t(1)); }
};
} // namespace

class EventDispatcherTest : public QObject
{
    Q_OBJECT
private slots:
    void theMainThreadRunsOnEpoll()
    {
        QVERIFY(qobject_cast<EpollEventDispatcher *>(QAbstractEventDispatcher::instance()));
    }

    void timersFireInTheOrderTheyAreDue()
    {
        QStringList fired;
        QTimer::singleShot(60, this, [&fired] { fired << "60"; });
        QTimer::singleShot(20, this, [&fired] { fired << "20"; });
        QTimer::singleShot(40, this, [&fired] { fired << "40"; });
        QTRY_COMPARE(fired.size(), 3);
        QCOMPARE(fired, QStringList({"20", "40", "60"}));
    }

    void periodicTimersRepeatAndStop()
    {
        QTimer timer;
        timer.setInterval(10);
        QSignalSpy ticks(&timer, &QTimer::timeout);
        QElapsedTimer clock;
        clock.start();
        timer.start();
        QVERIFY(timer.remainingTime() <= 10);
        QTRY_VERIFY(ticks.count() >= 5);
        QVERIFY(clock.elapsed() >= 40); // not in a burst
        timer.stop();
        const int stoppedAt = ticks.count();
        QTest::qWait(50);
        QCOMPARE(ticks.count(), stoppedAt);
    }

    void zeroIntervalTimersFireWhenTheLoopIsFree()
    {
        QTimer idle;
        idle.setInterval(0);
        QSignalSpy ticks(&idle, &QTimer::timeout);
        idle.start();
        QTRY_VERIFY(ticks.count() >= 3);
    }

    void socketNotifiersReportReadyDescriptorsOnly()
    {
        SocketPair ready, quiet;
        QSocketNotifier readable(ready.fds[0], QSocketNotifier::Read);
        QSocketNotifier silent(quiet.fds[0], QSocketNotifier::Read);
        QSignalSpy activated(&readable, &QSocketNotifier::activated);
        QSignalSpy notActivated(&silent, &QSocketNotifier::activated);
        ready.poke();
        QVERIFY(activated.wait(2000));
        QCOMPARE(notActivated.count(), 0);

        readable.setEnabled(false); // still readable, but nobody is asking
        activated.clear();
        QTest::qWait(30);
        QCOMPARE(activated.count(), 0);
        readable.setEnabled(true);
        QVERIFY(activated.wait(2000));
    }

    void aNotifierDeletedByAnotherOnesSlotIsNotActivated()
    {
        SocketPair first, second;
        QSocketNotifier firstNotifier(first.fds[0], QSocketNotifier::Read);
        auto secondNotifier = std::make_unique<QSocketNotifier>(second.fds[0], QSocketNotifier::Read);
        bool secondActivated = false;
        connect(secondNotifier.get(), &QSocketNotifier::activated, this, [&] { secondActivated = true; });
        QSignalSpy firstActivated(&firstNotifier, &QSocketNotifier::activated);
        connect(&firstNotifier, &QSocketNotifier::activated, this, [&] { secondNotifier.reset(); });
        // Both ready in the same turn of the loop: whichever goes first, nothing touches a deleted notifier.
        first.poke();
        second.poke();
        QTRY_VERIFY(firstActivated.count() > 0 || secondActivated);
        QTRY_VERIFY(!secondNotifier || secondActivated);
    }

    void wakesUpForEventsPostedFromOtherThreads()
    {
        bool ran = false;
        std::thread poster([this, &ran] { QMetaObject::invokeMethod(this, [&ran] { ran = true; }); });
        poster.join();
        QTRY_VERIFY(ran);
    }

    void anInterruptBeforeTheWaitIsNotLost()
    {
        // What QThread::quit() does when it lands between the event loop's check of its exit flag and its next
        // processEvents(): that call must return at once, not sleep until something else happens.
        QTimer later;
        later.setSingleShot(true);
        QSignalSpy fired(&later, &QTimer::timeout);
        later.start(10000);
        QAbstractEventDispatcher *dispatcher = QAbstractEventDispatcher::instance();
        dispatcher->interrupt();
        QVERIFY(!dispatcher->processEvents(QEventLoop::WaitForMoreEvents));
        QCOMPARE(fired.count(), 0);
    }

    void timersSurviveAMoveToAnEpollThread()
    {
        QThread thread;
        thread.setEventDispatcher(new EpollEventDispatcher);
        thread.start();
        auto *timer = new QTimer; // started here, then moved with its timer running
        timer->setInterval(10);
        timer->start();
        std::atomic<int> ticks{0}; // counted in the worker thread
        connect(timer, &QTimer::timeout, timer, [&ticks] { ++ticks; });
        timer->moveToThread(&thread);
        QTRY_VERIFY(ticks.load() >= 3);
        connect(&thread, &QThread::finished, timer, &QObject::deleteLater);
        thread.quit();
        QVERIFY(thread.wait(5000));
    }
};

int main(int argc, char *argv[])
{
    QCoreApplication::setEventDispatcher(new EpollEventDispatcher);
    QCoreApplication app(argc, argv);
    EventDispatcherTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_event_dispatcher.moc"
