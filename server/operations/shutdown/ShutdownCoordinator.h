#pragma once

#include <QDeadlineTimer>
#include <QObject>
#include <QString>

class QTimer;

namespace herald {

class WorkerPool;
class Publisher;
class Logger;

// Graceful shutdown in six steps, the same path for SIGTERM/SIGINT and the console's button:
// 1 stop accepting, 2 stop periodic notifications, 3 tell every client, 4 wait for them to leave (up to
// SHUTDOWN_TIMEOUT), 5 close the rest with 1001, 6 flush logs and report finished().
class ShutdownCoordinator : public QObject
{
    Q_OBJECT
public:
    enum class State { Running, Draining, Closing, Finished };
    Q_ENUM(State)

    ShutdownCoordinator(WorkerPool *workers, Publisher *publisher, Logger *logger, double timeoutSeconds,
                        QObject *parent = nullptr);

    State state() const { return m_state; }
    bool isAccepting() const { return m_state == State::Running; }
    QString stateName() const;
    QString reason() const { return m_reason; }
    // Which of the six steps the shutdown has reached: 0 while running, 4 while waiting, 5 closing, 6 done.
    int step() const;
    double secondsLeft() const;
    // The wait of this shutdown (SHUTDOWN_TIMEOUT unless it asked for less), or SHUTDOWN_TIMEOUT before one.
    double timeoutSeconds() const { return m_drainSeconds; }
    int clientsAtStart() const { return m_clientsAtStart; }

    // How long closed clients get to complete the close handshake before their connections are dropped.
    static constexpr int CloseHandshakeMs = 3000;

public slots:
    // First call starts the shutdown; a second one skips the wait; a third drops whoever is still there.
    // drainSeconds: a shorter wait than SHUTDOWN_TIMEOUT (a restart's), never a longer one; negative: the timeout.
    void requestShutdown(const QString &reason, double drainSeconds = -1);
    void closeAllNow();

signals:
    void acceptingStopped();             // step 1
    void periodicNotificationsStopped(); // step 2
    void stateChanged(herald::ShutdownCoordinator::State state);
    void progress(int remainingClients, double secondsLeft);
    void finished();

private:
    void setState(State state);
    void onCountChanged(int count);
    void closeRemaining(const QString &why);
    void finish();

    WorkerPool *m_workers;
    Publisher *m_publisher;
    Logger *m_logger;
    double m_timeoutSeconds;
    double m_drainSeconds;
    int m_clientsAtStart = 0;
    State m_state = State::Running;
    QString m_reason;
    QDeadlineTimer m_deadline;
    QTimer *m_drainTimer;
    QTimer *m_handshakeTimer;
    QTimer *m_progressTimer;
};

} // namespace herald
