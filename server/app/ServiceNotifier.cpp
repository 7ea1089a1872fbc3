#include "ServiceNotifier.h"

#include <QTimer>

#include <systemd/sd-daemon.h>

#include <cmath>

namespace herald {

namespace {
// What the stop time-out is extended by beyond the drain: closing the rest, flushing logs.
constexpr double StopMarginSeconds = 15;
} // namespace

ServiceNotifier::ServiceNotifier(QObject *parent)
    : QObject(parent)
{
    uint64_t watchdogUsec = 0;
    if (sd_watchdog_enabled(0, &watchdogUsec) > 0 && watchdogUsec > 0) {
        auto *watchdog = new QTimer(this);
        // Twice per interval, as sd_watchdog_enabled(3) advises, so one late turn of the loop is not fatal.
        watchdog->setInterval(std::max<qint64>(1, qint64(watchdogUsec / 1000) / 2));
        connect(watchdog, &QTimer::timeout, this, [this] { notify("WATCHDOG=1"); });
        watchdog->start();
    }
}

void ServiceNotifier::ready(const QString &status)
{
    notify("READY=1\nSTATUS=" + status.toUtf8());
}

void ServiceNotifier::reloading()
{
    notify("RELOADING=1");
}

void ServiceNotifier::stopping(double drainSeconds)
{
    const auto extendUsec = qint64(std::ceil((drainSeconds + StopMarginSeconds) * 1e6));
    notify("STOPPING=1\nEXTEND_TIMEOUT_USEC=" + QByteArray::number(extendUsec));
}

void ServiceNotifier::status(const QString &text)
{
    notify("STATUS=" + text.toUtf8());
}

void ServiceNotifier::notify(const QByteArray &state)
{
    // Returns 0 without NOTIFY_SOCKET; a failure to reach systemd is not worth stopping the server for.
    sd_notify(0, state.constData());
}

} // namespace herald
