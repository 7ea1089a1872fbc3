#pragma once

#include <QDialog>
#include <QJsonObject>

class QLabel;
class QProgressBar;
class QPushButton;

namespace herald::console {

class ServerLink;

// Follows a graceful shutdown: which of the six steps the server is on, the clients still connected, the
// time left to SHUTDOWN_TIMEOUT, and a "Close all now" button that skips the wait (the same path as a
// second SIGTERM).
class ShutdownDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ShutdownDialog(ServerLink *link, QWidget *parent = nullptr);

    QPushButton *closeAllButton() const { return m_closeAll; }
    QString stepText() const;
    int remainingClients() const { return m_remaining; }

public slots:
    void showProgress(const QJsonObject &progress);

private:
    ServerLink *m_link;
    QLabel *m_steps;
    QLabel *m_remainingLabel;
    QLabel *m_timeLeft;
    QProgressBar *m_bar;
    QPushButton *m_closeAll;
    QPushButton *m_done;
    int m_remaining = 0;
};

} // namespace herald::console
