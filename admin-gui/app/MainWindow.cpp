#include "MainWindow.h"

#include "link/EmbeddedLink.h"
#include "link/LinkFactory.h"
#include "link/RemoteLink.h"
#include "models/ClientTableModel.h"
#include "models/MetricsHistory.h"
#include "panels/AttachDialog.h"
#include "panels/ClientTablePanel.h"
#include "panels/ComposerPanel.h"
#include "panels/LogPanel.h"
#include "panels/MetricsPanel.h"
#include "panels/SettingsDialog.h"
#include "panels/ShutdownDialog.h"
#include "protocol/AdminProtocol.h"
#include "state/ConsoleState.h"
#include "text/Formats.h"
#include "text/ServerMessages.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QTableView>
#include <QToolBar>

namespace herald::console {

MainWindow::MainWindow(LinkFactory *factory, Layout layout, QWidget *parent)
    : QMainWindow(parent)
    , m_factory(factory)
    , m_layout(layout)
    , m_state(new ConsoleState(this))
    , m_clients(new ClientTableModel(this))
    , m_metrics(new MetricsHistory(300, this))
    , m_clientTable(new ClientTablePanel(m_clients, this))
    , m_composer(new ComposerPanel(this))
    , m_metricsPanel(new MetricsPanel(m_metrics, this))
    , m_log(new LogPanel(this))
    , m_linkLabel(new QLabel(this))
{
    setWindowTitle(tr("Herald Admin Console"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/herald.svg")));
    setMinimumSize(900, 600);
    setCentralWidget(m_clientTable);
    m_linkLabel->setAccessibleName(tr("Connection state"));
    statusBar()->addPermanentWidget(m_linkLabel);

    connect(m_clientTable, &ClientTablePanel::selectionChanged, m_composer, &ComposerPanel::setSelectedClients);
    connect(m_composer, &ComposerPanel::statusMessage, this,
            [this](const QString &message) { statusBar()->showMessage(message, 10000); });
    m_composer->setConsoleState(m_state);
    connect(m_state, &ConsoleState::changed, this, &MainWindow::followState);

    createActions();
    createDocks();
    createHelpMenu();
    restoreWindowState();
    followState();
}

MainWindow::~MainWindow()
{
    // The link is a child and outlives this class's members while QWidget deletes children.
    if (m_link)
        disconnect(m_link, nullptr, this, nullptr);
    m_state->setLink(nullptr);
    if (m_layout == Layout::Default)
        return;
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/clientColumns"), m_clientTable->view()->horizontalHeader()->saveState());
}

void MainWindow::restoreWindowState()
{
    resize(1200, 760);
    if (m_layout == Layout::Default)
        return;
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    m_clientTable->view()->horizontalHeader()->restoreState(
        settings.value(QStringLiteral("window/clientColumns")).toByteArray());
}

void MainWindow::createActions()
{
    auto *attachAction = new QAction(QIcon(QStringLiteral(":/icons/attach.svg")), tr("&Attach to Server…"), this);
    attachAction->setShortcut(QKeySequence::Open);
    attachAction->setStatusTip(tr("Watch a running herald-server through its admin channel"));
    connect(attachAction, &QAction::triggered, this, &MainWindow::attach);
    m_attachAction = attachAction;

    auto *embeddedAction = new QAction(QIcon(QStringLiteral(":/icons/embedded.svg")), tr("Run &Embedded Server"), this);
    embeddedAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    embeddedAction->setStatusTip(tr("Run the server inside the console"));
    connect(embeddedAction, &QAction::triggered, this, &MainWindow::runEmbedded);
    m_embeddedAction = embeddedAction;

    m_settingsAction = new QAction(QIcon(QStringLiteral(":/icons/settings.svg")), tr("&Settings…"), this);
    m_settingsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    m_settingsAction->setStatusTip(tr("Edit the embedded server's settings"));
    connect(m_settingsAction, &QAction::triggered, this, &MainWindow::editSettings);

    auto *composeAction = new QAction(QIcon(QStringLiteral(":/icons/broadcast.svg")), tr("&Compose Broadcast"), this);
    composeAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_B));
    composeAction->setStatusTip(tr("Write a notification for the clients"));
    connect(composeAction, &QAction::triggered, this, [this] { m_composer->messageEdit()->setFocus(); });
    m_composeAction = composeAction;

    m_shutdownAction = new QAction(QIcon(QStringLiteral(":/icons/shutdown.svg")), tr("S&hut Down Gracefully…"), this);
    m_shutdownAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_X));
    m_shutdownAction->setStatusTip(tr("Tell every client, wait for them to leave, then stop the server"));
    connect(m_shutdownAction, &QAction::triggered, this, &MainWindow::requestShutdown);

    auto *filterAction = new QAction(tr("&Filter Clients"), this);
    filterAction->setShortcut(QKeySequence::Find);
    connect(filterAction, &QAction::triggered, this, [this] { m_clientTable->filterEdit()->setFocus(); });

    auto *quitAction = new QAction(tr("&Quit"), this);
    quitAction->setShortcut(QKeySequence::Quit);
    connect(quitAction, &QAction::triggered, this, &QWidget::close);

    QMenu *serverMenu = menuBar()->addMenu(tr("&Server"));
    serverMenu->addActions({attachAction, embeddedAction, m_settingsAction});
    serverMenu->addSeparator();
    serverMenu->addActions({composeAction, filterAction});
    serverMenu->addSeparator();
    serverMenu->addAction(m_shutdownAction);
    serverMenu->addSeparator();
    serverMenu->addAction(quitAction);

    QToolBar *toolBar = addToolBar(tr("Main"));
    toolBar->setObjectName(QStringLiteral("mainToolBar"));
    toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolBar->addActions({composeAction, m_shutdownAction});
    toolBar->addSeparator();
    toolBar->addActions({attachAction, embeddedAction, m_settingsAction});
}

