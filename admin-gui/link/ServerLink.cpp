#include "ServerLink.h"

#include "protocol/AdminProtocol.h"

namespace herald::console {

void ServerLink::setState(State state, const QString &detail)
{
    if (state == m_state && detail == m_stateDetail)
        return;
    m_state = state;
    m_stateDetail = detail;
    m_everConnected |= state == State::Connected;
    emit stateChanged(state, detail);
}

void ServerLink::dispatch(const QJsonObject &message)
{
    using namespace herald::admin;
    if (message.contains(key::Reply)) {
        emit reply(message);
        return;
    }
    const QString name = message.value(key::Event).toString();
    if (name == event::Snapshot) {
        emit snapshotReceived(message);
        emit metricsUpdated(message.value(key::Metrics).toObject());
        emit shutdownProgress(message.value(key::Shutdown).toObject());
    } else if (name == event::Clients) {
        emit clientsChanged(message.value(key::Added).toArray(), message.value(key::Removed).toArray(),
                            message.value(key::Deltas).toArray(), message.value(key::RoundTrips).toArray());
    } else if (name == event::Metrics) {
        emit metricsUpdated(message.value(key::Metrics).toObject());
    } else if (name == event::Log) {
        emit logRecords(message.value(key::Records).toArray(), message.value(key::Dropped).toInt());
    } else if (name == event::Shutdown) {
        emit shutdownProgress(message);
    } else if (name == event::Receipt) {
        emit receiptChanged(message.value(key::Id).toString(), message.value(key::Sent).toInt(),
                            message.value(key::Acknowledged).toInt());
    }
}

} // namespace herald::console
