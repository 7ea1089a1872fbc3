#include "ScreenshotDirector.h"

#include "MainWindow.h"
#include "Server.h"
#include "link/EmbeddedLink.h"
#include "models/ClientTableModel.h"
#include "models/MetricsHistory.h"
#include "panels/ComposerPanel.h"

#include <QCoreApplication>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTimer>
#include <QWebSocket>
#include <cstdio>

namespace herald::console {

ScreenshotDirector::ScreenshotDirector(MainWindow *window, const QString &path, int clients, QObject *parent)
    : QObject(parent)
    , m_window(window)
    , m_path(path)
    , m_clients(clients)
{}

void ScreenshotDirector::start()
{
    auto *embedded = qobject_cast<EmbeddedLink *>(m_window->link());
    if (!embedded) {
        std::fprintf(stderr, "herald-admin: --screenshot needs the embedded server\n");
        QCoreApplication::exit(1);
        return;
    }
    const QUrl url(QStringLiteral("ws://127.0.0.1:%1/ws").arg(embedded->server()->port()));
    for (int i = 0; i < m_clients; ++i) {
        auto *client = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
        client->open(url);
    }
    connect(m_window->clientModel(), &QAbstractItemModel::rowsInserted, this, &ScreenshotDirector::onTableChanged);
    connect(m_window->metricsHistory(), &MetricsHistory::updated, this, [this] {
        if (m_broadcastSent && ++m_metricsSeen == 3) // a few points on the charts
            capture();
    });
    // Never hang: whatever is on screen after 20 s is the picture.
    QTimer::singleShot(20000, this, &ScreenshotDirector::capture);
}

void ScreenshotDirector::onTableChanged()
{
    if (m_broadcastSent || m_window->clientModel()->rowCount() < m_clients)
        return;
    m_broadcastSent = true;
    m_window->composer()->messageEdit()->setPlainText(QStringLiteral("Deploy 2026.11 finished: all green"));
    m_window->composer()->sendButton()->click();
}

void ScreenshotDirector::capture()
{
    const bool saved = m_window->grab().save(m_path);
    std::fprintf(saved ? stdout : stderr, saved ? "wrote %s\n" : "herald-admin: cannot write %s\n", qPrintable(m_path));
    QCoreApplication::exit(saved ? 0 : 1);
}

} // namespace herald::console
