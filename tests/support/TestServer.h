#pragma once

#include "Server.h"
#include "config/Config.h"
#include "logging/Logger.h"

#include <QTemporaryDir>
#include <QUrl>
#include <memory>

namespace herald::test {

// A real Server on an ephemeral loopback port, logging into a temporary directory.
class TestServer
{
public:
    // Settings that keep tests quick and quiet unless a test says otherwise.
    static Config defaultConfig();

    explicit TestServer(Config config = defaultConfig());

    Server &server() { return *m_server; }
    Logger &logger() { return *m_logger; }
    QString logDir() const { return m_logDir.path(); }
    QUrl httpUrl(const QString &path) const;
    QUrl webSocketUrl() const;

private:
    // Declaration order is destruction order reversed: the server goes before the logger it writes to.
    bool m_tls;
    QTemporaryDir m_logDir;
    std::unique_ptr<Logger> m_logger;
    std::unique_ptr<Server> m_server;
};

} // namespace herald::test
