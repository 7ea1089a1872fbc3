#include "AdminChannel.h"

#include "AdminCommands.h"
#include "AdminFeed.h"
#include "logging/Logger.h"

#include "http/HttpRequest.h"
#include "websocket/ServerFrame.h"
#include "websocket/WebSocketConnection.h"

#include "protocol/AdminProtocol.h"

#include <QJsonDocument>
#include <QTimer>

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
    , m_closingGrace(new QTimer(this))
{
    connect(feed, &AdminFeed::eventReady, this, &AdminChannel::broadcastEvent);
    m_closingGrace->setSingleShot(true);
    m_closingGrace->setInterval(ClosingGraceMs);
    connect(m_closingGrace, &QTimer::timeout, this, [this] {
        for (ClientConnection *console : std::as_const(m_consoles)) {
            console->abort(); // its disconnected() finds it gone from the set and only deletes it
            m_feed->unsubscribe();
        }
        m_consoles.clear();
        checkClosed();
    });
}

void AdminChannel::closeConsoles()
{
    m_closing = true;
    for (ClientConnection *console : std::as_const(m_consoles))
        console->close(admin::ServerStoppedCloseCode, admin::ServerStoppedCloseReason);
    m_closingGrace->start();
    checkClosed();
}

void AdminChannel::checkClosed()
{
    if (m_closing && m_consoles.isEmpty()) {
        m_closing = false;
        m_closingGrace->stop();
        emit consolesClosed();
    }
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
    auto *console = new WebSocketConnection(std::move(socket), ConsoleLimits, this, nullptr, this);
    m_consoles.insert(console);
    m_feed->subscribe();
    console->start();
    console->sendFrame(textFrame(m_feed->snapshot()));
    m_logger->info(QStringLiteral("admin_attached"), QStringLiteral("Admin console attached"),
                   {{QStringLiteral("remote"), peer}, {QStringLiteral("consoles"), consoleCount()}});
}

void AdminChannel::disconnected(ClientConnection *console)
{
    if (m_consoles.remove(console)) {
        m_feed->unsubscribe();
        m_logger->info(QStringLiteral("admin_detached"), QStringLiteral("Admin console detached"),
                       {{QStringLiteral("consoles"), consoleCount()}});
    }
    console->deleteLater();
    checkClosed();
}

void AdminChannel::broadcastEvent(const QJsonObject &event)
{
    if (m_consoles.isEmpty())
        return;
    const QByteArray frame = textFrame(event);
    for (ClientConnection *console : std::as_const(m_consoles))
        if (console->isOpen())
            console->sendFrame(frame);
}

void AdminChannel::handleCommand(ClientConnection *console, const QString &text)
{
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8());
    QJsonObject reply;
    if (!document.isObject()) {
        reply = {{admin::key::Reply, QString()},
                 {admin::key::Ok, false},
                 {admin::key::Error, admin::error::InvalidJson},
                 {admin::key::Message, QStringLiteral("A command must be a JSON object")}};
    } else {
        m_logger->info(QStringLiteral("admin_command"), QStringLiteral("Admin console command"),
                       {{QStringLiteral("command"), document.object().value(admin::key::Command)}});
        reply = m_commands->execute(document.object());
    }
    if (console->isOpen())
        console->sendFrame(textFrame(reply));
}

} // namespace herald
