#include "EmbeddedLink.h"

#include "Server.h"
#include "admin/AdminCommands.h"
#include "admin/AdminFeed.h"
#include "logging/Logger.h"

#include <QTimer>

namespace herald::console {

EmbeddedLink::EmbeddedLink(const Config &config, QObject *parent)
    : ServerLink(parent)
    , m_config(config)
    , m_logger(std::make_unique<Logger>())
{
    m_logger->configure(config);
    m_server = std::make_unique<Server>(config, m_logger.get());
    connect(m_server->adminFeed(), &AdminFeed::eventReady, this, &EmbeddedLink::dispatch);
    connect(m_server.get(), &Server::stopped, this,
            [this] { setState(State::Stopped, tr("The embedded server has shut down.")); });
}

EmbeddedLink::~EmbeddedLink()
{
    m_server->adminFeed()->unsubscribe();
    m_server.reset(); // before the logger it writes to
}

bool EmbeddedLink::start()
{
    QString error;
    if (!m_server->start(&error)) {
        setState(State::Stopped, error);
        return false;
    }
    m_server->adminFeed()->subscribe();
    setState(State::Connected);
    dispatch(m_server->adminFeed()->snapshot());
    return true;
}

QString EmbeddedLink::description() const
{
    return tr("Embedded server on %1:%2").arg(m_config.host).arg(m_server->port());
}

void EmbeddedLink::send(const QJsonObject &command)
{
    // Answered on the next turn of the event loop, as a remote server's reply would be.
    const QJsonObject reply = m_server->adminCommands()->execute(command);
    QTimer::singleShot(0, this, [this, reply] { dispatch(reply); });
}

} // namespace herald::console
