#pragma once

#include <QElapsedTimer>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointF>

namespace herald::console {

// The latest /metrics figures and their recent history: connections, and messages per second derived from
// the server's running totals. Samples older than the window are dropped.
class MetricsHistory : public QObject
{
    Q_OBJECT
public:
    explicit MetricsHistory(int windowSeconds = 300, QObject *parent = nullptr);

    const QJsonObject &latest() const { return m_latest; }
    int windowSeconds() const { return m_windowSeconds; }
    // x: seconds since the history started, y: value.
    const QList<QPointF> &connections() const { return m_connections; }
    const QList<QPointF> &sentPerSecond() const { return m_sentPerSecond; }
    const QList<QPointF> &receivedPerSecond() const { return m_receivedPerSecond; }
    double now() const { return double(m_clock.elapsed()) / 1000.0; }

public slots:
    void add(const QJsonObject &metrics);
    void clear();

signals:
    void updated();

private:
    void trim(QList<QPointF> &series) const;

    int m_windowSeconds;
    QElapsedTimer m_clock;
    QJsonObject m_latest;
    QList<QPointF> m_connections;
    QList<QPointF> m_sentPerSecond;
    QList<QPointF> m_receivedPerSecond;
    double m_lastTime = -1;
    double m_lastSent = 0;
    double m_lastReceived = 0;
};

} // namespace herald::console
