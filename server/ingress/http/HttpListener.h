#pragma once

#include "HttpConnection.h"

#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QSslConfiguration>
#include <QTimer>
#include <functional>
#include <optional>

class QSocketNotifier;

namespace herald {

class ClientAddressResolver;

// The port's front door: a listening socket of its own, accepted on the event loop (the epoll dispatcher in
// herald-server). Every TCP connection from an address counts towards MAX_CONNECTIONS_PER_IP from the moment
// it is accepted, whether it then speaks HTTP or WebSocket; one over the limit gets 429 and is closed. When the
// process runs out of descriptors, accepting pauses briefly instead of spinning on a backlog it cannot take,
// is counted and logged once per interval, and resumes by itself. Each accepted connection is an
// HttpConnection until it closes or upgrades.
class HttpListener : public QObject
{
    Q_OBJECT
public:
    struct Settings {
        HttpConnectionSettings connection;
        int maxConnectionsPerAddress = 1000;
        std::optional<QSslConfiguration> tls; // https and wss only, when set
    };
    // How many upgraded (WebSocket) connections an address holds: the census, which counts them after the
    // front door has let them go.
    using UpgradedCount = std::function<int(const QString &address)>;

    HttpListener(Settings settings, const ClientAddressResolver *addresses, HttpConnection::Responder responder,
                 UpgradedCount upgradedFrom, QObject *parent = nullptr);
    ~HttpListener() override;

    bool listen(const QHostAddress &address, quint16 port, int backlog, QString *error);
    quint16 port() const { return m_port; }
    // Stops listening (the port is free again) and closes every connection still speaking HTTP.
    void close();

signals:
    void requestRefused(const herald::HttpRefusal &refusal, const QString &clientAddress);
    // Each connection as it leaves the front door, with why (herald_http_connections_closed_total).
    void connectionClosed(const QString &reason);
    // accept() failed for want of descriptors (or memory): every time, for the counter...
    void acceptFailed(const QString &reason);
    // ...and at most once per interval while it lasts, with the failures since the last report, for the log.
    void acceptFailing(const QString &reason, int failures);
    void tlsHandshakeFailed(const QString &peer, const QString &error);

private:
    void acceptPending();
    void pauseAccepting(const QString &reason);
    void serve(int descriptor, const QHostAddress &peer, quint16 peerPort);
    std::unique_ptr<ClientStream> streamFor(int descriptor, const QHostAddress &peer);

    Settings m_settings;
    const ClientAddressResolver *m_addresses;
    HttpConnection::Responder m_responder;
    UpgradedCount m_upgradedFrom;
    int m_descriptor = -1;
    quint16 m_port = 0;
    QSocketNotifier *m_notifier = nullptr;
    QTimer m_resume;
    QElapsedTimer m_lastReport;
    int m_unreportedFailures = 0;
    QHash<QString, int> m_perAddress; // connections still speaking HTTP, by peer address
    QSet<HttpConnection *> m_connections;
};

} // namespace herald
