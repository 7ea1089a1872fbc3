#include "RedisProcess.h"

#include <QDeadlineTimer>
#include <QSignalSpy>
#include <QTcpServer>

#include <csignal>

namespace herald::test {

RedisProcess::RedisProcess()
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    QObject::connect(&m_process, &QProcess::readyReadStandardOutput,
                     [this] { m_output += m_process.readAllStandardOutput(); });
}

RedisProcess::~RedisProcess()
{
    stop();
}

bool RedisProcess::start(int timeoutMs)
{
    if (m_port == 0) {
        QTcpServer probe; // the kernel's choice of a free port, released for redis-server to take
        if (!probe.listen(QHostAddress::LocalHost, 0))
            return false;
        m_port = probe.serverPort();
    }
    m_output.clear();
    m_process.start(QStringLiteral("redis-server"),
                    {QStringLiteral("--port"), QString::number(m_port), QStringLiteral("--bind"),
                     QStringLiteral("127.0.0.1"), QStringLiteral("--save"), QString(), QStringLiteral("--appendonly"),
                     QStringLiteral("no")});
    QDeadlineTimer deadline(timeoutMs);
    while (!m_output.contains("Ready to accept connections")) {
        if (deadline.hasExpired() || m_process.state() == QProcess::NotRunning)
            return false;
        QSignalSpy spy(&m_process, &QProcess::readyReadStandardOutput);
        spy.wait(int(std::max<qint64>(1, deadline.remainingTime())));
    }
    return true;
}

QByteArray RedisProcess::cli(const QStringList &command) const
{
    QProcess client;
    client.start(QStringLiteral("redis-cli"), QStringList{QStringLiteral("-p"), QString::number(m_port)} + command);
    client.waitForFinished(5000);
    return client.readAllStandardOutput().trimmed();
}

void RedisProcess::freeze()
{
    ::kill(pid_t(m_process.processId()), SIGSTOP);
}

void RedisProcess::thaw()
{
    ::kill(pid_t(m_process.processId()), SIGCONT);
}

void RedisProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    thaw();           // a frozen one would not die of SIGKILL any sooner, but waitForFinished must see it go
    m_process.kill(); // an outage, not a polite shutdown
    m_process.waitForFinished(5000);
}

} // namespace herald::test
