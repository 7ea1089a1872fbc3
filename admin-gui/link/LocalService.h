#pragma once

#include <QHash>
#include <QString>
#include <QUrl>

namespace herald::console {

// The herald.service this machine's package installed, as the console finds it: its URL and admin token from
// /etc/herald/admin.env (root:herald-operators 0640, written by the package), HERALD_CONSOLE_URL in the
// environment winning over the file's.
struct LocalService {
    static constexpr const char *DefaultEnvFile = "/etc/herald/admin.env";
    static constexpr const char *OperatorsGroup = "herald-operators";

    QUrl url;
    QString token;
    QString problem; // why it cannot be attached to (file unreadable, no token); empty when it can

    static LocalService find(const QString &envFile, const QHash<QString, QString> &environment);
    // Whether something accepts connections at url within timeoutMs.
    static bool isListening(const QUrl &url, int timeoutMs);
    // What the console says when it runs embedded because nothing listens where the service should.
    static QString notRunning(const QUrl &url);
};

} // namespace herald::console
