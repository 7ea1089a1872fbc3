#include "ServerHost.h"

#include "Server.h"
#include "admin/AdminCommands.h"
#include "admin/AdminFeed.h"
#include "logging/Logger.h"

#include <QThread>

namespace herald::console {

ServerHost::ServerHost(const Config &config)
    : m_config(config)
{}

ServerHost::~ServerHost() = default;

bool ServerHost::start(QString *error)
{
    m_logger = std::make_unique<Logger>();
    m_logger->configure(m_config);
    m_server = std::make_unique<Server>(m_config, m_logger.get());
    if (!m_server->start(error)) {
        m_server.reset();
        m_logger.reset();
        return false;
    }
    m_port = m_server->port();
    AdminFeed *feed = m_server->adminFeed();
    connect(feed, &AdminFeed::eventReady, this, &ServerHost::eventReady);
    connect(m_server.get(), &Server::stopped, this, &ServerHost::stopped);
    feed->subscribe();
    emit eventReady(feed->snapshot());
    return true;
}

void ServerHost::stop(QThread *home)
{
    if (m_server)
        m_server->adminFeed()->unsubscribe();
    m_server.reset(); // before the logger it writes to
    m_logger.reset();
    moveToThread(home);
}

void ServerHost::execute(const QJsonObject &command)
{
    if (m_server)
        emit replied(m_server->adminCommands()->execute(command));
}

} // namespace herald::console
