#include "EventStreamFormat.h"

#include "protocol/JsonWriter.h"
#include "protocol/Protocol.h"

namespace herald::eventstream {

QByteArray dataEvent(QByteArrayView payload)
{
    QByteArray event;
    event.reserve(payload.size() + 8);
    return event.append("data: ").append(payload).append("\n\n");
}

QByteArray idLine(const QList<NamedPosition> &positions)
{
    QByteArray line("id: ");
    for (qsizetype i = 0; i < positions.size(); ++i) {
        if (i > 0)
            line.append(protocol::eventstream::PositionSeparator);
        const NamedPosition &named = positions.at(i);
        line.append(named.stream.toUtf8())
            .append(':')
            .append(QByteArray::number(named.position.offset))
            .append(':')
            .append(named.position.epoch.toLatin1());
    }
    return line.append('\n');
}

QByteArray heartbeat()
{
    return QByteArrayLiteral(": heartbeat\n\n");
}

QByteArray closeEvent(quint16 code, const QString &reason)
{
    JsonWriter data;
    data.beginObject()
        .key(protocol::eventstream::CodeField)
        .value(qint64(code))
        .key(protocol::ReasonField)
        .value(QStringView(reason))
        .endObject();
    return QByteArray("event: ")
               .append(
                   QByteArrayView(protocol::eventstream::CloseEvent.data(), protocol::eventstream::CloseEvent.size()))
               .append('\n') +
           dataEvent(data.bytes());
}

} // namespace herald::eventstream
