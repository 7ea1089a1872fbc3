#pragma once

#include <QDialog>
#include <QJsonObject>

class QLabel;
class QProgressBar;
class QPushButton;

namespace herald::console {

class ConsoleState;
class ServerLink;

// Follows a graceful shutdown, embedded or attached: which server, which of the six steps it is on, the clients
// still connected out of those there at the start, the time left until they are closed, and a "Close all now"
// button that skips the wait (the same path as a second SIGTERM). It ends when the console state says stopped.
class ShutdownDialog : public QDialog
{
    Q_OBJECT
public:
    ShutdownDialog(ServerLink *link, ConsoleState *state, QWidget *parent = nullptr);

    QPushButton *closeAllButton() const { return m_closeAll; }
    QPushButton *doneButton() const { return m_done; }
    QString outcomeText() const;
    int remainingClients() const { return m_remaining; }

public slots:
    void showProgress(const QJsonObject &progress);

private:
    void showSteps(int reached);
    void followState();

    ServerLink *m_link;
    ConsoleState *m_state;
    QLabel *m_server;
    QLabel *m_steps;
    QLabel *m_remainingLabel;
    QLabel *m_timeLeft;
    QProgressBar *m_bar;
    QLabel *m_outcome;
    QPushButton *m_closeAll;
    QPushButton *m_done;
    int m_remaining = 0;
};

} // namespace herald::console
