#pragma once

#include "panels/AttachDialog.h"
#include "panels/ShutdownDialog.h"

#include <QMainWindow>
#include <QMessageBox>
#include <QPointer>

class QAction;
class QLabel;

namespace herald::console {

class ClientTableModel;
class ClientTablePanel;
class ComposerPanel;
class ConsoleState;
class LinkFactory;
class LogPanel;
class MetricsHistory;
class MetricsPanel;
class ServerLink;
class ShutdownDialog;

// The console's window: the client table in the middle; composer, metrics and log in docks; a toolbar and
// menus for attaching, settings and shutdown. It watches whichever ServerLink it is given, and everything it
// enables, disables and says follows one ConsoleState.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    // Saved: the operator's last window size, docks and columns; Default: the built-in layout (screenshots).
    enum class Layout { Saved, Default };
    explicit MainWindow(LinkFactory *factory, Layout layout = Layout::Saved, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Takes ownership; the previous link, if any, is let go (an embedded server is stopped first).
    void setLink(ServerLink *link);
    ServerLink *link() const { return m_link; }
    ConsoleState *consoleState() const { return m_state; }

    ClientTableModel *clientModel() const { return m_clients; }
    ClientTablePanel *clientTable() const { return m_clientTable; }
    ComposerPanel *composer() const { return m_composer; }
    MetricsPanel *metricsPanel() const { return m_metricsPanel; }
    MetricsHistory *metricsHistory() const { return m_metrics; }
    LogPanel *logPanel() const { return m_log; }
    QAction *shutdownAction() const { return m_shutdownAction; }
    QAction *embeddedAction() const { return m_embeddedAction; }
    QAction *settingsAction() const { return m_settingsAction; }
    QAction *attachAction() const { return m_attachAction; }
    QString statusText() const;
    // The open confirmation and progress views, for whoever drives the console (tests, the screenshot).
    QMessageBox *shutdownConfirmation() const { return m_confirmation; }
    AttachDialog *attachDialog() const { return m_attachDialog; }
    ShutdownDialog *shutdownDialog() const { return m_shutdownDialog; }

    // How long a restart for new settings waits for clients to leave before closing them.
    static constexpr double RestartDrainSeconds = 5;

public slots:
    // Asks for confirmation, then shuts the server down gracefully and shows the progress.
    void requestShutdown();
    void runEmbedded();
    void attach();
    void editSettings();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    void createDocks();
    void createHelpMenu();
    void followState();
    void startShutdown(const QString &reason, double drainSeconds = -1);
    void showShutdownDialog();
    void restoreWindowState();

    LinkFactory *m_factory;
    Layout m_layout;
    ServerLink *m_link = nullptr;
    ConsoleState *m_state;
    ClientTableModel *m_clients;
    MetricsHistory *m_metrics;
    ClientTablePanel *m_clientTable;
    ComposerPanel *m_composer;
    MetricsPanel *m_metricsPanel;
    LogPanel *m_log;
    QLabel *m_linkLabel;
    QAction *m_attachAction = nullptr;
    QAction *m_embeddedAction = nullptr;
    QAction *m_shutdownAction = nullptr;
    QAction *m_settingsAction = nullptr;
    QAction *m_composeAction = nullptr;
    QPointer<QMessageBox> m_confirmation;
    QPointer<ShutdownDialog> m_shutdownDialog;
    QPointer<AttachDialog> m_attachDialog;
    QPointer<ServerLink> m_refusalShownFor; // the link whose refusal opened the attach dialog
    bool m_quitWhenStopped = false;
    bool m_restartWhenStopped = false;
};

} // namespace herald::console
