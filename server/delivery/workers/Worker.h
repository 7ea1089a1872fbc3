#pragma once

#include "sessions/ClientPresence.h"
#include "stream/ClientConnection.h"

#include <QObject>
#include <QStringList>

class QElapsedTimer;

namespace herald {

class ClientCensus;
class ClientDirectory;
class ChannelIndex;
class ClientProtocol;
class History;
class StreamRecovery;
class KeepAlive;
struct PublishedFigures;
class Logger;
class Metrics;
class SessionRegistry;
struct Audience;
class EncodedMessage;
struct UpgradedSocket;
enum class DisconnectReason;

// What every worker applies to its clients.
struct ClientRules {
    double pingIntervalSeconds = 30;
    double pingTimeoutSeconds = 10;
    ConnectionLimits limits;
    int maxChannelsPerClient = 100;
    QStringList publicChannels; // patterns a client with a restricted grant may join besides its own
    int recoveryLimit = 500;    // notifications one recovery replays at most
};

// One event loop's share of the WebSocket clients: their sessions, the protocol answers, keep-alive, and the
// fan-out to them. A worker lives in its own thread (worker 0 in the main thread) and everything it owns is
// touched only there; WorkerPool is how other threads reach it.
class Worker : public QObject
{
    Q_OBJECT
public:
    // history: the streams' kept notifications, which reconnecting clients recover from. figures: where this
    // worker publishes its client count and traffic for other threads to read (see publishFigures()).
    // directory: told of every arrival, departure and subscription, for the pool's thread.
    Worker(int index, const ClientRules &rules, History *history, ClientCensus *census, ClientDirectory *directory,
           Metrics *metrics, Logger *logger, const QElapsedTimer *uptime, PublishedFigures *figures,
           QObject *parent = nullptr);

    // The rest is for the worker's own thread only.
    int index() const { return m_index; }
    SessionRegistry *sessions() const { return m_sessions; }

    // Serves a client already counted in the census for this worker (or, if it is no longer valid, uncounts it).
    void adopt(UpgradedSocket socket);
    // Sends to this worker's open clients in audience; returns how many it sent to. offset: the frame's place in
    // the stream audience is (0: none), so that a client recovering that stream gets it once, in order.
    int deliver(const EncodedMessage &frame, const Audience &audience, quint64 offset = 0);
    void closeAll(quint16 code, const QString &reason, herald::DisconnectReason why);
    // The same for the event-stream clients only, which cannot be asked to leave: they only listen.
    void closeEventStreams(quint16 code, const QString &reason, herald::DisconnectReason why);
    void abortAll(herald::DisconnectReason why);
    void startKeepAlive();
    void stopKeepAlive();

signals:
    void acknowledged(const QString &notificationId, const QString &clientId, const QString &user);

protected:
    bool event(QEvent *event) override; // an AdoptionEvent from another thread: adopt()

private:
    // Stores the count and traffic where other threads read them: when a client comes or goes, after each
    // fan-out, and every FiguresIntervalMs if anything else changed (messages from clients, round trips).
    void publishFigures();
    static constexpr int FiguresIntervalMs = 100;
    // Sends frame to every open session forEachTarget hands to its send function, times the fan-out for the
    // metrics and returns how many it went to; shared by every kind of delivery.
    // Calls send for each of this worker's sessions in audience (once each; a gone client id is a null).
    template<typename Send> void forEachIn(const Audience &audience, Send &&send) const;
    template<typename ForEachTarget>
    int fanOut(const EncodedMessage &frame, const Audience &audience, quint64 offset, ForEachTarget &&forEachTarget);

    int m_index;
    ClientCensus *m_census;
    Metrics *m_metrics;
    Logger *m_logger;
    SessionRegistry *m_sessions;
    ChannelIndex *m_channels;
    StreamRecovery *m_recovery;
    ClientProtocol *m_protocol = nullptr; // made after the directory's report of arrivals is connected
    KeepAlive *m_keepAlive;
    PublishedFigures *m_figures;
    quint64 m_publishedChanges = 0;
};

} // namespace herald
