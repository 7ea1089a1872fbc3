#pragma once

#include <QSslConfiguration>
#include <QString>
#include <optional>

namespace herald {

// The server side of TLS for the port: the certificate chain and private key read from PEM files, with the
// protocols a public server should still accept (TLS 1.2 and later).
std::optional<QSslConfiguration> loadTlsConfiguration(const QString &certificateFile, const QString &keyFile,
                                                      QString *error);

} // namespace herald
