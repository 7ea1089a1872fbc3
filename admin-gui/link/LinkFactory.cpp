#include "LinkFactory.h"

#include "EmbeddedLink.h"
#include "RemoteLink.h"

#include <QCoreApplication>

namespace herald::console {

LinkFactory::LinkFactory(QStringList arguments, QHash<QString, QString> environment, QString workingDirectory,
                         QList<QCommandLineOption> consoleOptions, QString description, QObject *parent)
    : QObject(parent)
    , m_arguments(std::move(arguments))
    , m_environment(std::move(environment))
    , m_workingDirectory(std::move(workingDirectory))
    , m_consoleOptions(std::move(consoleOptions))
    , m_description(std::move(description))
{}

ConfigLoadResult LinkFactory::loadConfig() const
{
    return ConfigLoader::load(m_arguments + m_overrides, m_environment, m_workingDirectory,
                              QCoreApplication::applicationVersion(), m_consoleOptions, m_description);
}

EmbeddedLink *LinkFactory::createEmbedded(QString *error) const
{
    const ConfigLoadResult loaded = loadConfig();
    if (loaded.outcome != ConfigLoadResult::Outcome::Run) {
        *error = loaded.output;
        return nullptr;
    }
    auto link = std::make_unique<EmbeddedLink>(loaded.config);
    if (!link->start()) {
        *error = link->stateDetail();
        return nullptr;
    }
    return link.release();
}

RemoteLink *LinkFactory::createRemote(const QUrl &serverUrl, const QString &token) const
{
    auto *link = new RemoteLink(serverUrl, token);
    link->open();
    return link;
}

} // namespace herald::console
