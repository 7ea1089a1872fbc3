#pragma once

#include <QObject>

namespace herald {

// Tells systemd how the service is doing (Type=notify, through libsystemd's sd_notify): READY once the port
// listens, RELOADING around a SIGHUP, STOPPING with as much stop time as the drain may take, STATUS lines while
// draining, and WATCHDOG pings from the event loop, so that a loop that stops turning gets the service
// restarted. Outside systemd (no NOTIFY_SOCKET) every call does nothing.
class ServiceNotifier : public QObject
{
    Q_OBJECT
public:
    explicit ServiceNotifier(QObject *parent = nullptr);

    void ready(const QString &status);
    void reloading();
    // Shutdown began; the drain may take drainSeconds, which systemd's stop time-out is extended to cover.
    void stopping(double drainSeconds);
    void status(const QString &text);

private:
    void notify(const QByteArray &state);
};

} // namespace herald
