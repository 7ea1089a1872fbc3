#include "LocalService.h"

#include "config/DotEnvFile.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QTcpSocket>

namespace herald::console {

LocalService LocalService::find(const QString &envFile, const QHash<QString, QString> &environment)
{
    LocalService service;
    const DotEnvFile file = DotEnvFile::read(envFile);
    const QString url = environment.value(
        QStringLiteral("HERALD_CONSOLE_URL"),
        file.values.value(QStringLiteral("HERALD_CONSOLE_URL"), QStringLiteral("http://127.0.0.1:8000")));
    service.url = QUrl::fromUserInput(url);
    service.token = file.values.value(QStringLiteral("ADMIN_TOKEN"));
    if (!QFileInfo::exists(envFile))
        service.problem = QCoreApplication::translate("LocalService", "%1 does not exist: is the herald package "
                                                                      "installed?")
                              .arg(envFile);
    else if (!file.error.isEmpty() || !QFileInfo(envFile).isReadable())
        service.problem = QCoreApplication::translate("LocalService", "%1 cannot be read: add yourself to the %2 group "
                                                                      "(sudo adduser $USER %2), then log in again.")
                              .arg(envFile, QString::fromLatin1(OperatorsGroup));
    else if (service.token.isEmpty())
        service.problem = QCoreApplication::translate("LocalService", "%1 has no ADMIN_TOKEN.").arg(envFile);
    return service;
}

bool LocalService::isListening(const QUrl &url, int timeoutMs)
{
    QTcpSocket socket;
    socket.connectToHost(url.host(), quint16(url.port(url.scheme() == u"https" ? 443 : 80)));
    return socket.waitForConnected(timeoutMs);
}

QString LocalService::notRunning(const QUrl &url)
{
    return QCoreApplication::translate(
               "LocalService", "herald.service is not running at %1; this is an embedded server on a free port.")
        .arg(url.toString());
}

} // namespace herald::console
