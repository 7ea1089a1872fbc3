#pragma once

#include <QObject>
#include <QString>

class QProcess;

namespace herald::console {

class MainWindow;

// For the README's pictures: brings the console into one of its main states with a few demo clients, waits until
// the table and the charts show them, then saves the window (and any dialog over it) as a PNG and quits.
//   running        the embedded server after one broadcast
//   shutting-down  the embedded server waiting for its clients to leave
//   stopped        the embedded server after "Close all now"
//   stale          attached to a herald-server that has just been killed
//   attached       attached to whatever --attach or --local-service named (the package check uses it)
class ScreenshotDirector : public QObject
{
    Q_OBJECT
public:
    ScreenshotDirector(MainWindow *window, const QString &path, const QString &scene, int clients,
                       QObject *parent = nullptr);
    ~ScreenshotDirector() override;

    // False (with the reason on stderr) if the scene is unknown or the console is not in the mode it needs.
    bool start();

private:
    void connectClients(quint16 port);
    void onClientsShown();
    void afterFirstBroadcast();
    void startRemoteServer();
    void capture();
    void fail(const QString &why);

    MainWindow *m_window;
    QString m_path;
    QString m_scene;
    int m_clients;
    bool m_broadcastSent = false;
    bool m_sceneSet = false;
    bool m_captured = false;
    int m_metricsSeen = 0;
    QProcess *m_remoteServer = nullptr;
};

} // namespace herald::console
