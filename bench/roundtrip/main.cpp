// herald-roundtrip: opens N WebSocket clients, sends K broadcasts through POST /notify one at a time, and
// reports how long each took to reach every client (from just before the POST to each client's receipt).
// A Qt client, good for hundreds of connections; the many-thousand runs need the epoll load tool.

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>
#include <QWebSocket>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

namespace {

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const auto rank = std::size_t(std::ceil(p / 100.0 * double(values.size())));
    return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

class RoundTrip : public QObject
{
public:
    RoundTrip(QUrl httpBase, int clients, int broadcasts)
        : m_httpBase(std::move(httpBase))
        , m_clientCount(clients)
        , m_broadcasts(broadcasts)
    {}

    void start()
    {
        QUrl ws = m_httpBase;
        ws.setScheme(m_httpBase.scheme() == u"https" ? QStringLiteral("wss") : QStringLiteral("ws"));
        ws.setPath(QStringLiteral("/ws"));
        m_connectClock.start();
        for (int i = 0; i < m_clientCount; ++i) {
            auto socket = std::make_unique<QWebSocket>();
            connect(socket.get(), &QWebSocket::textMessageReceived, this, &RoundTrip::onMessage);
            socket->open(ws);
            m_sockets.push_back(std::move(socket));
        }
    }

private:
    void onMessage(const QString &text)
    {
        const QJsonObject message = QJsonDocument::fromJson(text.toUtf8()).object();
        const QString type = message.value(QStringLiteral("type")).toString();
        if (type == u"welcome") {
            if (++m_welcomed == m_clientCount) {
                std::printf("connected %d clients in %.1f ms\n", m_clientCount,
                            double(m_connectClock.nsecsElapsed()) / 1e6);
                sendNext();
            }
            return;
        }
        if (type != u"bench" || message.value(QStringLiteral("message")).toString() != m_expected)
            return;
        m_latenciesMs.push_back(double(m_sinceSend.nsecsElapsed()) / 1e6);
        if (++m_received == m_clientCount) {
            m_lastReceiptMs.push_back(m_latenciesMs.back());
            QTimer::singleShot(0, this, &RoundTrip::sendNext);
        }
    }

    void sendNext()
    {
        if (m_sent == m_broadcasts) {
            report();
            return;
        }
        m_received = 0;
        m_expected = QStringLiteral("bench-%1").arg(++m_sent);
        QNetworkRequest request(m_httpBase.resolved(QUrl(QStringLiteral("/notify"))));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        const QByteArray body = QJsonDocument(QJsonObject{{QStringLiteral("message"), m_expected},
                                                          {QStringLiteral("type"), QStringLiteral("bench")}})
                                    .toJson(QJsonDocument::Compact);
        m_sinceSend.start();
        QNetworkReply *reply = m_http.post(request, body);
        connect(reply, &QNetworkReply::finished, reply, [reply] {
            if (reply->error() != QNetworkReply::NoError)
                std::fprintf(stderr, "POST /notify failed: %s\n", qPrintable(reply->errorString()));
            reply->deleteLater();
        });
    }

    void report()
    {
        std::printf("broadcasts %d to %d clients (one in flight)\n", m_broadcasts, m_clientCount);
        std::printf("per delivery   ms: p50 %.2f  p99 %.2f  max %.2f\n", percentile(m_latenciesMs, 50),
                    percentile(m_latenciesMs, 99), percentile(m_latenciesMs, 100));
        std::printf("last receipt   ms: p50 %.2f  p99 %.2f  max %.2f\n", percentile(m_lastReceiptMs, 50),
                    percentile(m_lastReceiptMs, 99), percentile(m_lastReceiptMs, 100));
        QCoreApplication::quit();
    }

    QUrl m_httpBase;
    int m_clientCount;
    int m_broadcasts;
    std::vector<std::unique_ptr<QWebSocket>> m_sockets;
    QNetworkAccessManager m_http;
    QElapsedTimer m_connectClock;
    QElapsedTimer m_sinceSend;
    QString m_expected;
    int m_welcomed = 0;
    int m_received = 0;
    int m_sent = 0;
    std::vector<double> m_latenciesMs;
    std::vector<double> m_lastReceiptMs;
};

} // namespace

int main(int argc, char *argv[])
{
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Broadcast round trip through a running Herald server."));
    parser.addHelpOption();
    const QCommandLineOption urlOption(QStringLiteral("url"), QStringLiteral("Server base URL."), QStringLiteral("url"),
                                       QStringLiteral("http://127.0.0.1:8000"));
    const QCommandLineOption clientsOption(QStringLiteral("clients"), QStringLiteral("WebSocket clients."),
                                           QStringLiteral("n"), QStringLiteral("100"));
    const QCommandLineOption broadcastsOption(QStringLiteral("broadcasts"), QStringLiteral("Broadcasts to send."),
                                              QStringLiteral("k"), QStringLiteral("200"));
    const QCommandLineOption timeoutOption(QStringLiteral("timeout"),
                                           QStringLiteral("Give up after this many seconds."), QStringLiteral("s"),
                                           QStringLiteral("120"));
    parser.addOptions({urlOption, clientsOption, broadcastsOption, timeoutOption});
    parser.process(app);

    RoundTrip roundTrip(QUrl(parser.value(urlOption)), parser.value(clientsOption).toInt(),
                        parser.value(broadcastsOption).toInt());
    roundTrip.start();
    QTimer::singleShot(parser.value(timeoutOption).toInt() * 1000, &app, [] {
        std::fprintf(stderr, "herald-roundtrip: timed out\n");
        QCoreApplication::exit(1);
    });
    return app.exec();
}
