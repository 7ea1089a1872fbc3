#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QObject>

namespace herald::console {

// What every console panel talks to: a server it can watch and command, in this process or across the
// network. Panels never learn which. Events and commands are the JSON of common/protocol/AdminProtocol.h, so
// both links carry exactly the same information.
class ServerLink : public QObject
{
    Q_OBJECT
public:
    // The link itself, not the server: whether what the console shows is live. ConsoleState combines it with the
    // server's own shutdown progress into what the operator sees.
    enum class State {
        Connecting,   // not yet (or not again) receiving the server's events
        Connected,    // live
        Disconnected, // lost, or never reached; a remote link keeps retrying
        Refused,      // the server refused the admin token; no retries
        Stopped       // the server has shut down (a remote link still looks for it to come back)
    };
    Q_ENUM(State)

    using QObject::QObject;

    // Where the server is, for people: "embedded server on 127.0.0.1:8000", "https://herald.example:8443".
    virtual QString description() const = 0;
    virtual bool isEmbedded() const = 0;
    State state() const { return m_state; }
    QString stateDetail() const { return m_stateDetail; }
    // Whether it was ever Connected: a server never reached is not a lost link.
    bool everConnected() const { return m_everConnected; }

public slots:
    // Sends a command; its answer arrives as reply().
    virtual void send(const QJsonObject &command) = 0;

signals:
    void stateChanged(herald::console::ServerLink::State state, const QString &detail);
    void snapshotReceived(const QJsonObject &snapshot);
    // added: rows; removed: ids; deltas and roundTrips as in AdminProtocol.h.
    void clientsChanged(const QJsonArray &added, const QJsonArray &removed, const QJsonArray &deltas,
                        const QJsonArray &roundTrips);
    void metricsUpdated(const QJsonObject &metrics);
    void logRecords(const QJsonArray &records, int dropped);
    void shutdownProgress(const QJsonObject &progress);
    // A notification sent with "ack": true: how many connections it went to and how many acknowledged it.
    void receiptChanged(const QString &notificationId, int sent, int acknowledged);
    void reply(const QJsonObject &reply);

protected:
    void setState(State state, const QString &detail = {});
    // Routes one feed event or command reply to the signal above that carries it.
    void dispatch(const QJsonObject &message);

private:
    State m_state = State::Connecting;
    QString m_stateDetail;
    bool m_everConnected = false;
};

} // namespace herald::console
