#include "AdminChannel.h"

#include "AdminCommands.h"
#include "AdminFeed.h"
#include "logging/Logger.h"

#include "http/HttpRequest.h"
#include "websocket/ServerFrame.h"
#include "websocket/WebSocketConnection.h"

#include <QJsonDocument>

namespace herald {

namespace {

QByteArray textFrame(const QJsonObject &object)
{
    return encodeServerFrame(ServerOpcode::Text, QJsonDocument(object).toJson(QJsonDocument::Compact));
}

// A console is one trusted operator: its snapshot of 10,000 clients is megabytes, and it may be slow to take it.
const ConnectionLimits ConsoleLimits{1024 * 1024, 256 * 1024 * 1024, 1'000'000, 100};

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

HttpResponse AdminChannel::admission(const HttpRequest &request) const
{
    if (m_token.admits(request))
        return {};
    return HttpResponse::error(401, QStringLiteral("unauthorized"), QStringLiteral("A valid admin token is required"))
        .withHeader("WWW-Authenticate", "Bearer");
}

void AdminChannel::accept(UpgradedSocket socket)
{
    const QString peer = socket.peer;
    auto *console = new WebSocketConnection(std::move(socket), ConsoleLimits, this);
    m_consoles.insert(console);
    connect(console, &WebSocketConnection::textReceived, this,
            [this, console](const QString &text) { handleCommand(console, text); });
    connect(console, &WebSocketConnection::disconnected, this, [this, console] {
        if (m_consoles.remove(console)) {
            m_feed->unsubscribe();
            m_logger->info(QStringLiteral("admin_detached"), QStringLiteral("Admin console detached"),
                           {{QStringLiteral("consoles"), consoleCount()}});
        }
        console->deleteLater();
    });
    m_feed->subscribe();
    console->start();
    console->sendFrame(textFrame(m_feed->snapshot()));
    m_logger->info(QStringLiteral("admin_attached"), QStringLiteral("Admin console attached"),
                   {{QStringLiteral("remote"), peer}, {QStringLiteral("consoles"), consoleCount()}});
}

void AdminChannel::broadcastEvent(const QJsonObject &event)
{
    if (m_consoles.isEmpty())
        return;
    const QByteArray frame = textFrame(event);
    for (WebSocketConnection *console : std::as_const(m_consoles))
        if (console->isOpen())
            console->sendFrame(frame);
}

void AdminChannel::handleCommand(WebSocketConnection *console, const QString &text)
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
    if (console->isOpen())
        console->sendFrame(textFrame(reply));
}

} // namespace herald
