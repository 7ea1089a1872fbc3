#pragma once

#include "link/ServerLink.h"
#include "panels/ShutdownDialog.h"

#include <QMainWindow>
#include <QMessageBox>
#include <QPointer>

class QAction;
class QLabel;
class QMessageBox;

namespace herald::console {

class ClientTableModel;
class ClientTablePanel;
class ComposerPanel;
class LinkFactory;
class LogPanel;
class MetricsHistory;
class MetricsPanel;
class ShutdownDialog;

// The console's window: the client table in the middle; composer, metrics and log in docks; a toolbar and
// menus for attaching, settings and shutdown. It watches whichever ServerLink it is given.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(LinkFactory *factory, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Takes ownership; the previous link, if any, is let go.
    void setLink(ServerLink *link);
    ServerLink *link() const { return m_link; }

    ClientTableModel *clientModel() const { return m_clients; }
    ClientTablePanel *clientTable() const { return m_clientTable; }
    ComposerPanel *composer() const { return m_composer; }
    MetricsPanel *metricsPanel() const { return m_metricsPanel; }
    MetricsHistory *metricsHistory() const { return m_metrics; }
    LogPanel *logPanel() const { return m_log; }
    QAction *shutdownAction() const { return m_shutdownAction; }
    // The open confirmation and progress views, for whoever drives the console (tests, the screenshot).
    QMessageBox *shutdownConfirmation() const { return m_confirmation; }
    ShutdownDialog *shutdownDialog() const { return m_shutdownDialog; }

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
    void showLinkState(ServerLink::State state, const QString &detail);
    void startShutdown();
    void restoreWindowState();

    LinkFactory *m_factory;
    ServerLink *m_link = nullptr;
    ClientTableModel *m_clients;
    MetricsHistory *m_metrics;
    ClientTablePanel *m_clientTable;
    ComposerPanel *m_composer;
    MetricsPanel *m_metricsPanel;
    LogPanel *m_log;
    QLabel *m_linkLabel;
    QAction *m_shutdownAction = nullptr;
    QAction *m_settingsAction = nullptr;
    QPointer<QMessageBox> m_confirmation;
    QPointer<ShutdownDialog> m_shutdownDialog;
    bool m_quitWhenStopped = false;
};

} // namespace herald::console
