#pragma once

#include "config/ConfigLoader.h"

#include <QCommandLineOption>
#include <QHash>
#include <QObject>
#include <QUrl>

namespace herald::console {

class EmbeddedLink;
class RemoteLink;

// Makes the console's links. An embedded server reads the same configuration sources, in the same order, as
// herald-server (flags > environment > .env > defaults), re-read each time so edits to .env take effect.
// The console's own options are parsed alongside and described in its --help.
class LinkFactory : public QObject
{
    Q_OBJECT
public:
    LinkFactory(QStringList arguments, QHash<QString, QString> environment, QString workingDirectory,
                QList<QCommandLineOption> consoleOptions, QString description = {}, QObject *parent = nullptr);

    ConfigLoadResult loadConfig() const;
    // Flags added after the operator's (so they win) for every embedded server from now on: "--port 0" when the
    // console runs beside a packaged service, say.
    void setEmbeddedOverrides(const QStringList &flags) { m_overrides = flags; }
    // A started embedded server, or nullptr with *error saying why (bad configuration, port taken).
    EmbeddedLink *createEmbedded(QString *error) const;
    RemoteLink *createRemote(const QUrl &serverUrl, const QString &token) const;

private:
    QStringList m_arguments;
    QHash<QString, QString> m_environment;
    QString m_workingDirectory;
    QList<QCommandLineOption> m_consoleOptions;
    QStringList m_overrides;
    QString m_description;
};

} // namespace herald::console
