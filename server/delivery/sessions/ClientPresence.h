#pragma once

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

namespace herald {

// What the cluster may know of one connected client: enough to answer presence queries and to show it in a
// console attached to any instance. A value, copied out of the worker that serves the client.
struct ClientPresence {
    QString clientId;
    QString user; // the token's "sub"; empty without client tokens
    QString instance;
    QString remote;
    QDateTime connectedAt;
    QStringList channels;
};

using ClientPresenceList = QList<ClientPresence>;

} // namespace herald
