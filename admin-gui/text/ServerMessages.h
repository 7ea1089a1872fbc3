#pragma once

#include <QCoreApplication>
#include <QJsonObject>
#include <QString>

namespace herald::console {

// The server speaks English (its logs and replies are for operators' tools as much as for people); the console
// shows what it says in the interface's language. Known replies are translated by their error code, the server's
// own words kept as the detail; unknown ones pass through as they are.
class ServerMessages
{
    Q_DECLARE_TR_FUNCTIONS(ServerMessages)
public:
    // Why a command failed, from its reply's "error" and "message".
    static QString commandFailure(const QJsonObject &reply);
    // Why an embedded server did not start, from Server::start's error.
    static QString startFailure(const QString &error);
};

} // namespace herald::console
