#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QObject>

namespace herald::console {

// What every console panel talks to: a server it can watch and command, in this process or across the
// network. Panels never learn which. Events and commands are the JSON of the server's AdminFeed and
// AdminCommands, so both links carry exactly the same information.
class ServerLink : public QObject
{
    Q_OBJECT
public:
    enum class State { Connecting, Connected, Disconnected, Refused, Stopped };
    Q_ENUM(State)

    using QObject::QObject;

    virtual QString description() const = 0;
    State state() const { return m_state; }
    QString stateDetail() const { return m_stateDetail; }

public slots:
    // Sends a command; its answer arrives as reply().
    virtual void send(const QJsonObject &command) = 0;

signals:
    void stateChanged(herald::console::ServerLink::State state, const QString &detail);
    void snapshotReceived(const QJsonObject &snapshot);
    void clientsChanged(const QJsonArray &added, const QJsonArray &removed, const QJsonArray &updated);
    void metricsUpdated(const QJsonObject &metrics);
    void logLines(const QJsonArray &lines, int dropped);
    void shutdownProgress(const QJsonObject &progress);
    void reply(const QJsonObject &reply);

protected:
    void setState(State state, const QString &detail = {});
    // Routes one feed event or command reply to the signal above that carries it.
    void dispatch(const QJsonObject &message);

private:
    State m_state = State::Connecting;
    QString m_stateDetail;
};

} // namespace herald::console
