#include "MetricsPanel.h"

#include "models/MetricsHistory.h"
#include "text/Formats.h"

#include <QChart>
#include <QChartView>
#include <QFormLayout>
#include <QGridLayout>
#include <QJsonObject>
#include <QLabel>
#include <QLineSeries>
#include <QLocale>
#include <QValueAxis>
#include <cmath>

namespace herald::console {

namespace {

QChartView *makeChart(const QString &title, QList<QLineSeries *> series, QValueAxis **x, QValueAxis **y,
                      QWidget *parent)
{
    auto *chart = new QChart;
    chart->setTitle(title);
    chart->legend()->setVisible(series.size() > 1);
    chart->legend()->setAlignment(Qt::AlignBottom);
    *x = new QValueAxis;
    *y = new QValueAxis;
    // Ticks at whole steps from 0 (see fitAxes), not at the range divided into equal parts.
    for (QValueAxis *axis : {*x, *y}) {
        axis->setTickType(QValueAxis::TicksDynamic);
        axis->setTickAnchor(0);
    }
    (*x)->setLabelFormat(QStringLiteral("%d s"));
    (*y)->setLabelFormat(QStringLiteral("%g"));
    (*y)->setMin(0);
    chart->addAxis(*x, Qt::AlignBottom);
    chart->addAxis(*y, Qt::AlignLeft);
    for (QLineSeries *line : series) {
        chart->addSeries(line);
        line->attachAxis(*x);
        line->attachAxis(*y);
    }
    auto *view = new QChartView(chart, parent);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumHeight(160);
    view->setAccessibleName(title);
    return view;
}

} // namespace

MetricsPanel::MetricsPanel(MetricsHistory *history, QWidget *parent)
    : QWidget(parent)
    , m_history(history)
    , m_connections(new QLineSeries(this))
    , m_sent(new QLineSeries(this))
    , m_received(new QLineSeries(this))
{
    auto *counters = new QFormLayout;
    const QList<QPair<QString, QString>> names{
        {QStringLiteral("active"), tr("Active connections")},
        {QStringLiteral("total"), tr("Connections since start")},
        {QStringLiteral("refused"), tr("Refused connections")},
        {QStringLiteral("sent"), tr("Messages sent")},
        {QStringLiteral("received"), tr("Messages received")},
        {QStringLiteral("notifications"), tr("Notifications broadcast")},
        {QStringLiteral("errors"), tr("Errors")},
        {QStringLiteral("uptime"), tr("Uptime")},
    };
    for (const auto &[key, label] : names) {
        auto *value = new QLabel(QStringLiteral("–"), this);
        value->setAccessibleName(label);
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        counters->addRow(label + QLatin1Char(':'), value);
        m_counters.insert(key, value);
    }

    m_connections->setName(tr("Connections"));
    m_sent->setName(tr("Sent/s"));
    m_received->setName(tr("Received/s"));
    auto *layout = new QGridLayout(this);
    layout->addLayout(counters, 0, 0);
    layout->addWidget(makeChart(tr("Connections"), {m_connections}, &m_connectionsX, &m_connectionsY, this), 0, 1);
    layout->addWidget(makeChart(tr("Messages per second"), {m_sent, m_received}, &m_messagesX, &m_messagesY, this), 0,
                      2);
    layout->setColumnStretch(1, 1);
    layout->setColumnStretch(2, 1);

    connect(history, &MetricsHistory::updated, this, &MetricsPanel::refresh);
}

QString MetricsPanel::counterText(const QString &name) const
{
    const QLabel *label = m_counters.value(name);
    return label ? label->text() : QString();
}

void MetricsPanel::refresh()
{
    const QJsonObject &m = m_history->latest();
    const QJsonObject connections = m.value(QLatin1StringView("connections")).toObject();
    const QJsonObject messages = m.value(QLatin1StringView("messages")).toObject();
    const QLocale locale;
    const auto number = [&](const QJsonObject &object, const char *key) {
        return locale.toString(object.value(QLatin1StringView(key)).toInteger());
    };
    m_counters[QStringLiteral("active")]->setText(number(connections, "active"));
    m_counters[QStringLiteral("total")]->setText(number(connections, "total"));
    m_counters[QStringLiteral("refused")]->setText(number(connections, "refused"));
    m_counters[QStringLiteral("sent")]->setText(number(messages, "sent"));
    m_counters[QStringLiteral("received")]->setText(number(messages, "received"));
    m_counters[QStringLiteral("notifications")]->setText(
        number(m.value(QLatin1StringView("notifications")).toObject(), "broadcast"));
    m_counters[QStringLiteral("errors")]->setText(number(m.value(QLatin1StringView("errors")).toObject(), "total"));
    m_counters[QStringLiteral("uptime")]->setText(
        Formats::duration(qint64(m.value(QLatin1StringView("uptime_seconds")).toDouble())));

    m_connections->replace(m_history->connections());
    m_sent->replace(m_history->sentPerSecond());
    m_received->replace(m_history->receivedPerSecond());
    fitAxes(m_connectionsX, m_connectionsY, {&m_history->connections()}, 1);
    fitAxes(m_messagesX, m_messagesY, {&m_history->sentPerSecond(), &m_history->receivedPerSecond()}, 0.1);
}

double MetricsPanel::niceStep(double range, int ticks, double smallest)
{
    // 1, 2 or 5 times a power of ten, so ticks read 0, 5, 10 or 0, 200, 400; never below smallest (a whole
    // client for the connections chart).
    const double rough = std::max(range / ticks, smallest);
    const double magnitude = std::pow(10.0, std::floor(std::log10(rough)));
    for (const double factor : {1.0, 2.0, 5.0, 10.0})
        if (factor * magnitude >= rough)
            return std::max(factor * magnitude, smallest);
    return 10 * magnitude;
}

void MetricsPanel::fitAxes(QValueAxis *xAxis, QValueAxis *yAxis, const QList<const QList<QPointF> *> &series,
                           double smallestStep) const
{
    const double now = m_history->now();
    const double left = std::max(0.0, now - m_history->windowSeconds());
    const double right = std::max(now, 10.0);
    xAxis->setRange(left, right);
    xAxis->setTickInterval(niceStep(right - left, 6, 1));
    double top = 0;
    for (const QList<QPointF> *points : series)
        for (const QPointF &point : *points)
            top = std::max(top, point.y());
    const double step = niceStep(top, 4, smallestStep);
    yAxis->setTickInterval(step);
    yAxis->setRange(0, std::max(step, std::ceil(top / step) * step));
}

} // namespace herald::console
