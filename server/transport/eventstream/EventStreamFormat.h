#pragma once

#include "protocol/StreamPosition.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

// The text/event-stream format (HTML Living Standard, "Server-sent events") as Herald writes it.
namespace herald::eventstream {

// One event of the default type ("message") carrying payload, which holds no line break (Herald's JSON).
QByteArray dataEvent(QByteArrayView payload);
// The id line that names the client's positions, for the event it precedes.
QByteArray idLine(const QList<NamedPosition> &positions);
// A comment: keeps the connection (and every proxy on the way) from going idle; EventSource ignores it.
QByteArray heartbeat();
// The "close" event: why the server is ending the stream.
QByteArray closeEvent(quint16 code, const QString &reason);

} // namespace herald::eventstream
