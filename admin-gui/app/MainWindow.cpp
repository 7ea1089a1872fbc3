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

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QToolBar>

namespace herald::console {

MainWindow::MainWindow(LinkFactory *factory, QWidget *parent)
    : QMainWindow(parent)
    , m_factory(factory)
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

    createActions();
    createDocks();
    createHelpMenu();
    restoreWindowState();
}

MainWindow::~MainWindow()
{
    // The link is a child and outlives this class's members while QWidget deletes children.
    if (m_link)
        disconnect(m_link, nullptr, this, nullptr);
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
}

void MainWindow::restoreWindowState()
{
    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1200, 760);
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
}

void MainWindow::createActions()
{
    auto *attachAction = new QAction(QIcon(QStringLiteral(":/icons/attach.svg")), tr("&Attach to Server…"), this);
    attachAction->setShortcut(QKeySequence::Open);
    attachAction->setStatusTip(tr("Watch a running herald-server through its admin channel"));
    connect(attachAction, &QAction::triggered, this, &MainWindow::attach);

    auto *embeddedAction = new QAction(QIcon(QStringLiteral(":/icons/embedded.svg")), tr("Run &Embedded Server"), this);
    embeddedAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    embeddedAction->setStatusTip(tr("Run the server inside the console"));
    connect(embeddedAction, &QAction::triggered, this, &MainWindow::runEmbedded);

    m_settingsAction = new QAction(QIcon(QStringLiteral(":/icons/settings.svg")), tr("&Settings…"), this);
    m_settingsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    m_settingsAction->setStatusTip(tr("Edit the embedded server's settings"));
    connect(m_settingsAction, &QAction::triggered, this, &MainWindow::editSettings);

    auto *composeAction = new QAction(QIcon(QStringLiteral(":/icons/broadcast.svg")), tr("&Compose Broadcast"), this);
    composeAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_B));
    composeAction->setStatusTip(tr("Write a notification for the clients"));
    connect(composeAction, &QAction::triggered, this, [this] { m_composer->messageEdit()->setFocus(); });

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
    if (m_link) {
        disconnect(m_link, nullptr, this, nullptr);
        // An embedded server goes at once, so that its port is free for the next one; a remote link may be
        // in the middle of delivering a signal, so it goes when the event loop next turns.
        if (qobject_cast<EmbeddedLink *>(m_link))
            delete m_link;
        else
            m_link->deleteLater();
    }
    m_link = link;
    if (!link)
        return;
    link->setParent(this);
    connect(link, &ServerLink::snapshotReceived, this, [this](const QJsonObject &snapshot) {
        m_clients->resetClients(snapshot.value(QLatin1StringView("clients")).toArray());
    });
    connect(link, &ServerLink::clientsChanged, m_clients, &ClientTableModel::applyChanges);
    connect(link, &ServerLink::metricsUpdated, m_metrics, &MetricsHistory::add);
    connect(link, &ServerLink::logLines, m_log, &LogPanel::append);
    connect(link, &ServerLink::stateChanged, this, &MainWindow::showLinkState);
    m_settingsAction->setEnabled(qobject_cast<EmbeddedLink *>(link) != nullptr);
    showLinkState(link->state(), link->stateDetail());
}

void MainWindow::showLinkState(ServerLink::State state, const QString &detail)
{
    QString text;
    switch (state) {
    case ServerLink::State::Connecting:
        text = tr("Connecting to %1…").arg(m_link->description());
        break;
    case ServerLink::State::Connected:
        text = tr("Connected: %1").arg(m_link->description());
        break;
    case ServerLink::State::Disconnected:
        text = tr("Disconnected from %1. %2").arg(m_link->description(), detail);
        break;
    case ServerLink::State::Refused:
        text = tr("Refused by %1: %2").arg(m_link->description(), detail);
        break;
    case ServerLink::State::Stopped:
        text = tr("Server stopped. %1").arg(detail);
        break;
    }
    m_linkLabel->setText(text);
    m_shutdownAction->setEnabled(state == ServerLink::State::Connected);
    if (state == ServerLink::State::Stopped && m_quitWhenStopped)
        close();
}

void MainWindow::requestShutdown()
{
    if (!m_link || m_link->state() != ServerLink::State::Connected || m_confirmation)
        return;
    m_confirmation = new QMessageBox(QMessageBox::Question, tr("Shut down the server?"),
                                     tr("Every client is told, the server waits for them to leave (up to its "
                                        "SHUTDOWN_TIMEOUT), then closes the rest. New clients are refused."),
                                     QMessageBox::Yes | QMessageBox::Cancel, this);
    m_confirmation->setAttribute(Qt::WA_DeleteOnClose);
    m_confirmation->button(QMessageBox::Yes)->setText(tr("Shut &Down"));
    m_confirmation->setDefaultButton(QMessageBox::Cancel);
    connect(m_confirmation, &QMessageBox::finished, this, [this](int result) {
        if (result == QMessageBox::Yes)
            startShutdown();
    });
    m_confirmation->open();
}

void MainWindow::startShutdown()
{
    if (!m_shutdownDialog) {
        m_shutdownDialog = new ShutdownDialog(m_link, this);
        m_shutdownDialog->setAttribute(Qt::WA_DeleteOnClose);
    }
    m_shutdownDialog->show();
    m_link->send({{QStringLiteral("command"), QStringLiteral("shutdown")},
                  {QStringLiteral("reason"), QStringLiteral("admin console")}});
}

void MainWindow::runEmbedded()
{
    QString error;
    if (EmbeddedLink *link = m_factory->createEmbedded(&error))
        setLink(link);
    else
        QMessageBox::warning(this, tr("Embedded server not started"),
                             tr("%1\n\nAttach to a running server instead, or fix the settings.").arg(error));
}

void MainWindow::attach()
{
    auto *dialog = new AttachDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this,
            [this, dialog] { setLink(m_factory->createRemote(dialog->serverUrl(), dialog->token())); });
    dialog->open();
}

void MainWindow::editSettings()
{
    auto *dialog = new SettingsDialog(m_factory->loadConfig(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this] {
        setLink(nullptr); // frees the port before the new server binds it
        runEmbedded();
    });
    dialog->open();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    // Quitting the console must not drop the embedded server's clients without warning: it shuts down
    // gracefully first and the window closes when the server has stopped.
    auto *embedded = qobject_cast<EmbeddedLink *>(m_link);
    if (embedded && embedded->state() == ServerLink::State::Connected && m_clients->rowCount() > 0) {
        event->ignore();
        m_quitWhenStopped = true;
        requestShutdown();
        if (m_confirmation)
            connect(m_confirmation, &QMessageBox::finished, this,
                    [this](int result) { m_quitWhenStopped = result == QMessageBox::Yes; });
        return;
    }
    event->accept();
}

} // namespace herald::console
