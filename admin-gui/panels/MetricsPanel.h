#pragma once

#include <QMap>
#include <QWidget>

class QLabel;
class QChart;
class QLineSeries;
class QValueAxis;

namespace herald::console {

class MetricsHistory;

// The counters of /metrics and live charts of connections and messages per second (Qt Charts).
class MetricsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit MetricsPanel(MetricsHistory *history, QWidget *parent = nullptr);

    QString counterText(const QString &name) const;

private:
    void refresh();
    void fitAxes(QValueAxis *xAxis, QValueAxis *yAxis, const QList<const QList<QPointF> *> &series,
                 double smallestStep) const;
    static double niceStep(double range, int ticks, double smallest);

    MetricsHistory *m_history;
    QMap<QString, QLabel *> m_counters;
    QLineSeries *m_connections;
    QLineSeries *m_sent;
    QLineSeries *m_received;
    QValueAxis *m_connectionsX;
    QValueAxis *m_connectionsY;
    QValueAxis *m_messagesX;
    QValueAxis *m_messagesY;
};

} // namespace herald::console
