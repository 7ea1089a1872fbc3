#include "TestServer.h"

#include <QTest>

namespace herald::test {

Config TestServer::defaultConfig()
{
    Config config;
    config.host = QStringLiteral("127.0.0.1");
    config.port = 0;
    config.notificationIntervalSeconds = 0;
    config.pingIntervalSeconds = 0;
    config.shutdownTimeoutSeconds = 5;
    config.logLevel = LogLevel::Warning;
    return config;
}

TestServer::TestServer(Config config)
    : m_tls(config.tlsEnabled())
{
    config.logDir = m_logDir.path();
    m_logger = std::make_unique<Logger>();
    m_logger->configure(config);
    m_server = std::make_unique<Server>(config, m_logger.get());
    QString error;
    if (!m_server->start(&error))
        qFatal("TestServer: %s", qPrintable(error));
}

QUrl TestServer::httpUrl(const QString &path) const
{
    return QUrl(QStringLiteral("%1://127.0.0.1:%2%3")
                    .arg(m_tls ? QStringLiteral("https") : QStringLiteral("http"))
                    .arg(m_server->port())
                    .arg(path));
}

QUrl TestServer::webSocketUrl() const
{
    return QUrl(QStringLiteral("%1://127.0.0.1:%2/ws")
                    .arg(m_tls ? QStringLiteral("wss") : QStringLiteral("ws"))
                    .arg(m_server->port()));
}

} // namespace herald::test