void MainWindow::createDocks()
{
    const auto dock = [this](const QString &title, const QString &name, QWidget *panel, Qt::DockWidgetArea area) {
        auto *widget = new QDockWidget(title, this);
        widget->setObjectName(name);
        widget->setWidget(panel);
        addDockWidget(area, widget);
        return widget;
    };
    QDockWidget *composer = dock(tr("Compose"), QStringLiteral("composerDock"), m_composer, Qt::RightDockWidgetArea);
    QDockWidget *metrics = dock(tr("Metrics"), QStringLiteral("metricsDock"), m_metricsPanel, Qt::BottomDockWidgetArea);
    QDockWidget *log = dock(tr("Log"), QStringLiteral("logDock"), m_log, Qt::BottomDockWidgetArea);
    tabifyDockWidget(metrics, log);
    metrics->raise();
    QMenu *viewMenu = menuBar()->addMenu(tr("&View"));
    viewMenu->addActions({composer->toggleViewAction(), metrics->toggleViewAction(), log->toggleViewAction()});
}

void MainWindow::createHelpMenu()
{
    QMenu *helpMenu = menuBar()->addMenu(tr("&Help"));
    helpMenu->addAction(tr("&About Herald"), this, [this] {
        QMessageBox::about(this, tr("About Herald"),
                           tr("<b>Herald</b> %1<br>Real-time notification server and admin console.")
                               .arg(QApplication::applicationVersion()));
    });
}

void MainWindow::setLink(ServerLink *link)
{
    m_composer->setLink(link);
    m_clients->clear();
    m_metrics->clear();
    m_log->clear();
    m_quitWhenStopped = m_restartWhenStopped = false;
    if (m_shutdownDialog)
        m_shutdownDialog->close();
    if (m_link) {
        disconnect(m_link, nullptr, this, nullptr);
        m_state->setLink(nullptr);
        // An embedded server goes at once, so that its port is free for the next one; a remote link may be
        // in the middle of delivering a signal, so it goes when the event loop next turns.
        if (m_link->isEmbedded())
            delete m_link;
        else
            m_link->deleteLater();
    }
    m_link = link;
    if (link) {
        link->setParent(this);
        connect(link, &ServerLink::snapshotReceived, this, [this](const QJsonObject &snapshot) {
            m_clients->resetClients(snapshot.value(admin::key::Clients).toArray());
        });
        connect(link, &ServerLink::clientsChanged, m_clients, &ClientTableModel::applyChanges);
        connect(link, &ServerLink::metricsUpdated, m_metrics, &MetricsHistory::add);
        connect(link, &ServerLink::logRecords, m_log, &LogPanel::append);
    }
    m_state->setLink(link);
}

QString MainWindow::statusText() const
{
    return m_linkLabel->text();
}

void MainWindow::followState()
{
    const ConsoleState::Phase phase = m_state->phase();
    m_linkLabel->setText(m_state->statusText());
    setWindowTitle(m_state->serverName().isEmpty() ? tr("Herald Admin Console")
                                                   : tr("%1 – Herald Admin Console").arg(m_state->serverName()));
    m_shutdownAction->setEnabled(m_state->canShutDown());
    m_embeddedAction->setEnabled(m_state->canRunEmbedded());
    m_settingsAction->setEnabled(m_state->canEditSettings());
    m_attachAction->setEnabled(m_state->canAttach());
    m_composeAction->setEnabled(m_state->canSend());
    m_clientTable->setStaleSince(phase == ConsoleState::Phase::Reconnecting ? m_state->staleSince() : QDateTime());
    if (phase == ConsoleState::Phase::Stopped || phase == ConsoleState::Phase::Refused ||
        phase == ConsoleState::Phase::Unreachable)
        m_clients->clear(); // nothing there to show: the server is gone or was never seen
    if (phase == ConsoleState::Phase::ShuttingDown && !m_shutdownDialog)
        showShutdownDialog(); // begun elsewhere (SIGTERM, systemctl stop, another console): followed here too
    if (phase == ConsoleState::Phase::Refused && m_refusalShownFor != m_link) {
        // A refused token is not a line in the status bar to be missed: the console asks for the right one.
        m_refusalShownFor = m_link;
        QMetaObject::invokeMethod(this, &MainWindow::attach, Qt::QueuedConnection);
    }
    if (phase != ConsoleState::Phase::Stopped)
        return;
    if (m_restartWhenStopped) {
        m_restartWhenStopped = false;
        // After the signal that told of the stop has been delivered: the old server goes, then the new one binds.
        QMetaObject::invokeMethod(this, &MainWindow::runEmbedded, Qt::QueuedConnection);
    } else if (m_quitWhenStopped) {
        QMetaObject::invokeMethod(this, &QWidget::close, Qt::QueuedConnection);
    }
}

