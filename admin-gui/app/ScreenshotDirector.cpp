#include "ScreenshotDirector.h"

#include "MainWindow.h"
#include "link/EmbeddedLink.h"
#include "link/LinkFactory.h"
#include "link/RemoteLink.h"
#include "models/ClientTableModel.h"
#include "models/MetricsHistory.h"
#include "panels/ComposerPanel.h"
#include "panels/ShutdownDialog.h"
#include "state/ConsoleState.h"

#include <QCoreApplication>
#include <QDir>
#include <QPainter>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QTimer>
#include <QWebSocket>
#include <cstdio>

namespace herald::console {

namespace {
const QStringList Scenes{QStringLiteral("running"), QStringLiteral("shutting-down"), QStringLiteral("stopped"),
                         QStringLiteral("stale"), QStringLiteral("attached")};
const QString StaleSceneToken = QStringLiteral("screenshot-token");
} // namespace

ScreenshotDirector::ScreenshotDirector(MainWindow *window, const QString &path, const QString &scene, int clients,
                                       QObject *parent)
    : QObject(parent)
    , m_window(window)
    , m_path(path)
    , m_scene(scene.isEmpty() ? QStringLiteral("running") : scene)
    , m_clients(clients)
{}

ScreenshotDirector::~ScreenshotDirector()
{
    if (m_remoteServer) {
        m_remoteServer->kill();
        m_remoteServer->waitForFinished(2000);
    }
}

bool ScreenshotDirector::start()
{
    if (!Scenes.contains(m_scene)) {
        fail(QStringLiteral("unknown scene \"%1\"; known: %2").arg(m_scene, Scenes.join(", ")));
        return false;
    }
    // Never hang: whatever is on screen after 20 s is the picture, unless the scene needed a live server.
    QTimer::singleShot(20000, this, [this] {
        if (m_scene == u"attached")
            fail(QStringLiteral("not attached after 20 s: %1").arg(m_window->statusText()));
        else
            capture();
    });
    if (m_scene == u"attached") {
        connect(m_window->consoleState(), &ConsoleState::changed, this, [this] {
            const ConsoleState::Phase phase = m_window->consoleState()->phase();
            if (phase == ConsoleState::Phase::Running && !m_window->consoleState()->isEmbedded())
                QTimer::singleShot(1500, this, &ScreenshotDirector::capture); // a metrics event or two
            else if (phase == ConsoleState::Phase::Refused)
                fail(m_window->statusText());
        });
        return true;
    }
    if (m_scene == u"stale") {
        startRemoteServer();
        return true;
    }
    auto *embedded = qobject_cast<EmbeddedLink *>(m_window->link());
    if (!embedded) {
        fail(QStringLiteral("this scene needs the embedded server"));
        return false;
    }
    connectClients(embedded->port());
    return true;
}

void ScreenshotDirector::connectClients(quint16 port)
{
    const QUrl url(QStringLiteral("ws://127.0.0.1:%1/ws").arg(port));
    for (int i = 0; i < m_clients; ++i) {
        auto *client = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
        client->open(url);
    }
    connect(m_window->clientModel(), &QAbstractItemModel::rowsInserted, this, &ScreenshotDirector::onClientsShown);
    connect(m_window->clientModel(), &QAbstractItemModel::modelReset, this, &ScreenshotDirector::onClientsShown);
    connect(m_window->metricsHistory(), &MetricsHistory::updated, this, [this] {
        if (m_broadcastSent && ++m_metricsSeen == 3) // a few points on the charts
            afterFirstBroadcast();
    });
}

void ScreenshotDirector::startRemoteServer()
{
    // The herald-server beside this binary (build tree or /usr/bin), on a free port, with a token of its own.
    const QDir here(QCoreApplication::applicationDirPath());
    QString program = here.filePath(QStringLiteral("../server/herald-server"));
    if (!QFileInfo::exists(program))
        program = here.filePath(QStringLiteral("herald-server"));
    m_remoteServer = new QProcess(this);
    m_remoteServer->setProcessChannelMode(QProcess::MergedChannels);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("ADMIN_TOKEN"), StaleSceneToken);
    m_remoteServer->setProcessEnvironment(environment);
    m_remoteServer->setWorkingDirectory(QDir::tempPath());
    connect(m_remoteServer, &QProcess::readyRead, this, [this] {
        static const QRegularExpression listening(QStringLiteral("\"port\":(\\d+)"));
        const QRegularExpressionMatch match = listening.match(QString::fromUtf8(m_remoteServer->readAll()));
        if (!match.hasMatch() || m_window->link())
            return;
        const auto port = quint16(match.captured(1).toUInt());
        LinkFactory factory({}, {}, QDir::tempPath(), {});
        m_window->setLink(factory.createRemote(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)), StaleSceneToken));
        connectClients(port);
    });
    m_remoteServer->start(program, {QStringLiteral("--host"), QStringLiteral("127.0.0.1"), QStringLiteral("--port"),
                                    QStringLiteral("0"), QStringLiteral("--log-format"), QStringLiteral("json"),
                                    QStringLiteral("--log-dir"), QDir::temp().filePath(QStringLiteral("herald-shot")),
                                    QStringLiteral("--notification-interval"), QStringLiteral("1")});
    m_window->setLink(nullptr);
}

