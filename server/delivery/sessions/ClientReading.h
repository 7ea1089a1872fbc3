#pragma once

#include "ClientSession.h"
#include "metrics/TrafficCounters.h"

#include <QDateTime>
#include <QList>
#include <QString>

namespace herald {

// One client as a console shows it, read in its worker's thread and handed to another as a value.
struct ClientReading {
    QString id;
    QString remote;
    QString identity;
    QString transport; // protocol::transport
    QDateTime connectedAt;
    TrafficCounters traffic;
    qint64 roundTripMs = -1;
    bool open = true;

    static ClientReading of(const ClientSession &session)
    {
        return {session.id(),          session.remoteAddress(), session.identity(),        session.transport(),
                session.connectedAt(), session.traffic(),       session.lastRoundTripMs(), session.isOpen()};
    }
};

// A worker's clients, read for a console only if something changed since the reader last looked.
struct WorkerReading {
    bool read = false;   // false: nothing changed, clients is empty
    quint64 changes = 0; // the worker's registry's changes() when read
    QList<ClientReading> clients;
};

} // namespace herald
