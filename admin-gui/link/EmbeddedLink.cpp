#include "EmbeddedLink.h"

#include "ServerHost.h"
#include "eventloop/EpollEventDispatcher.h"

#include <QThread>

namespace herald::console {

EmbeddedLink::EmbeddedLink(const Config &config, QObject *parent)
    : ServerLink(parent)
    , m_config(config)
    , m_thread(new QThread(this))
    , m_host(new ServerHost(config))
{
    m_thread->setObjectName(QStringLiteral("herald-embedded"));
    if (QAbstractEventDispatcher *dispatcher = createClientEventDispatcher())
        m_thread->setEventDispatcher(dispatcher); // the thread takes ownership
    m_host->moveToThread(m_thread);
    // Queued, across the threads: events reach the panels in the order the server emitted them.
    connect(m_host, &ServerHost::eventReady, this, &EmbeddedLink::dispatch);
    connect(m_host, &ServerHost::replied, this, &EmbeddedLink::dispatch);
    connect(m_host, &ServerHost::stopped, this,
            [this] { setState(State::Stopped, tr("The embedded server has shut down.")); });
    m_thread->start();
}

EmbeddedLink::~EmbeddedLink()
{
    disconnect(m_host, nullptr, this, nullptr);
    QThread *home = thread();
    QMetaObject::invokeMethod(
        m_host, [this, home] { m_host->stop(home); }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_host;
}

bool EmbeddedLink::start()
{
    QString error;
    bool started = false;
    // The server thread never waits for this one, so blocking here cannot deadlock.
    QMetaObject::invokeMethod(
        m_host, [this, &error, &started] { started = m_host->start(&error); }, Qt::BlockingQueuedConnection);
    if (!started) {
        setState(State::Stopped, error);
        return false;
    }
    m_port = m_host->port();
    setState(State::Connected);
    return true;
}

QString EmbeddedLink::description() const
{
    return tr("embedded server on %1:%2").arg(m_config.host).arg(m_port);
}

void EmbeddedLink::send(const QJsonObject &command)
{
    // Answered through ServerHost::replied, on a later turn of this loop, as a remote server's reply would be.
    QMetaObject::invokeMethod(m_host, [host = m_host, command] { host->execute(command); });
}

} // namespace herald::console
