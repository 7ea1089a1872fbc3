#pragma once

#include <QObject>

class QTimer;

namespace herald {

class Publisher;
class ClientCensus;

// Sends {"type":"periodic","sequence":n,...} to every client every NOTIFICATION_INTERVAL seconds.
class PeriodicNotifier : public QObject
{
    Q_OBJECT
public:
    PeriodicNotifier(Publisher *publisher, const ClientCensus *census, QObject *parent = nullptr);

    bool isRunning() const;
    double intervalSeconds() const { return m_intervalSeconds; }
    quint64 sequence() const { return m_sequence; }

public slots:
    // 0 stops the service; any other value (re)starts it with that period.
    void setIntervalSeconds(double seconds);
    void stop();

private:
    void sendNext();

    Publisher *m_publisher;
    const ClientCensus *m_census;
    QTimer *m_timer;
    double m_intervalSeconds = 0;
    quint64 m_sequence = 0;
};

} // namespace herald
