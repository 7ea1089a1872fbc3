#pragma once

#include "ServerLink.h"

#include <QUrl>
#include <QWebSocket>

class QNetworkAccessManager;
class QTimer;

namespace herald::console {

// Watches a herald-server elsewhere through its authenticated /admin WebSocket. Reconnects by itself with
// backoff (1 s doubling to 30 s) when the connection drops, and after the server has stopped (it may be
// restarted); a refused token stops the retries.
class RemoteLink : public ServerLink
{
    Q_OBJECT
public:
    // serverUrl: http(s)://host:port of the server; the /admin WebSocket is derived from it.
    RemoteLink(const QUrl &serverUrl, const QString &token, QObject *parent = nullptr);
    ~RemoteLink() override;

    void open();
    QString description() const override;
    bool isEmbedded() const override { return false; }
    QUrl adminUrl() const;

public slots:
    void send(const QJsonObject &command) override;

private:
    void onClosed();
    void onHandshakeFailed();
    void scheduleReconnect();

    QUrl m_serverUrl;
    QString m_token;
    QWebSocket m_socket;
    QNetworkAccessManager *m_network;
    QTimer *m_reconnectTimer;
    int m_backoffMs = 1000;
    bool m_checkingToken = false;
    bool m_attemptConnected = false; // whether the current attempt got past the handshake
};

} // namespace herald::console
