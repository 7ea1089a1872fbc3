#pragma once

#include <QObject>
#include <QString>

class QWebSocket;

namespace herald::console {

class MainWindow;

// For the README's picture: connects a few demo clients to the embedded server, sends one broadcast,
// waits until the table and the charts show them, then saves the window as a PNG and quits.
class ScreenshotDirector : public QObject
{
    Q_OBJECT
public:
    ScreenshotDirector(MainWindow *window, const QString &path, int clients, QObject *parent = nullptr);

    void start();

private:
    void onTableChanged();
    void capture();

    MainWindow *m_window;
    QString m_path;
    int m_clients;
    bool m_broadcastSent = false;
    int m_metricsSeen = 0;
};

} // namespace herald::console
