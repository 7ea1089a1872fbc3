#pragma once

#include <QProcess>
#include <QString>

namespace herald::test {

// A real redis-server on a free loopback port, with nothing persisted; stop() and start() again reuse the port
// so a Herald instance can reconnect to "the same" Redis.
class RedisProcess
{
public:
    RedisProcess();
    ~RedisProcess();

    bool start(int timeoutMs = 10000);
    void stop();
    // SIGSTOP and SIGCONT: a Redis that keeps its connections open and answers nothing, as a silent partition.
    void freeze();
    void thaw();
    QString url() const { return QStringLiteral("redis://127.0.0.1:%1").arg(m_port); }
    QString output() const { return QString::fromUtf8(m_output); }
    // Runs one command through redis-cli and returns its output, for setting up what a test needs.
    QByteArray cli(const QStringList &command) const;

private:
    QProcess m_process;
    QByteArray m_output;
    quint16 m_port = 0;
};

} // namespace herald::test
