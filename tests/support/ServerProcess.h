#pragma once

#include <QProcess>
#include <QStringList>
#include <QUrl>

namespace herald::test {

// The real herald-server binary, started with the given flags and environment in a working directory, and
// its port read from its "server_started" log line.
class ServerProcess
{
public:
    ServerProcess();
    ~ServerProcess();

    static QString binaryPath();

    // Starts and waits for the server to listen; false with the output so far in output() if it does not.
    bool start(const QStringList &arguments, const QStringList &environment, const QString &workingDirectory,
               int timeoutMs = 10000);
    // Runs to completion (for configuration errors, --help) and returns the exit code, or -1 on timeout.
    int run(const QStringList &arguments, const QStringList &environment, const QString &workingDirectory,
            int timeoutMs = 10000);

    quint16 port() const { return m_port; }
    QUrl httpUrl(const QString &path) const;
    QUrl webSocketUrl() const;
    void signal(int signalNumber);
    // The server's resident memory in KiB, from /proc (0 if it cannot be read).
    qint64 residentKiB() const;
    // CPU time (user + system) the server has used so far, in seconds, from /proc.
    double cpuSeconds() const;
    // The descriptors the next start() may open (RLIMIT_NOFILE), to run the server out of them; 0: inherited.
    void setDescriptorLimit(int descriptors) { m_descriptorLimit = descriptors; }
    bool waitForExit(int timeoutMs);
    int exitCode() const { return m_process.exitCode(); }
    qint64 processId() const { return m_process.processId(); }
    QProcess::ExitStatus exitStatus() const { return m_process.exitStatus(); }
    // stdout and stderr so far, merged.
    QString output();
    // Waits until a line containing `text` has been written.
    bool waitForOutput(const QString &text, int timeoutMs);

private:
    QProcess m_process;
    QByteArray m_output;
    quint16 m_port = 0;
    int m_descriptorLimit = 0;
};

} // namespace herald::test
