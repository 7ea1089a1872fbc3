// herald-soak: a bounded soak against a running herald-server. For the given time it keeps steady clients
// connected (each must receive every broadcast, in order), churns other clients in and out, keeps clients
// that never read (the server must drop them as slow consumers), and broadcasts through POST /notify. It
// samples the server's RSS and fails if a steady client missed a message or memory grew past the allowance.
//   herald-soak --port P --server-pid PID [--seconds 180] [--steady 50] [--churn 50] [--slow 5] [--rate 20]

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTcpSocket>
#include <QTimer>
#include <QWebSocket>

#include <cstdio>
#include <memory>
#include <vector>

namespace {

qint64 residentKiB(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    return 0;
}

// A client that stays for the whole soak and checks that broadcast n+1 follows broadcast n.
class SteadyClient : public QObject
{
public:
    explicit SteadyClient(const QUrl &url)
    {
        connect(&m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
            const QJsonObject message = QJsonDocument::fromJson(text.toUtf8()).object();
            if (message.value(QStringLiteral("type")).toString() != QLatin1String("soak"))
                return;
            const qint64 sequence = message.value(QStringLiteral("message")).toString().toLongLong();
            if (m_last >= 0 && sequence != m_last + 1)
                m_gaps += sequence - m_last - 1;
            m_last = sequence;
            ++m_received;
        });
        m_socket.open(url);
    }
    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    qint64 last() const { return m_last; }
    qint64 gaps() const { return m_gaps; }
    qint64 received() const { return m_received; }

private:
    QWebSocket m_socket;
    qint64 m_last = -1;
    qint64 m_gaps = 0;
    qint64 m_received = 0;
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const auto option = [&](const char *name, const char *fallback) {
        parser.addOption(
            {QString::fromLatin1(name), QString::fromLatin1(name), QStringLiteral("n"), QString::fromLatin1(fallback)});
    };
    option("port", "8000");
    option("server-pid", "0");
    option("seconds", "180");
    option("steady", "50");
    option("churn", "50");
    option("slow", "5");
    option("rate", "20");
    parser.process(app);
    const auto value = [&](const char *name) { return parser.value(QString::fromLatin1(name)).toLongLong(); };
    const quint16 port = quint16(value("port"));
    const qint64 pid = value("server-pid");
    const QUrl wsUrl(QStringLiteral("ws://127.0.0.1:%1/ws").arg(port));
    const QUrl notifyUrl(QStringLiteral("http://127.0.0.1:%1/notify").arg(port));

    std::vector<std::unique_ptr<SteadyClient>> steady;
    for (qint64 i = 0; i < value("steady"); ++i)
        steady.push_back(std::make_unique<SteadyClient>(wsUrl));

    // Churn: each slot reconnects as soon as its client is gone, after sending a ping and closing.
    qint64 churnConnections = 0;
    std::vector<std::unique_ptr<QWebSocket>> churn(std::size_t(value("churn")));
    const auto reconnect = [&](std::size_t slot) {
        churn[slot] = std::make_unique<QWebSocket>();
        QWebSocket *socket = churn[slot].get();
        QObject::connect(socket, &QWebSocket::connected, socket, [socket, &churnConnections] {
            ++churnConnections;
            socket->sendTextMessage(QStringLiteral("{\"type\":\"ping\"}"));
            QTimer::singleShot(200, socket, [socket] { socket->close(); });
        });
        socket->open(wsUrl);
    };
    for (std::size_t slot = 0; slot < churn.size(); ++slot)
        reconnect(slot);
    QTimer churnTimer;
    QObject::connect(&churnTimer, &QTimer::timeout, [&] {
        for (std::size_t slot = 0; slot < churn.size(); ++slot)
            if (churn[slot]->state() == QAbstractSocket::UnconnectedState)
                reconnect(slot);
    });
    churnTimer.start(100);

    // Slow consumers: complete the handshake, then never read. The server's metrics say whether it dropped
    // them (a client that does not read never sees the end of its own connection).
    std::vector<std::unique_ptr<QTcpSocket>> slow(std::size_t(value("slow")));
    const auto openSlow = [&](std::size_t slot) {
        slow[slot] = std::make_unique<QTcpSocket>();
        QTcpSocket *socket = slow[slot].get();
        QObject::connect(socket, &QTcpSocket::connected, socket, [socket] {
            socket->write("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
            socket->setReadBufferSize(1);
            socket->setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 4096);
        });
        socket->connectToHost(QStringLiteral("127.0.0.1"), port);
    };
    for (std::size_t slot = 0; slot < slow.size(); ++slot)
        openSlow(slot);

