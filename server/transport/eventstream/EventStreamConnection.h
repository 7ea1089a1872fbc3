#pragma once

#include "protocol/Protocol.h"
#include "stream/ClientConnection.h"

namespace herald {

// A client's connection after a GET of the event stream was answered (200, text/event-stream): every message is a
// "data:" event, and each event that moves one of the client's streams carries an id naming the client's position
// in all of them, which a reconnecting EventSource sends back as Last-Event-ID. The client sends nothing: whatever
// it does send is dropped, and the end of its stream ends the connection. Keep-alive is a heartbeat comment, with
// no answer to wait for; a client that stops reading meets the same limits as a WebSocket client.
class EventStreamConnection : public ClientConnection
{
    Q_OBJECT
public:
    EventStreamConnection(UpgradedSocket socket, const ConnectionLimits &limits, Events *events, Cork *cork = nullptr,
                          QObject *parent = nullptr);

    void sendMessage(const EncodedMessage &message) override;
    void sendPing() override;
    bool answersPings() const override { return false; }
    QLatin1StringView transport() const override { return protocol::transport::EventStream; }
    // A "close" event saying why, then the end of the stream.
    void close(quint16 code, const QString &reason) override;
    void notePositions(const QList<NamedPosition> &positions) override;

private:
    void received(const char *, qsizetype) override {}
    void writeCloseNotice(quint16 code, const QString &reason) override;
    void note(const NamedPosition &named);

    QList<NamedPosition> m_positions; // one per stream, in the order the client first heard of them
    bool m_idChanged = false;         // the next event carries the id
};

} // namespace herald
