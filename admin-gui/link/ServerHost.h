#pragma once

#include "config/Config.h"

#include <QJsonObject>
#include <QObject>
#include <memory>

namespace herald {
class Logger;
class Server;
} // namespace herald

namespace herald::console {

// The embedded server's side of EmbeddedLink: lives in the server's own thread, on the same epoll loop as
// herald-server's main thread, and owns the Logger and the Server there. Everything it tells the console leaves
// as a signal, so the GUI thread never touches a client socket.
class ServerHost : public QObject
{
    Q_OBJECT
public:
    explicit ServerHost(const Config &config);
    ~ServerHost() override;

    // In the server thread: builds and starts the server; false with *error saying why.
    bool start(QString *error);
    // In the server thread: stops and deletes the server (the port is free when it returns), then hands this
    // object back to `home` for deletion.
    void stop(QThread *home);
    quint16 port() const { return m_port; }

public slots:
    void execute(const QJsonObject &command);

signals:
    void eventReady(const QJsonObject &event);
    void replied(const QJsonObject &reply);
    void stopped();

private:
    Config m_config;
    std::unique_ptr<Logger> m_logger;
    std::unique_ptr<Server> m_server;
    quint16 m_port = 0;
};

} // namespace herald::console
