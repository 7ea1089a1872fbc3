#include "KeepAlive.h"

#include "SessionRegistry.h"

#include <QTimer>
#include <algorithm>

namespace herald {

KeepAlive::KeepAlive(SessionRegistry *registry, double intervalSeconds, double timeoutSeconds, QObject *parent)
    : QObject(parent)
    , m_registry(registry)
    , m_intervalMs(qint64(intervalSeconds * 1000))
    , m_timeoutMs(qint64(timeoutSeconds * 1000))
    , m_timer(new QTimer(this))
{
    // Sweeping at a quarter of the shorter period bounds how late a ping or a timeout can be to 25%.
    m_timer->setInterval(int(std::clamp<qint64>(std::min(m_intervalMs, m_timeoutMs) / 4, 50, 5000)));
    connect(m_timer, &QTimer::timeout, this, &KeepAlive::sweep);
}

void KeepAlive::start()
{
    if (m_intervalMs > 0)
        m_timer->start();
}

void KeepAlive::stop()
{
    m_timer->stop();
}

void KeepAlive::sweep()
{
    m_registry->forEach([this](ClientSession *session) {
        if (!session->isOpen())
            return;
        if (session->pingOutstanding()) {
            if (session->msSinceLastPing() >= m_timeoutMs) {
                emit clientTimedOut(session);
                session->abort(DisconnectReason::PingTimeout);
            }
        } else if (session->msSinceLastActivity() >= m_intervalMs) {
            session->sendPing();
        }
    });
}

} // namespace herald
