// Type=notify: the real binary tells a service manager (here a socket standing in for systemd's) that it is
// ready, reloading and stopping, how the drain goes, and pings its watchdog.

#include "support/ServerProcess.h"
#include "support/TestClient.h"

#include <QSocketNotifier>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

using namespace herald::test;

namespace {

// The datagram socket systemd passes to a service as NOTIFY_SOCKET, collecting what the service sends.
class NotifySocket
{
public:
    explicit NotifySocket(const QString &path)
        : m_path(path)
    {
        m_descriptor = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        const QByteArray encoded = path.toLocal8Bit();
        std::memcpy(address.sun_path, encoded.constData(),
                    std::min<size_t>(encoded.size(), sizeof address.sun_path - 1));
        m_bound = ::bind(m_descriptor, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0;
        m_notifier = std::make_unique<QSocketNotifier>(m_descriptor, QSocketNotifier::Read);
        QObject::connect(m_notifier.get(), &QSocketNotifier::activated, [this] {
            char buffer[4096];
            ssize_t received;
            while ((received = ::recv(m_descriptor, buffer, sizeof buffer, 0)) > 0)
                m_messages << QString::fromUtf8(buffer, received);
        });
    }
    ~NotifySocket()
    {
        m_notifier.reset();
        ::close(m_descriptor);
    }

    bool isBound() const { return m_bound; }
    QString environment() const { return QStringLiteral("NOTIFY_SOCKET=") + m_path; }
    // How many messages so far carry this line (e.g. "READY=1").
    int count(const QString &line) const
    {
        int found = 0;
        for (const QString &message : m_messages)
            found += message.split(QLatin1Char('\n')).contains(line) ? 1 : 0;
        return found;
    }
    // The last value of a KEY=value line sent so far.
    QString last(const QString &key) const
    {
        for (auto message = m_messages.crbegin(); message != m_messages.crend(); ++message) {
            for (const QString &line : message->split(QLatin1Char('\n')))
                if (line.startsWith(key + QLatin1Char('=')))
                    return line.mid(key.size() + 1);
        }
        return {};
    }
    QStringList messages() const { return m_messages; }

private:
    QString m_path;
    int m_descriptor = -1;
    bool m_bound = false;
    std::unique_ptr<QSocketNotifier> m_notifier;
    QStringList m_messages;
};

} // namespace

class ServiceManagerTest : public QObject
{
    Q_OBJECT

private slots:
    void readyReloadingStoppingAndWatchdog()
    {
        QTemporaryDir dir;
        NotifySocket systemd(dir.filePath(QStringLiteral("notify")));
        QVERIFY(systemd.isBound());
        ServerProcess server;
        QVERIFY2(server.start(
                     {"--port", "0", "--host", "127.0.0.1"},
                     {systemd.environment(), "WATCHDOG_USEC=400000", "SHUTDOWN_TIMEOUT=20", "NOTIFICATION_INTERVAL=0"},
                     dir.path()),
                 qPrintable(server.output()));

        QTRY_COMPARE_WITH_TIMEOUT(systemd.count(QStringLiteral("READY=1")), 1, 5000);
        QCOMPARE(systemd.last(QStringLiteral("STATUS")), QStringLiteral("Serving on port %1").arg(server.port()));
        // Pinged twice per watchdog interval: at least four pings in 1.2 s of 400 ms intervals.
        QTRY_VERIFY_WITH_TIMEOUT(systemd.count(QStringLiteral("WATCHDOG=1")) >= 4, 5000);

        server.signal(SIGHUP);
        QTRY_COMPARE_WITH_TIMEOUT(systemd.count(QStringLiteral("READY=1")), 2, 5000);
        QCOMPARE(systemd.count(QStringLiteral("RELOADING=1")), 1);

        TestClient client;
        QVERIFY(client.connectTo(server.webSocketUrl()));
        server.signal(SIGTERM);
        QTRY_COMPARE_WITH_TIMEOUT(systemd.count(QStringLiteral("STOPPING=1")), 1, 5000);
        // systemd's stop time-out is extended to the drain (20 s) and a margin, whatever the unit says.
        QCOMPARE(systemd.last(QStringLiteral("EXTEND_TIMEOUT_USEC")), QStringLiteral("35000000"));
        QTRY_VERIFY_WITH_TIMEOUT(systemd.last(QStringLiteral("STATUS")).startsWith("Shutting down: waiting for 1 "),
                                 5000);
        client.close();
        QVERIFY(server.waitForExit(10000));
        QCOMPARE(server.exitCode(), 0);
    }
};

QTEST_MAIN(ServiceManagerTest)
#include "tst_service_manager.moc"
