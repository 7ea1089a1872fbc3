#pragma once

#include "notification/Audience.h"

#include <QByteArray>
#include <QJsonObject>
#include <QObject>
#include <QString>

namespace herald {

// Where a notification goes beyond this instance, as in centrifuge's Node -> Broker: the Publisher hands it every
// notification meant for the whole cluster and delivers what the broker receives from the other instances through
// its own path (framed once, counted, logged, signalled). LocalBroker: one instance, nothing to hand on;
// RedisBackplane: the Redis stream with its outbox.
class Broker : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    virtual void start() = 0;
    // At the end of a shutdown: nothing more is handed on. stopped() follows, at once or once what was on its way
    // is settled.
    virtual void stop() = 0;
    // Hands on a notification for audience on the other instances; entryId tells copies apart for duplicate
    // suppression. What became of it for the cluster: empty without one, else "published", "queued" or "dropped".
    virtual QString publish(const QString &entryId, const Audience &audience, const QByteArray &encoded) = 0;
    // False while notifications cannot reach the other instances (this one still serves its own clients).
    virtual bool reachesCluster() const = 0;
    // For /health: the link's state, empty without a cluster.
    virtual QString stateName() const = 0;
    // For /status and /metrics: {"enabled": false} without a cluster.
    virtual QJsonObject statusJson() const = 0;
    // Presence: this instance's newest snapshot (see Presence), for the other instances. Nothing without a
    // cluster.
    virtual void sharePresence(const QByteArray &snapshot) { Q_UNUSED(snapshot) }
    // Whether sharePresence() reaches anyone: without a cluster the snapshot is not even made.
    virtual bool sharesPresence() const { return false; }

signals:
    // A notification another instance published, in its wire form, for audience; offset: its place in the
    // audience's stream when that keeps history (0: none).
    void notificationReceived(const herald::Audience &audience, const QByteArray &encoded, quint64 offset);
    // Another instance's newest presence snapshot, and an instance that left (stopped, or not heard from).
    void presenceReceived(const QString &instance, const QByteArray &snapshot);
    void instanceLeft(const QString &instance);
    void stopped();
};

} // namespace herald
