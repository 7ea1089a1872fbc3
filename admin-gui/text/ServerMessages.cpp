#include "ServerMessages.h"

#include "protocol/AdminProtocol.h"

#include <QRegularExpression>

namespace herald::console {

QString ServerMessages::commandFailure(const QJsonObject &reply)
{
    const QString error = reply.value(admin::key::Error).toString();
    const QString message = reply.value(admin::key::Message).toString();
    if (error == admin::error::ShuttingDown)
        return tr("The server is shutting down; nothing was sent.");
    if (error == admin::error::NotConnected)
        return tr("Not connected to the server; nothing was sent.");
    if (error == admin::error::ValidationError)
        return tr("The server refused the notification: %1").arg(message);
    if (error == admin::error::UnknownCommand)
        return tr("The server does not know this command; it may be an older version.");
    if (error == admin::error::InvalidJson)
        return tr("The server could not read the command.");
    return message;
}

QString ServerMessages::startFailure(const QString &error)
{
    static const QRegularExpression listen(QStringLiteral("^cannot listen on (.*):(\\d+): (.*)$"));
    if (const QRegularExpressionMatch match = listen.match(error); match.hasMatch())
        return tr("Cannot listen on %1:%2: %3").arg(match.captured(1), match.captured(2), match.captured(3));
    return error;
}

} // namespace herald::console