    // Broadcasts: numbered, with a 16 KB payload so that the slow clients fill up.
    QNetworkAccessManager http;
    qint64 sent = 0;
    qint64 failed = 0;
    qint64 answered = 0;
    const QString filler(16000, QLatin1Char('s'));
    QTimer broadcastTimer;
    QObject::connect(&broadcastTimer, &QTimer::timeout, [&] {
        // One at a time, so that the sequence numbers leave in order.
        if (sent != answered)
            return;
        QNetworkRequest request(notifyUrl);
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        const QJsonObject body{{QStringLiteral("message"), QString::number(sent)},
                               {QStringLiteral("type"), QStringLiteral("soak")},
                               {QStringLiteral("data"), QJsonObject{{QStringLiteral("filler"), filler}}}};
        QNetworkReply *reply = http.post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
        ++sent;
        QObject::connect(reply, &QNetworkReply::finished, reply, [reply, &failed, &answered] {
            if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() != 200)
                ++failed;
            ++answered;
            reply->deleteLater();
        });
    });
    broadcastTimer.start(int(1000 / std::max<qint64>(1, value("rate"))));

    // RSS: the first sample after a warm-up is the baseline.
    qint64 baselineKiB = 0;
    qint64 peakKiB = 0;
    QTimer sampler;
    QElapsedTimer clock;
    clock.start();
    QObject::connect(&sampler, &QTimer::timeout, [&] {
        const qint64 rss = residentKiB(pid);
        if (baselineKiB == 0 && clock.elapsed() >= 10'000)
            baselineKiB = rss;
        peakKiB = std::max(peakKiB, rss);
        std::printf("%4llds  server RSS %lld KiB, broadcasts %lld, churned %lld\n",
                    static_cast<long long>(clock.elapsed() / 1000), static_cast<long long>(rss),
                    static_cast<long long>(sent), static_cast<long long>(churnConnections));
        std::fflush(stdout);
    });
    sampler.start(5000);

    int exitCode = 0;
    QTimer::singleShot(int(value("seconds") * 1000), [&] {
        broadcastTimer.stop();
        churnTimer.stop();
        // Let the last broadcast arrive, then judge.
        QTimer::singleShot(2000, [&] {
            QNetworkReply *metricsReply =
                http.get(QNetworkRequest(QUrl(QStringLiteral("http://127.0.0.1:%1/metrics").arg(port))));
            QEventLoop wait;
            QObject::connect(metricsReply, &QNetworkReply::finished, &wait, &QEventLoop::quit);
            wait.exec();
            const qint64 slowDropped = QJsonDocument::fromJson(metricsReply->readAll())
                                           .object()
                                           .value(QStringLiteral("connections"))
                                           .toObject()
                                           .value(QStringLiteral("closed_by_reason"))
                                           .toObject()
                                           .value(QStringLiteral("slow_consumer"))
                                           .toInteger();
            metricsReply->deleteLater();
            const qint64 endKiB = residentKiB(pid);
            qint64 lost = 0;
            qint64 disconnected = 0;
            for (const auto &client : steady) {
                lost += client->gaps() + (sent - 1 - client->last());
                disconnected += client->isConnected() ? 0 : 1;
            }
            // Memory may breathe with the churn, not grow: 10% of the baseline plus 4 MiB.
            const qint64 allowedKiB = baselineKiB + baselineKiB / 10 + 4096;
            std::printf("RESULT {\"seconds\":%lld,\"broadcasts\":%lld,\"failed_posts\":%lld,\"steady\":%zu,"
                        "\"steady_disconnected\":%lld,\"lost\":%lld,\"churned\":%lld,\"slow_dropped\":%lld,"
                        "\"rss_baseline_kib\":%lld,\"rss_peak_kib\":%lld,\"rss_end_kib\":%lld}\n",
                        static_cast<long long>(value("seconds")), static_cast<long long>(sent),
                        static_cast<long long>(failed), steady.size(), static_cast<long long>(disconnected),
                        static_cast<long long>(lost), static_cast<long long>(churnConnections),
                        static_cast<long long>(slowDropped), static_cast<long long>(baselineKiB),
                        static_cast<long long>(peakKiB), static_cast<long long>(endKiB));
            if (lost > 0 || failed > 0 || disconnected > 0) {
                std::printf("FAIL: a steady client lost messages or a broadcast failed\n");
                exitCode = 1;
            }
            if (baselineKiB > 0 && endKiB > allowedKiB) {
                std::printf("FAIL: server RSS grew from %lld to %lld KiB (allowed %lld)\n",
                            static_cast<long long>(baselineKiB), static_cast<long long>(endKiB),
                            static_cast<long long>(allowedKiB));
                exitCode = 1;
            }
            if (value("slow") > 0 && slowDropped == 0) {
                std::printf("FAIL: no slow consumer was dropped\n");
                exitCode = 1;
            }
            if (exitCode == 0)
                std::printf("PASS\n");
            QCoreApplication::exit(exitCode);
        });
    });
    return app.exec();
}
