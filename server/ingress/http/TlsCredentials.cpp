#include "TlsCredentials.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>

namespace herald {

namespace {

std::optional<QByteArray> readFile(const QString &path, const char *key, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1 \"%2\": %3").arg(QLatin1String(key), path, file.errorString());
        return std::nullopt;
    }
    return file.readAll();
}

} // namespace

std::optional<QSslConfiguration> loadTlsConfiguration(const QString &certificateFile, const QString &keyFile,
                                                      QString *error)
{
    if (!QSslSocket::supportsSsl()) {
        *error = QStringLiteral("TLS is configured but Qt has no TLS backend here (%1)")
                     .arg(QSslSocket::sslLibraryVersionString());
        return std::nullopt;
    }
    const std::optional<QByteArray> certificatePem = readFile(certificateFile, "TLS_CERT_FILE", error);
    if (!certificatePem)
        return std::nullopt;
    const std::optional<QByteArray> keyPem = readFile(keyFile, "TLS_KEY_FILE", error);
    if (!keyPem)
        return std::nullopt;

    const QList<QSslCertificate> chain = QSslCertificate::fromData(*certificatePem, QSsl::Pem);
    if (chain.isEmpty() || chain.constFirst().isNull()) {
        *error = QStringLiteral("TLS_CERT_FILE \"%1\" holds no PEM certificate (-----BEGIN CERTIFICATE-----)")
                     .arg(certificateFile);
        return std::nullopt;
    }
    QSslKey key;
    for (const QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec}) {
        key = QSslKey(*keyPem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            break;
    }
    if (key.isNull()) {
        *error = QStringLiteral("TLS_KEY_FILE \"%1\" holds no unencrypted RSA or EC private key in PEM").arg(keyFile);
        return std::nullopt;
    }

    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificateChain(chain);
    configuration.setPrivateKey(key);
    configuration.setProtocol(QSsl::TlsV1_2OrLater);
    // Clients are identified by tokens, not certificates.
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
    return configuration;
}

} // namespace herald
