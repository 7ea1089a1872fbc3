#pragma once

#include "ServerLink.h"
#include "config/Config.h"

#include <memory>

namespace herald {
class Logger;
class Server;
} // namespace herald

namespace herald::console {

// Runs the server library in this process, the same Server herald-server runs, and watches it through its
// AdminFeed signals instead of a socket.
class EmbeddedLink : public ServerLink
{
    Q_OBJECT
public:
    explicit EmbeddedLink(const Config &config, QObject *parent = nullptr);
    ~EmbeddedLink() override;

    // Starts listening; false (and state Stopped with the reason) if the port cannot be had.
    bool start();
    QString description() const override;
    Server *server() const { return m_server.get(); }

public slots:
    void send(const QJsonObject &command) override;

private:
    Config m_config;
    std::unique_ptr<Logger> m_logger;
    std::unique_ptr<Server> m_server;
};

} // namespace herald::console
