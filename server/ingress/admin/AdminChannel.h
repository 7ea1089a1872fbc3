#pragma once

#include "http/BearerToken.h"
#include "http/HttpResponse.h"
#include "websocket/WebSocketConnection.h"

#include <QObject>
#include <QSet>

class QTimer;

namespace herald {

struct HttpRequest;
struct UpgradedSocket;
class ClientConnection;

class AdminFeed;
class AdminCommands;
class Logger;

// The /admin WebSocket: a remote console's view of the server. Upgrades need the configured token
// ("Authorization: Bearer <token>" or "?token=<token>"); anything else gets 401 before the handshake and
// learns nothing. An admitted console gets the snapshot, then the feed's events, and may send commands.
class AdminChannel : public QObject, private ClientConnection::Events
{
    Q_OBJECT
public:
    AdminChannel(const QString &token, AdminFeed *feed, AdminCommands *commands, Logger *logger,
                 QObject *parent = nullptr);

    HttpResponse admission(const HttpRequest &request) const;
    void accept(UpgradedSocket socket);
    int consoleCount() const { return int(m_consoles.size()); }
    // Closes every console (1001, "Server stopped") once what it was sent is written; consolesClosed() follows
    // when all are gone, after ClosingGraceMs at most.
    void closeConsoles();
    static constexpr int ClosingGraceMs = 1000;

signals:
    void consolesClosed();

private:
    void textReceived(ClientConnection *console, const QString &text) override { handleCommand(console, text); }
    void binaryReceived(ClientConnection *, qsizetype) override {}
    void pongReceived(ClientConnection *) override {}
    void protocolViolated(ClientConnection *, quint16, const QString &) override {}
    void limitExceeded(ClientConnection *, ClientConnection::Overrun, const QString &) override {}
    void disconnected(ClientConnection *console) override;
    void broadcastEvent(const QJsonObject &event);
    void handleCommand(ClientConnection *console, const QString &text);

    BearerToken m_token;
    AdminFeed *m_feed;
    AdminCommands *m_commands;
    Logger *m_logger;
    void checkClosed();

    QSet<ClientConnection *> m_consoles;
    bool m_closing = false;
    QTimer *m_closingGrace;
};

} // namespace herald
