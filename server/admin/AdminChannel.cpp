#include "AdminChannel.h"

#include "AdminCommands.h"
#include "AdminFeed.h"
#include "logging/Logger.h"

#include <QHttpServerRequest>
#include <QJsonDocument>
#include <QWebSocket>

namespace herald {

namespace {

QString encode(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

} // namespace

AdminChannel::AdminChannel(const QString &token, AdminFeed *feed, AdminCommands *commands, Logger *logger,
                           QObject *parent)
    : QObject(parent)
    , m_token(token)
    , m_feed(feed)
    , m_commands(commands)
    , m_logger(logger)
{
    connect(feed, &AdminFeed::eventReady, this, &AdminChannel::broadcastEvent);
}

HttpResponse AdminChannel::admission(const QHttpServerRequest &request) const
{
    if (m_token.admits(request))
        return {};
    return HttpResponse::error(401, QStringLiteral("unauthorized"), QStringLiteral("A valid admin token is required"))
        .withHeader("WWW-Authenticate", "Bearer");
}

void AdminChannel::accept(std::unique_ptr<QWebSocket> socket)
{
    QWebSocket *console = socket.release();
    console->setParent(this);
    m_consoles.insert(console);
    connect(console, &QWebSocket::textMessageReceived, this,
            [this, console](const QString &text) { handleCommand(console, text); });
    connect(console, &QWebSocket::disconnected, this, [this, console] {
        if (m_consoles.remove(console)) {
            m_feed->unsubscribe();
            m_logger->info(QStringLiteral("admin_detached"), QStringLiteral("Admin console detached"),
                           {{QStringLiteral("consoles"), consoleCount()}});
        }
        console->deleteLater();
    });
    m_feed->subscribe();
    console->sendTextMessage(encode(m_feed->snapshot()));
    m_logger->info(
        QStringLiteral("admin_attached"), QStringLiteral("Admin console attached"),
        {{QStringLiteral("remote"), console->peerAddress().toString()}, {QStringLiteral("consoles"), consoleCount()}});
}

void AdminChannel::broadcastEvent(const QJsonObject &event)
{
    if (m_consoles.isEmpty())
        return;
    const QString text = encode(event);
    for (QWebSocket *console : std::as_const(m_consoles))
        console->sendTextMessage(text);
}

void AdminChannel::handleCommand(QWebSocket *console, const QString &text)
{
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8());
    QJsonObject reply;
    if (!document.isObject()) {
        reply = {{QStringLiteral("reply"), QString()},
                 {QStringLiteral("ok"), false},
                 {QStringLiteral("error"), QStringLiteral("invalid_json")},
                 {QStringLiteral("message"), QStringLiteral("A command must be a JSON object")}};
    } else {
        m_logger->info(QStringLiteral("admin_command"), QStringLiteral("Admin console command"),
                       {{QStringLiteral("command"), document.object().value(QStringLiteral("command"))}});
        reply = m_commands->execute(document.object());
    }
    console->sendTextMessage(encode(reply));
}

} // namespace herald
