#pragma once

#include <QList>
#include <QObject>

class QSocketNotifier;

namespace herald {

// Turns SIGTERM, SIGINT and SIGHUP into Qt signals on the event loop (the self-pipe pattern: the handler only
// writes the signal number to a socket, everything else happens in a slot). One instance per process.
class UnixSignalWatcher : public QObject
{
    Q_OBJECT
public:
    explicit UnixSignalWatcher(const QList<int> &signalNumbers, QObject *parent = nullptr);
    ~UnixSignalWatcher() override;

    static QString name(int signalNumber);

signals:
    void received(int signalNumber);

private:
    void readPending();

    QSocketNotifier *m_notifier = nullptr;
    QList<int> m_signals;
};

} // namespace herald
