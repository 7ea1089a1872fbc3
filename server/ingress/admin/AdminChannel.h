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
class WebSocketConnection;

class AdminFeed;
class AdminCommands;
class Logger;

// The /admin WebSocket: a remote console's view of the server. Upgrades need the configured token
// ("Authorization: Bearer <token>" or "?token=<token>"); anything else gets 401 before the handshake and
// learns nothing. An admitted console gets the snapshot, then the feed's events, and may send commands.
class AdminChannel : public QObject, private WebSocketConnection::Events
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
    void textReceived(WebSocketConnection *console, const QString &text) override { handleCommand(console, text); }
    void binaryReceived(WebSocketConnection *, qsizetype) override {}
    void pongReceived(WebSocketConnection *) override {}
    void protocolViolated(WebSocketConnection *, quint16, const QString &) override {}
    void limitExceeded(WebSocketConnection *, WebSocketConnection::Overrun, const QString &) override {}
    void disconnected(WebSocketConnection *console) override;
    void broadcastEvent(const QJsonObject &event);
    void handleCommand(WebSocketConnection *console, const QString &text);

    BearerToken m_token;
    AdminFeed *m_feed;
    AdminCommands *m_commands;
    Logger *m_logger;
    void checkClosed();

    QSet<WebSocketConnection *> m_consoles;
    bool m_closing = false;
    QTimer *m_closingGrace;
};

} // namespace herald
