// TLS_CERT_FILE / TLS_KEY_FILE: the port speaks https and wss, with a certificate the test makes itself.

#include "support/HttpClient.h"
#include "support/MetricsReading.h"
#include "support/RawWebSocketClient.h"
#include "support/TestClient.h"
#include "support/TestServer.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSslCertificate>
#include <QTest>

using namespace herald;
using namespace herald::test;

namespace {

// A self-signed certificate for 127.0.0.1 made with the openssl command, and the configuration a client needs
// to trust exactly it (so that the tests verify the server the way a real client does).
class TestCertificate
{
public:
    explicit TestCertificate(const QString &keyType = QStringLiteral("ec"))
    {
        QStringList arguments{"req",
                              "-x509",
                              "-nodes",
                              "-days",
                              "30",
                              "-subj",
                              "/CN=herald-test",
                              "-addext",
                              "subjectAltName=IP:127.0.0.1,DNS:localhost",
                              "-keyout",
                              keyFile(),
                              "-out",
                              certificateFile(),
                              "-newkey"};
        arguments << (keyType == u"ec" ? QStringList{"ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"}
                                       : QStringList{"rsa:2048"});
        QProcess openssl;
        openssl.start(QStringLiteral("openssl"), arguments);
        m_made = openssl.waitForFinished(30000) && openssl.exitCode() == 0;
        if (!m_made)
            qWarning("openssl failed: %s", openssl.readAllStandardError().constData());
    }

    bool isMade() const { return m_made; }
    QString certificateFile() const { return m_dir.filePath(QStringLiteral("cert.pem")); }
    QString keyFile() const { return m_dir.filePath(QStringLiteral("key.pem")); }
    QString directory() const { return m_dir.path(); }

    QSslConfiguration clientConfiguration() const
    {
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setCaCertificates(QSslCertificate::fromPath(certificateFile()));
        tls.setPeerVerifyMode(QSslSocket::VerifyPeer);
        return tls;
    }

    Config serverConfig(int workers = 1) const
    {
        Config config = TestServer::defaultConfig();
        config.tlsCertificateFile = certificateFile();
        config.tlsKeyFile = keyFile();
        config.workers = workers;
        return config;
    }

private:
    QTemporaryDir m_dir;
    bool m_made = false;
};

QString startError(const Config &config)
{
    QTemporaryDir logs;
    Config withLogs = config;
    withLogs.logDir = logs.path();
    Logger logger;
    logger.configure(withLogs);
    Server server(withLogs, &logger);
    QString error;
    return server.start(&error) ? QString() : error;
}

QByteArray notification(const QString &message)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("message"), message}}).toJson();
}

} // namespace

class TlsTest : public QObject
{
    Q_OBJECT

private slots:
    void wssClientsAndHttpsApi_data()
    {
        QTest::addColumn<int>("workers");
        QTest::newRow("1 worker") << 1;
        QTest::newRow("2 workers") << 2; // the TLS socket moves to a worker thread
    }

    void wssClientsAndHttpsApi()
    {
        QFETCH(int, workers);
        const TestCertificate certificate;
        QVERIFY(certificate.isMade());
        TestServer server(certificate.serverConfig(workers));
        QCOMPARE(server.webSocketUrl().scheme(), QStringLiteral("wss"));

        QList<TestClient *> clients;
        for (int i = 0; i < 4; ++i) {
            auto *client = new TestClient(this);
            client->socket().setSslConfiguration(certificate.clientConfiguration());
            QVERIFY(client->connectTo(server.webSocketUrl()));
            clients << client;
        }
        clients.first()->send({{QStringLiteral("type"), QStringLiteral("ping")}});
        QVERIFY(!clients.first()->waitFor(QStringLiteral("pong")).isEmpty());

        HttpClient http;
        http.setTlsConfiguration(certificate.clientConfiguration());
        QCOMPARE(http.get(server.httpUrl("/health")).status, 200);
        // Several broadcasts in a row reach every client, in order, through TLS.
        for (int i = 0; i < 5; ++i)
            QCOMPARE(http.post(server.httpUrl("/notify"), notification(QString::number(i))).status, 200);
        for (TestClient *client : std::as_const(clients)) {
            for (int i = 0; i < 5; ++i)
                QCOMPARE(client->waitFor(QStringLiteral("notification")).value("message").toString(),
                         QString::number(i));
        }
        const QJsonObject status = http.get(server.httpUrl("/status")).json;
        QCOMPARE(status.value("connections").toObject().value("active").toInt(), 4);

        // A client that leaves is seen to leave.
        clients.takeLast()->close();
        QTRY_COMPARE_WITH_TIMEOUT(server.server().clientCount(), 3, 5000);
        qDeleteAll(clients);
    }

