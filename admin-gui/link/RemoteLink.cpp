#include "RemoteLink.h"

#include "protocol/AdminProtocol.h"
#include "protocol/Protocol.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

namespace herald::console {

namespace {
constexpr int FirstBackoffMs = 1000;
constexpr int MaxBackoffMs = 30000;
} // namespace

RemoteLink::RemoteLink(const QUrl &serverUrl, const QString &token, QObject *parent)
    : ServerLink(parent)
    , m_serverUrl(serverUrl)
    , m_token(token)
    , m_network(new QNetworkAccessManager(this))
    , m_reconnectTimer(new QTimer(this))
{
    m_reconnectTimer->setSingleShot(true);
    connect(m_reconnectTimer, &QTimer::timeout, this, &RemoteLink::open);
    connect(&m_socket, &QWebSocket::connected, this, [this] {
        m_backoffMs = FirstBackoffMs;
        m_attemptConnected = true;
        setState(State::Connected);
    });
    connect(&m_socket, &QWebSocket::textMessageReceived, this,
            [this](const QString &text) { dispatch(QJsonDocument::fromJson(text.toUtf8()).object()); });
    connect(&m_socket, &QWebSocket::disconnected, this, [this] {
        if (m_attemptConnected)
            onClosed();
        else
            onHandshakeFailed();
    });
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
    const auto failed = &QWebSocket::errorOccurred;
#else
    const auto failed = qOverload<QAbstractSocket::SocketError>(&QWebSocket::error);
#endif
    connect(&m_socket, failed, this, [this] {
        if (m_socket.state() == QAbstractSocket::UnconnectedState) // a failed connect emits no disconnected()
            onHandshakeFailed();
    });
}

RemoteLink::~RemoteLink()
{
    // QWebSocket's destructor disconnects and signals it; by then nobody should hear of it as a lost link.
    disconnect(&m_socket, nullptr, this, nullptr);
}

QUrl RemoteLink::adminUrl() const
{
    QUrl url = m_serverUrl;
    url.setScheme(m_serverUrl.scheme() == u"https" ? QStringLiteral("wss") : QStringLiteral("ws"));
    url.setPath(QString(protocol::AdminPath));
    return url;
}

void RemoteLink::open()
{
    if (state() != State::Stopped && state() != State::Disconnected)
        setState(State::Connecting, adminUrl().toString());
    QNetworkRequest request(adminUrl());
    request.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
    m_attemptConnected = false;
    m_socket.open(request);
}

QString RemoteLink::description() const
{
    return m_serverUrl.toString();
}

void RemoteLink::send(const QJsonObject &command)
{
    if (m_socket.state() != QAbstractSocket::ConnectedState) {
        const QJsonObject failure{{admin::key::Reply, command.value(admin::key::Command)},
                                  {admin::key::Ok, false},
                                  {admin::key::Error, admin::error::NotConnected},
                                  {admin::key::Message, QStringLiteral("Not connected to the server")},
                                  {admin::key::RequestId, command.value(admin::key::RequestId)}};
        QTimer::singleShot(0, this, [this, failure] { dispatch(failure); });
        return;
    }
    m_socket.sendTextMessage(QString::fromUtf8(QJsonDocument(command).toJson(QJsonDocument::Compact)));
}

void RemoteLink::onClosed()
{
    if (m_reconnectTimer->isActive() || state() == State::Refused)
        return; // already handled: error() and disconnected() can both report one loss
    if (m_socket.closeCode() == admin::ServerStoppedCloseCode &&
        m_socket.closeReason() == admin::ServerStoppedCloseReason) {
        setState(State::Stopped, tr("The server has shut down."));
    } else if (state() != State::Stopped) {
        setState(State::Disconnected, m_socket.errorString());
    }
    scheduleReconnect();
}

void RemoteLink::onHandshakeFailed()
{
    if (m_reconnectTimer->isActive() || m_checkingToken || state() == State::Refused)
        return;
    // QtWebSockets does not say why a handshake failed (up to 6.7 a 401 shows only in its error text, from 6.8 as
    // an unsupported challenge). The server answers a plain GET /admin with 401 for a wrong token and 426 for a
    // right one, so one request tells a refused token from a server that is down or unreachable.
    const QString socketError = m_socket.errorString();
    QUrl probeUrl = m_serverUrl;
    probeUrl.setPath(QString(protocol::AdminPath));
    QNetworkRequest probe(probeUrl);
    probe.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
    probe.setTransferTimeout(5000);
    m_checkingToken = true;
    QNetworkReply *reply = m_network->get(probe);
    connect(reply, &QNetworkReply::finished, this, [this, reply, socketError] {
        reply->deleteLater();
        m_checkingToken = false;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status == 401) {
            m_reconnectTimer->stop();
            setState(State::Refused, tr("The server refused the admin token."));
            return;
        }
        if (state() != State::Stopped)
            setState(State::Disconnected, status > 0 ? socketError : reply->errorString());
        scheduleReconnect();
    });
}

void RemoteLink::scheduleReconnect()
{
    m_reconnectTimer->start(m_backoffMs);
    m_backoffMs = std::min(m_backoffMs * 2, MaxBackoffMs);
}

} // namespace herald::console