void ScreenshotDirector::onClientsShown()
{
    if (m_broadcastSent || m_window->clientModel()->rowCount() < m_clients)
        return;
    m_broadcastSent = true;
    m_window->composer()->messageEdit()->setPlainText(QStringLiteral("Deploy 2026.12 finished: all green"));
    m_window->composer()->sendButton()->click();
}

void ScreenshotDirector::afterFirstBroadcast()
{
    if (m_sceneSet)
        return;
    m_sceneSet = true;
    if (m_scene == u"running") {
        capture();
    } else if (m_scene == u"shutting-down" || m_scene == u"stopped") {
        m_window->requestShutdown();
        QMessageBox *confirmation = m_window->shutdownConfirmation();
        if (!confirmation)
            return fail(QStringLiteral("no shutdown confirmation"));
        confirmation->button(QMessageBox::Yes)->click();
        connect(m_window->consoleState(), &ConsoleState::changed, this, [this] {
            const ConsoleState::Phase phase = m_window->consoleState()->phase();
            if (m_scene == u"shutting-down" && phase == ConsoleState::Phase::ShuttingDown)
                QTimer::singleShot(2500, this, &ScreenshotDirector::capture); // a tick of the time left
            else if (m_scene == u"stopped" && phase == ConsoleState::Phase::ShuttingDown && m_window->shutdownDialog())
                m_window->shutdownDialog()->closeAllButton()->click();
            else if (m_scene == u"stopped" && phase == ConsoleState::Phase::Stopped)
                QTimer::singleShot(300, this, &ScreenshotDirector::capture);
        });
    } else if (m_scene == u"stale") {
        connect(m_window->consoleState(), &ConsoleState::changed, this, [this] {
            if (m_window->consoleState()->phase() == ConsoleState::Phase::Reconnecting)
                QTimer::singleShot(2500, this, &ScreenshotDirector::capture); // durations visibly stopped
        });
        m_remoteServer->kill();
    }
}

void ScreenshotDirector::capture()
{
    if (m_captured)
        return;
    m_captured = true;
    QPixmap picture = m_window->grab();
    // Dialogs are windows of their own; they go into the picture where they stand over the main window.
    QPainter painter(&picture);
    for (QWidget *dialog : {static_cast<QWidget *>(m_window->shutdownDialog())})
        if (dialog && dialog->isVisible())
            painter.drawPixmap(dialog->frameGeometry().topLeft() - m_window->frameGeometry().topLeft(), dialog->grab());
    painter.end();
    const bool saved = picture.save(m_path);
    std::fprintf(saved ? stdout : stderr, saved ? "wrote %s (%s)\n" : "herald-admin: cannot write %s (%s)\n",
                 qPrintable(m_path), qPrintable(m_window->statusText()));
    QCoreApplication::exit(saved ? 0 : 1);
}

void ScreenshotDirector::fail(const QString &why)
{
    std::fprintf(stderr, "herald-admin: --screenshot: %s\n", qPrintable(why));
    QCoreApplication::exit(1);
}

} // namespace herald::console
