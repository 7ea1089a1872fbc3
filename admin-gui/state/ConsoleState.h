#pragma once

#include "link/ServerLink.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>

namespace herald::console {

// What the console shows, decided in one place: the link's own state and the server's shutdown progress combined
// into one phase. Every action, button, status line and dialog takes its enabled state and its words from here,
// so none of them can disagree with another or with the server.
class ConsoleState : public QObject
{
    Q_OBJECT
public:
    enum class Phase {
        NoServer,     // nothing to watch
        Starting,     // an embedded server starting, or the first attempt to reach a remote one
        Running,      // live: the view is the server's
        ShuttingDown, // live, the server in its graceful shutdown (step() of 6)
        Stopped,      // the server has shut down
        Reconnecting, // attached, the link lost: the view is stale since staleSince()
        Unreachable,  // attached, the server never reached; retrying
        Refused       // attached, the admin token refused
    };
    Q_ENUM(Phase)

    explicit ConsoleState(QObject *parent = nullptr);

    // Follows this link from now on (nullptr: none); the link's owner keeps it.
    void setLink(ServerLink *link);
    ServerLink *link() const { return m_link; }

    Phase phase() const { return m_phase; }
    bool isEmbedded() const { return m_link && m_link->isEmbedded(); }
    // Where the server is, for people (the link's description), empty without one.
    QString serverName() const;
    // 1 to 6 while shutting down (steps 1 to 3 happen at once, so it reads 4, 5, 6), 0 otherwise.
    int step() const { return m_step; }
    QDateTime staleSince() const { return m_staleSince; }
    // The server's SHUTDOWN_TIMEOUT (or the current shutdown's shorter wait), from its last report.
    double shutdownTimeoutSeconds() const { return m_timeoutSeconds; }
    QString detail() const { return m_detail; }

    // One line for the status bar.
    QString statusText() const;

    bool canSend() const { return m_phase == Phase::Running; }
    bool canShutDown() const { return m_phase == Phase::Running || m_phase == Phase::ShuttingDown; }
    bool canRunEmbedded() const;
    bool canEditSettings() const;
    bool canAttach() const { return !(isEmbedded() && m_phase == Phase::ShuttingDown); }

signals:
    void changed();

private:
    void onLinkState(ServerLink::State state, const QString &detail);
    void onShutdownProgress(const QJsonObject &progress);
    void update();

    QPointer<ServerLink> m_link;
    Phase m_phase = Phase::NoServer;
    int m_step = 0;
    double m_timeoutSeconds = 0;
    QDateTime m_staleSince;
    QString m_detail;
};

} // namespace herald::console
