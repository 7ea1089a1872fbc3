#pragma once

#include "ServerLink.h"
#include "config/Config.h"

class QThread;

namespace herald::console {

class ServerHost;

// Runs the server library in this process, the same Server herald-server runs, in a thread of its own with the
// same epoll loop (ServerHost), and watches it through the same admin feed events a remote console gets, queued
// to the GUI thread instead of sent over a socket.
class EmbeddedLink : public ServerLink
{
    Q_OBJECT
public:
    explicit EmbeddedLink(const Config &config, QObject *parent = nullptr);
    // Stops the server and joins its thread: the port is free when it returns.
    ~EmbeddedLink() override;

    // Starts listening; false (and state Stopped with the reason) if the port cannot be had.
    bool start();
    QString description() const override;
    bool isEmbedded() const override { return true; }
    quint16 port() const { return m_port; }
    const Config &config() const { return m_config; }

public slots:
    void send(const QJsonObject &command) override;

private:
    Config m_config;
    QThread *m_thread;
    ServerHost *m_host;
    quint16 m_port = 0;
};

} // namespace herald::console
