#include "PeriodicNotifier.h"

#include "protocol/Protocol.h"
#include "protocol/Timestamp.h"
#include "publish/Publisher.h"
#include "sessions/ClientCensus.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

namespace herald {

PeriodicNotifier::PeriodicNotifier(Publisher *publisher, const ClientCensus *census, QObject *parent)
    : QObject(parent)
    , m_publisher(publisher)
    , m_census(census)
    , m_timer(new QTimer(this))
{
    connect(m_timer, &QTimer::timeout, this, &PeriodicNotifier::sendNext);
}

bool PeriodicNotifier::isRunning() const
{
    return m_timer->isActive();
}

void PeriodicNotifier::setIntervalSeconds(double seconds)
{
    m_intervalSeconds = seconds;
    if (seconds <= 0) {
        m_timer->stop();
        return;
    }
    m_timer->start(std::chrono::milliseconds(qint64(seconds * 1000)));
}

void PeriodicNotifier::stop()
{
    m_timer->stop();
}

void PeriodicNotifier::sendNext()
{
    ++m_sequence;
    const QJsonObject message{{QStringLiteral("type"), protocol::type::Periodic},
                              {QStringLiteral("sequence"), qint64(m_sequence)},
                              {QStringLiteral("message"), QStringLiteral("Periodic update #%1").arg(m_sequence)},
                              {QStringLiteral("connected_clients"), m_census->total()},
                              {QStringLiteral("timestamp"), isoTimestampUtc()}};
    m_publisher->publishLocally(QJsonDocument(message).toJson(QJsonDocument::Compact), QStringLiteral("periodic"));
}

} // namespace herald
