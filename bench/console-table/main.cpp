// herald-console-table: what the console's client table costs with many clients. Feeds the real model, proxy
// and view the same coalesced events the server's AdminFeed sends, and times each step including a repaint.

#include "models/ClientTableModel.h"
#include "panels/ClientTablePanel.h"

#include <QApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTableView>
#include <QUuid>
#include <cstdio>

using herald::console::ClientTableModel;
using herald::console::ClientTablePanel;

namespace {

long rssKib()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLong();
    return -1;
}

QJsonObject row(const QString &id, int i, qint64 messagesOut)
{
    return {
        {QStringLiteral("n"), i + 1},
        {QStringLiteral("id"), id},
        {QStringLiteral("remote"), QStringLiteral("10.0.%1.%2:%3").arg(i / 250).arg(i % 250).arg(40000 + i % 20000)},
        {QStringLiteral("connected_at"), QDateTime::currentDateTimeUtc().addSecs(-i).toString(Qt::ISODateWithMs)},
        {QStringLiteral("messages_in"), i % 7},
        {QStringLiteral("messages_out"), messagesOut},
        {QStringLiteral("bytes_in"), i % 7 * 20},
        {QStringLiteral("bytes_out"), messagesOut * 140},
        {QStringLiteral("rtt_ms"), i % 50},
        {QStringLiteral("state"), QStringLiteral("open")}};
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    const int clients = argc > 1 ? QByteArray(argv[1]).toInt() : 10000;
    const int updates = 20;

    ClientTableModel model;
    ClientTablePanel panel(&model);
    panel.resize(1200, 800);
    panel.show();
    panel.view()->sortByColumn(ClientTableModel::MessagesOut, Qt::DescendingOrder); // worst case: every update re-sorts
    QApplication::processEvents();
    const long rssBefore = rssKib();

    QStringList ids;
    for (int i = 0; i < clients; ++i)
        ids.append(QUuid::createUuid().toString(QUuid::WithoutBraces));
    const auto rows = [&](qint64 messagesOut) {
        QJsonArray array;
        for (int i = 0; i < clients; ++i)
            array.append(row(ids[i], i, messagesOut + i % 3));
        return array;
    };
    // What AdminFeed sends after a broadcast to everyone: one delta group whose one range covers every client.
    const auto stats = [&](qint64) {
        return QJsonArray{QJsonObject{{QStringLiteral("by"), QJsonArray{0, 1, 0, 140}},
                                      {QStringLiteral("ranges"), QJsonArray{1, clients}}}};
    };
    const auto timed = [](auto &&step) {
        QElapsedTimer timer;
        timer.start();
        step();
        return double(timer.nsecsElapsed()) / 1e6;
    };
    const auto repaint = [&] { panel.view()->viewport()->repaint(); };

    QElapsedTimer build;
    build.start();
    QJsonArray added = rows(1);
    const double buildMs = double(build.nsecsElapsed()) / 1e6;
    build.restart();
    const QJsonArray sample = stats(1);
    const double statsMs = double(build.nsecsElapsed()) / 1e6;

    const double addMs = timed([&] {
        model.applyChanges(added, {}, {}, {});
        repaint();
    });
    const long rssWith = rssKib();

    double updateTotal = 0, updateMax = 0;
    for (int u = 0; u < updates; ++u) {
        QJsonArray updated = stats(2 + u);
        const double ms = timed([&] {
            model.applyChanges({}, {}, updated, {});
            repaint();
        });
        updateTotal += ms;
        updateMax = std::max(updateMax, ms);
    }
    // What ClientTablePanel does once a second: repaint the duration column in view (no model change).
    const double tickMs = timed([&] {
        QTableView *view = panel.view();
        view->viewport()->repaint(view->columnViewportPosition(ClientTableModel::Duration), 0,
                                  view->columnWidth(ClientTableModel::Duration), view->viewport()->height());
    });
    QJsonArray removed;
    for (const QString &id : ids)
        removed.append(id);
    const double removeMs = timed([&] {
        model.applyChanges({}, removed, {}, {});
        repaint();
    });

    std::printf("clients: %d (table sorted by a changing column, %dx%d viewport)\n", clients, panel.width(),
                panel.height());
    std::printf("feed side: build %d full rows (added): %.1f ms; the delta event for all of them: %.3f ms\n", clients,
                buildMs, statsMs);
    std::printf("add all rows in one event + repaint: %.1f ms\n", addMs);
    std::printf("update all rows in one event + repaint: avg %.1f ms, max %.1f ms over %d events\n",
                updateTotal / updates, updateMax, updates);
    std::printf("duration tick (1/s) + repaint: %.1f ms\n", tickMs);
    std::printf("remove all rows in one event + repaint: %.1f ms\n", removeMs);
    std::printf("RSS: %ld KiB before, %ld KiB with %d rows (%.2f KiB per row)\n", rssBefore, rssWith, clients,
                double(rssWith - rssBefore) / clients);
    return 0;
}
