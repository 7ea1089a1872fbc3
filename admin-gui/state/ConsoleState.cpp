#include "ConsoleState.h"

#include "protocol/AdminProtocol.h"
#include "text/Formats.h"

namespace herald::console {

ConsoleState::ConsoleState(QObject *parent)
    : QObject(parent)
{}

void ConsoleState::setLink(ServerLink *link)
{
    if (m_link)
        disconnect(m_link, nullptr, this, nullptr);
    m_link = link;
    m_step = 0;
    m_staleSince = {};
    m_detail.clear();
    if (link) {
        connect(link, &ServerLink::stateChanged, this, &ConsoleState::onLinkState);
        connect(link, &ServerLink::shutdownProgress, this, &ConsoleState::onShutdownProgress);
        connect(link, &QObject::destroyed, this, [this] { setLink(nullptr); });
        m_detail = link->stateDetail();
    }
    update();
}

void ConsoleState::onLinkState(ServerLink::State state, const QString &detail)
{
    m_detail = detail;
    if (state == ServerLink::State::Connected) {
        // A fresh snapshot follows and says where the shutdown stands; until then it is not assumed to go on.
        m_step = 0;
        m_staleSince = {};
    } else if (state == ServerLink::State::Disconnected && m_link->everConnected() && !m_staleSince.isValid()) {
        m_staleSince = QDateTime::currentDateTime();
    }
    update();
}

void ConsoleState::onShutdownProgress(const QJsonObject &progress)
{
    m_step = progress.value(admin::key::Step).toInt();
    m_timeoutSeconds = progress.value(admin::key::TimeoutSeconds).toDouble(m_timeoutSeconds);
    update();
}

void ConsoleState::update()
{
    Phase phase = Phase::NoServer;
    if (m_link) {
        switch (m_link->state()) {
        case ServerLink::State::Connecting:
            phase = m_link->everConnected() ? Phase::Reconnecting : Phase::Starting;
            break;
        case ServerLink::State::Connected:
            phase = m_step >= 6 ? Phase::Stopped : m_step > 0 ? Phase::ShuttingDown : Phase::Running;
            break;
        case ServerLink::State::Disconnected:
            // Lost during its shutdown's last steps, the server is gone rather than unreachable.
            phase = m_step >= 5 ? Phase::Stopped : m_link->everConnected() ? Phase::Reconnecting : Phase::Unreachable;
            break;
        case ServerLink::State::Refused:
            phase = Phase::Refused;
            break;
        case ServerLink::State::Stopped:
            phase = Phase::Stopped;
            break;
        }
    }
    if (phase == Phase::Stopped)
        m_step = 6;
    if (phase != Phase::Reconnecting)
        m_staleSince = {};
    m_phase = phase;
    emit changed();
}

QString ConsoleState::serverName() const
{
    return m_link ? m_link->description() : QString();
}

bool ConsoleState::canRunEmbedded() const
{
    if (!isEmbedded())
        return true;
    return m_phase == Phase::Stopped || m_phase == Phase::NoServer;
}

bool ConsoleState::canEditSettings() const
{
    if (!m_link)
        return true;
    return isEmbedded() && (m_phase == Phase::Running || m_phase == Phase::Stopped);
}

QString ConsoleState::statusText() const
{
    const QString name = serverName();
    switch (m_phase) {
    case Phase::NoServer:
        return tr("No server. Run the embedded server or attach to one.");
    case Phase::Starting:
        return isEmbedded() ? tr("Starting the embedded server…") : tr("Connecting to %1…").arg(name);
    case Phase::Running:
        return isEmbedded() ? tr("Running: %1").arg(name) : tr("Connected to %1").arg(name);
    case Phase::ShuttingDown:
        return tr("%1 is shutting down: step %2 of 6").arg(name).arg(m_step);
    case Phase::Stopped:
        return tr("Server stopped: %1").arg(name);
    case Phase::Reconnecting:
        return tr("Link to %1 lost at %2; the view is stale. Reconnecting…")
            .arg(name, Formats::clockTime(m_staleSince));
    case Phase::Unreachable:
        return tr("Cannot reach %1 (%2). Retrying…").arg(name, m_detail);
    case Phase::Refused:
        return tr("%1 refused the admin token. Attach again with the right one.").arg(name);
    }
    return {};
}

} // namespace herald::console
