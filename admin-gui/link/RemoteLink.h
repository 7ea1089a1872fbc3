#pragma once

#include "ServerLink.h"

#include <QUrl>
#include <QWebSocket>

class QTimer;

namespace herald::console {

// Watches a herald-server elsewhere through its authenticated /admin WebSocket. Reconnects by itself with
// backoff (1 s doubling to 30 s) when the connection drops; a refused token stops the retries.
class RemoteLink : public ServerLink
{
    Q_OBJECT
public:
    // serverUrl: http(s)://host:port of the server; the /admin WebSocket is derived from it.
    RemoteLink(const QUrl &serverUrl, const QString &token, QObject *parent = nullptr);
    ~RemoteLink() override;

    void open();
    QString description() const override;
    QUrl adminUrl() const;

public slots:
    void send(const QJsonObject &command) override;

private:
    void onDisconnected();
    void scheduleReconnect();

    QUrl m_serverUrl;
    QString m_token;
    QWebSocket m_socket;
    QTimer *m_reconnectTimer;
    int m_backoffMs = 1000;
    bool m_refused = false;
};

} // namespace herald::console