void MainWindow::requestShutdown()
{
    if (m_state->phase() == ConsoleState::Phase::ShuttingDown) {
        showShutdownDialog(); // already under way, perhaps from elsewhere: show how far it is
        return;
    }
    if (!m_state->canShutDown() || m_confirmation)
        return;
    const double timeout = m_state->shutdownTimeoutSeconds();
    m_confirmation = new QMessageBox(
        QMessageBox::Question, tr("Shut down the server?"),
        tr("Shut down %1?\n\nEvery client is told, the server waits up to %2 for them to leave, then closes the "
           "rest. New clients are refused.")
            .arg(m_state->serverName(), Formats::durationInWords(timeout)),
        QMessageBox::Yes | QMessageBox::Cancel, this);
    m_confirmation->setAttribute(Qt::WA_DeleteOnClose);
    m_confirmation->button(QMessageBox::Yes)->setText(tr("Shut &Down"));
    m_confirmation->setDefaultButton(QMessageBox::Cancel);
    connect(m_confirmation, &QMessageBox::finished, this, [this](int result) {
        m_confirmation.clear(); // it deletes itself later; the question is answered now
        if (result == QMessageBox::Yes)
            startShutdown(QStringLiteral("admin console"));
    });
    m_confirmation->open();
}

void MainWindow::showShutdownDialog()
{
    if (!m_shutdownDialog) {
        m_shutdownDialog = new ShutdownDialog(m_link, m_state, this);
        m_shutdownDialog->setAttribute(Qt::WA_DeleteOnClose);
    }
    m_shutdownDialog->show();
    m_shutdownDialog->raise();
}

void MainWindow::startShutdown(const QString &reason, double drainSeconds)
{
    showShutdownDialog();
    QJsonObject command{{admin::key::Command, admin::command::Shutdown}, {admin::key::Reason, reason}};
    if (drainSeconds >= 0)
        command.insert(admin::key::DrainSeconds, drainSeconds);
    m_link->send(command);
}

void MainWindow::runEmbedded()
{
    if (!m_state->canRunEmbedded())
        return;
    if (m_link && m_link->isEmbedded())
        setLink(nullptr); // the stopped one lets go of the port first
    QString error;
    if (ServerLink *link = m_factory->createEmbedded(&error))
        setLink(link);
    else
        QMessageBox::warning(this, tr("Embedded server not started"),
                             tr("%1\n\nAttach to a running server instead, or change the settings.")
                                 .arg(ServerMessages::startFailure(error)));
}

void MainWindow::attach()
{
    if (m_attachDialog) {
        m_attachDialog->raise();
        return;
    }
    auto *dialog = new AttachDialog(this);
    m_attachDialog = dialog;
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (m_state->phase() == ConsoleState::Phase::Refused && m_link)
        dialog->setProblem(
            QUrl(m_link->description()),
            tr("%1 refused the admin token. Enter the server's ADMIN_TOKEN.").arg(m_link->description()));
    connect(dialog, &QDialog::accepted, this,
            [this, dialog] { setLink(m_factory->createRemote(dialog->serverUrl(), dialog->token())); });
    dialog->open();
}

void MainWindow::editSettings()
{
    if (!m_state->canEditSettings())
        return;
    auto *dialog = new SettingsDialog(m_factory->loadConfig(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this] {
        if (m_state->phase() == ConsoleState::Phase::Running) {
            // A graceful restart: the clients are told and given a short drain, then the new server starts.
            m_restartWhenStopped = true;
            startShutdown(QStringLiteral("restart: settings changed"), RestartDrainSeconds);
        } else {
            runEmbedded();
        }
    });
    dialog->open();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    // Quitting the console must not drop the embedded server's clients without warning: it shuts down
    // gracefully first and the window closes when the server has stopped.
    if (m_state->isEmbedded() && m_state->phase() == ConsoleState::Phase::Running && m_clients->rowCount() > 0) {
        event->ignore();
        requestShutdown();
        if (m_confirmation)
            connect(m_confirmation, &QMessageBox::finished, this,
                    [this](int result) { m_quitWhenStopped = result == QMessageBox::Yes; });
        return;
    }
    if (m_state->isEmbedded() && m_state->phase() == ConsoleState::Phase::ShuttingDown) {
        event->ignore();
        m_quitWhenStopped = true;
        showShutdownDialog();
        return;
    }
    event->accept();
}

} // namespace herald::console