    void plainClientsAreRefusedAndOthersServed()
    {
        const TestCertificate certificate;
        QVERIFY(certificate.isMade());
        TestServer server(certificate.serverConfig());

        RawWebSocketClient plain;
        QUrl plainUrl = server.webSocketUrl();
        plainUrl.setScheme(QStringLiteral("ws"));
        // Qt closes a connection whose first bytes are not a TLS handshake, without an answer.
        QCOMPARE(plain.handshake(plainUrl, 3000), -1);
        QVERIFY(plain.waitForDisconnected(5000));

        // A client that does not trust the certificate gives up; the server logs the failed handshake.
        TestClient untrusting;
        QVERIFY(!untrusting.connectTo(server.webSocketUrl(), 3000));
        const auto logged = [&server](const QByteArray &event) {
            QFile log(server.logDir() + QStringLiteral("/herald.log"));
            return log.open(QIODevice::ReadOnly) && log.readAll().contains(event);
        };
        QTRY_VERIFY_WITH_TIMEOUT(logged("tls_handshake_failed"), 5000);

        TestClient trusting;
        trusting.socket().setSslConfiguration(certificate.clientConfiguration());
        QVERIFY(trusting.connectTo(server.webSocketUrl()));
    }

    // The stream's own back-pressure: a TLS client that stops reading is closed by the same limits as on TCP.
    void stalledTlsClientIsClosed()
    {
        const TestCertificate certificate;
        QVERIFY(certificate.isMade());
        Config config = certificate.serverConfig();
        config.maxQueuedBytes = 1024 * 1024;
        config.maxBodyBytes = 1024 * 1024;
        TestServer server(config);

        RawWebSocketClient stalled;
        stalled.setTlsConfiguration(certificate.clientConfiguration());
        QCOMPARE(stalled.handshake(server.webSocketUrl()), 101);
        stalled.socket().setReadBufferSize(1);
        stalled.socket().setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 4096);
        TestClient healthy;
        healthy.socket().setSslConfiguration(certificate.clientConfiguration());
        QVERIFY(healthy.connectTo(server.webSocketUrl()));

        HttpClient http;
        http.setTlsConfiguration(certificate.clientConfiguration());
        constexpr int Broadcasts = 40;
        const QString filler(300 * 1000, QLatin1Char('x'));
        for (int i = 0; i < Broadcasts; ++i) {
            const QJsonObject body{{QStringLiteral("message"), QString::number(i)},
                                   {QStringLiteral("data"), QJsonObject{{QStringLiteral("filler"), filler}}}};
            QCOMPARE(http.post(server.httpUrl("/notify"), QJsonDocument(body).toJson()).status, 200);
        }
        QTRY_COMPARE_WITH_TIMEOUT(healthy.countOf(QStringLiteral("notification")), Broadcasts, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(
            closedBecause(http.get(server.httpUrl("/metrics")).json, QStringLiteral("slow_consumer")), 1, 10000);
        QVERIFY(healthy.isConnected());
    }

    // Graceful shutdown over TLS: the notice and the close frame get out before the connection ends.
    void shutdownReachesTlsClients()
    {
        const TestCertificate certificate;
        QVERIFY(certificate.isMade());
        Config config = certificate.serverConfig(2);
        config.shutdownTimeoutSeconds = 0.5;
        TestServer server(config);
        TestClient client;
        client.socket().setSslConfiguration(certificate.clientConfiguration());
        QVERIFY(client.connectTo(server.webSocketUrl()));
        server.server().shutdown(QStringLiteral("test"));
        QVERIFY(!client.waitFor(QStringLiteral("shutdown")).isEmpty());
        QVERIFY(client.waitForDisconnected(10000));
        QCOMPARE(client.closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
    }

    void rsaKeysAreAccepted()
    {
        const TestCertificate certificate(QStringLiteral("rsa"));
        QVERIFY(certificate.isMade());
        TestServer server(certificate.serverConfig());
        TestClient client;
        client.socket().setSslConfiguration(certificate.clientConfiguration());
        QVERIFY(client.connectTo(server.webSocketUrl()));
    }

    void unusableFilesStopTheStartWithAClearMessage()
    {
        const TestCertificate certificate;
        QVERIFY(certificate.isMade());
        Config config = certificate.serverConfig();

        config.tlsCertificateFile = certificate.directory() + QStringLiteral("/missing.pem");
        QString error = startError(config);
        QVERIFY2(error.contains("TLS_CERT_FILE") && error.contains("missing.pem"), qPrintable(error));

        config = certificate.serverConfig();
        config.tlsKeyFile = certificate.certificateFile(); // a certificate where the key should be
        error = startError(config);
        QVERIFY2(error.contains("TLS_KEY_FILE") && error.contains("private key"), qPrintable(error));

        config = certificate.serverConfig();
        config.tlsCertificateFile = certificate.keyFile();
        error = startError(config);
        QVERIFY2(error.contains("TLS_CERT_FILE") && error.contains("no PEM certificate"), qPrintable(error));
    }
};

QTEST_MAIN(TlsTest)
#include "tst_tls.moc"
