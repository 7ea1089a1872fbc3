#pragma once

#include "Broker.h"

namespace herald {

// A single instance (no REDIS_URL): every notification is delivered here and goes no further.
class LocalBroker : public Broker
{
    Q_OBJECT
public:
    using Broker::Broker;

    void start() override {}
    void stop() override { emit stopped(); }
    QString publish(const QString &, const Audience &, const QByteArray &) override { return {}; }
    bool reachesCluster() const override { return true; } // there is nothing else to reach
    QString stateName() const override { return {}; }
    QJsonObject statusJson() const override { return {{QStringLiteral("enabled"), false}}; }
};

} // namespace herald
