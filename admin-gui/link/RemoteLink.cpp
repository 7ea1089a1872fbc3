#include "RemoteLink.h"

#include <QJsonDocument>
#include <QNetworkRequest>
#include <QTimer>

namespace herald::console {

namespace {
constexpr int MaxBackoffMs = 30000;
}

RemoteLink::RemoteLink(const QUrl &serverUrl, const QString &token, QObject *parent)
    : ServerLink(parent)
    , m_serverUrl(serverUrl)
    , m_token(token)
    , m_reconnectTimer(new QTimer(this))
{
    m_reconnectTimer->setSingleShot(true);
    connect(m_reconnectTimer, &QTimer::timeout, this, &RemoteLink::open);
    connect(&m_socket, &QWebSocket::connected, this, [this] {
        m_backoffMs = 1000;
        setState(State::Connected);
    });
    connect(&m_socket, &QWebSocket::textMessageReceived, this,
            [this](const QString &text) { dispatch(QJsonDocument::fromJson(text.toUtf8()).object()); });
    connect(&m_socket, &QWebSocket::disconnected, this, &RemoteLink::onDisconnected);
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
    const auto failed = &QWebSocket::errorOccurred;
#else
    const auto failed = qOverload<QAbstractSocket::SocketError>(&QWebSocket::error);
#endif
    connect(&m_socket, failed, this, [this] {
        // QtWebSockets reports a refused handshake only in its error text: "401" up to Qt 6.7; from 6.8, which
        // answers authentication challenges itself, that the server's (Bearer) challenge is not one it knows.
        const QString problem = m_socket.errorString();
        m_refused =
            problem.contains(QLatin1StringView("401")) || problem.contains(QLatin1StringView("WWW-Authenticate"));
        if (m_socket.state() == QAbstractSocket::UnconnectedState) // a failed connect emits no disconnected()
            onDisconnected();
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
    url.setPath(QStringLiteral("/admin"));
    return url;
}

void RemoteLink::open()
{
    m_refused = false;
    setState(State::Connecting, adminUrl().toString());
    QNetworkRequest request(adminUrl());
    request.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
    m_socket.open(request);
}

QString RemoteLink::description() const
{
    return m_serverUrl.toString();
}

void RemoteLink::send(const QJsonObject &command)
{
    if (m_socket.state() != QAbstractSocket::ConnectedState) {
        QJsonObject failure{{QStringLiteral("reply"), command.value(QStringLiteral("command"))},
                            {QStringLiteral("ok"), false},
                            {QStringLiteral("error"), QStringLiteral("not_connected")},
                            {QStringLiteral("message"), tr("Not connected to the server")}};
        QTimer::singleShot(0, this, [this, failure] { dispatch(failure); });
        return;
    }
    m_socket.sendTextMessage(QString::fromUtf8(QJsonDocument(command).toJson(QJsonDocument::Compact)));
}

void RemoteLink::onDisconnected()
{
    if (m_reconnectTimer->isActive() || state() == State::Refused)
        return; // already handled: error() and disconnected() can both report one loss
    if (m_refused) {
        setState(State::Refused, tr("The server refused the admin token."));
        return;
    }
    setState(State::Disconnected, tr("Connection lost; retrying in %n second(s).", nullptr, m_backoffMs / 1000));
    scheduleReconnect();
}

void RemoteLink::scheduleReconnect()
{
    m_reconnectTimer->start(m_backoffMs);
    m_backoffMs = std::min(m_backoffMs * 2, MaxBackoffMs);
}

} // namespace herald::console
