#include "ServerProcess.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QSignalSpy>

#include <csignal>
#include <sys/resource.h>
#include <unistd.h>

namespace herald::test {

ServerProcess::ServerProcess()
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    QObject::connect(&m_process, &QProcess::readyReadStandardOutput,
                     [this] { m_output += m_process.readAllStandardOutput(); });
}

ServerProcess::~ServerProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

QString ServerProcess::binaryPath()
{
    return QStringLiteral(HERALD_SERVER_BINARY);
}

namespace {
QProcessEnvironment environmentWith(const QStringList &settings)
{
    // Start from a clean slate so the developer's own HOST, PORT, ... never leak into a test.
    QProcessEnvironment environment;
    const QProcessEnvironment system = QProcessEnvironment::systemEnvironment();
    for (const char *kept : {"PATH", "HOME", "LANG", "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"})
        if (system.contains(QString::fromLatin1(kept)))
            environment.insert(QString::fromLatin1(kept), system.value(QString::fromLatin1(kept)));
    for (const QString &setting : settings) {
        const qsizetype equals = setting.indexOf(QLatin1Char('='));
        environment.insert(setting.left(equals), setting.mid(equals + 1));
    }
    return environment;
}
} // namespace

bool ServerProcess::start(const QStringList &arguments, const QStringList &environment, const QString &workingDirectory,
                          int timeoutMs)
{
    m_process.setProcessEnvironment(environmentWith(environment));
    m_process.setWorkingDirectory(workingDirectory);
    if (m_descriptorLimit > 0) {
        const rlim_t limit = rlim_t(m_descriptorLimit);
        m_process.setChildProcessModifier([limit] {
            const rlimit descriptors{limit, limit};
            ::setrlimit(RLIMIT_NOFILE, &descriptors);
        });
    }
    m_process.start(binaryPath(), arguments);
    if (!waitForOutput(QStringLiteral("server_started"), timeoutMs))
        return false;
    static const QRegularExpression portField(QStringLiteral("\"port\":(\\d+)|port=(\\d+)"));
    const QRegularExpressionMatch match = portField.match(QString::fromUtf8(m_output));
    m_port = quint16((match.captured(1).isEmpty() ? match.captured(2) : match.captured(1)).toUInt());
    return m_port != 0;
}

int ServerProcess::run(const QStringList &arguments, const QStringList &environment, const QString &workingDirectory,
                       int timeoutMs)
{
    m_process.setProcessEnvironment(environmentWith(environment));
    m_process.setWorkingDirectory(workingDirectory);
    m_process.start(binaryPath(), arguments);
    if (!waitForExit(timeoutMs))
        return -1;
    return m_process.exitCode();
}

QUrl ServerProcess::httpUrl(const QString &path) const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(path));
}

QUrl ServerProcess::webSocketUrl() const
{
    return QUrl(QStringLiteral("ws://127.0.0.1:%1/ws").arg(m_port));
}

void ServerProcess::signal(int signalNumber)
{
    ::kill(pid_t(m_process.processId()), signalNumber);
}

bool ServerProcess::waitForExit(int timeoutMs)
{
    if (m_process.state() == QProcess::NotRunning)
        return true;
    QSignalSpy finished(&m_process, &QProcess::finished);
    const bool done = finished.wait(timeoutMs);
    m_output += m_process.readAll();
    return done;
}

QString ServerProcess::output()
{
    m_output += m_process.readAll();
    return QString::fromUtf8(m_output);
}

bool ServerProcess::waitForOutput(const QString &text, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!output().contains(text)) {
        if (deadline.hasExpired() || m_process.state() == QProcess::NotRunning)
            return false;
        QSignalSpy spy(&m_process, &QProcess::readyReadStandardOutput);
        spy.wait(int(std::max<qint64>(1, deadline.remainingTime())));
    }
    return true;
}

qint64 ServerProcess::residentKiB() const
{
    QFile status(QStringLiteral("/proc/%1/status").arg(m_process.processId()));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return 0;
}

double ServerProcess::cpuSeconds() const
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(m_process.processId()));
    if (!stat.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray line = stat.readAll();
    // Fields after the command name, which may hold spaces: utime and stime are fields 14 and 15.
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return 0;
    return (fields[11].toDouble() + fields[12].toDouble()) / double(::sysconf(_SC_CLK_TCK));
}

} // namespace herald::test
