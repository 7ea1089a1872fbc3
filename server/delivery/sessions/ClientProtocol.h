#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QStringList>
#include <optional>

#include "history/StreamRecovery.h"
#include "protocol/StreamPosition.h"

namespace herald {

class ChannelIndex;
class History;
class ClientSession;
class SessionRegistry;
class ClientCensus;
class Metrics;
class Logger;

// Speaks Herald's client protocol: greets new sessions (with their streams' positions, and a recovery when they
// came back with ?since=) and answers ping, status_request, subscribe (with a recovery when it gives "since"),
// unsubscribe and bad input.
class ClientProtocol : public QObject
{
    Q_OBJECT
public:
    // census: the clients of every worker, for the counts in status answers.
    // publicChannels: the patterns a client whose token restricts its channels may join besides its own.
    ClientProtocol(SessionRegistry *registry, ChannelIndex *channels, History *history, StreamRecovery *recovery,
                   QStringList publicChannels, const ClientCensus *census, Metrics *metrics, Logger *logger,
                   const QElapsedTimer *uptime, QObject *parent = nullptr);

signals:
    // A client acknowledged a notification (by its id), as a connection of user (empty without client tokens).
    void acknowledged(const QString &notificationId, const QString &clientId, const QString &user);

private:
    void greet(ClientSession *session);
    void answer(ClientSession *session, const QString &text);
    void refuseBinary(ClientSession *session);
    // An error about a channel names it ("channel"), so that a client with several requests open knows which failed.
    void sendError(ClientSession *session, const QString &code, const QString &message, const QString &channel = {});
    void subscribe(ClientSession *session, const QString &channel, const std::optional<StreamPosition> &since);
    // Starts catching session up (or learning positions) at connect; a "recovery" answers once all are done.
    void recover(ClientSession *session, const QList<StreamRecovery::Request> &requests);
    void logRecovery(ClientSession *session, const QList<StreamRecoveryResult> &results);
    void unsubscribe(ClientSession *session, const QString &channel);

    ChannelIndex *m_channels;
    History *m_history;
    StreamRecovery *m_recovery;
    QStringList m_publicChannels;
    const ClientCensus *m_census;
    Metrics *m_metrics;
    Logger *m_logger;
    const QElapsedTimer *m_uptime;
};

} // namespace herald
