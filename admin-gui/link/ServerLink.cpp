#include "ServerLink.h"

namespace herald::console {

void ServerLink::setState(State state, const QString &detail)
{
    if (state == m_state && detail == m_stateDetail)
        return;
    m_state = state;
    m_stateDetail = detail;
    emit stateChanged(state, detail);
}

void ServerLink::dispatch(const QJsonObject &message)
{
    if (message.contains(QLatin1StringView("reply"))) {
        emit reply(message);
        return;
    }
    const QString event = message.value(QLatin1StringView("event")).toString();
    if (event == u"snapshot") {
        emit snapshotReceived(message);
        emit metricsUpdated(message.value(QLatin1StringView("metrics")).toObject());
        emit shutdownProgress(message.value(QLatin1StringView("shutdown")).toObject());
    } else if (event == u"clients") {
        emit clientsChanged(message.value(QLatin1StringView("added")).toArray(),
                            message.value(QLatin1StringView("removed")).toArray(),
                            message.value(QLatin1StringView("updated")).toArray());
    } else if (event == u"metrics") {
        emit metricsUpdated(message.value(QLatin1StringView("metrics")).toObject());
    } else if (event == u"log") {
        emit logLines(message.value(QLatin1StringView("lines")).toArray(),
                      message.value(QLatin1StringView("dropped")).toInt());
    } else if (event == u"shutdown") {
        emit shutdownProgress(message);
    }
}

} // namespace herald::console
