// herald-server: the headless face of the server library.

#include "Server.h"
#include "ServiceNotifier.h"
#include "UnixSignalWatcher.h"
#include "config/ConfigLoader.h"
#include "eventloop/EpollEventDispatcher.h"
#include "logging/Logger.h"
#include "shutdown/ShutdownCoordinator.h"

#include <QCoreApplication>
#include <QDir>
#include <QProcessEnvironment>

#include <csignal>
#include <cstdio>

namespace {

QHash<QString, QString> processEnvironment()
{
    QHash<QString, QString> values;
    const QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const QString &key : environment.keys())
        values.insert(key, environment.value(key));
    return values;
}

} // namespace

int main(int argc, char *argv[])
{
    // The main thread serves clients too (worker 0): epoll rather than Qt's poll() over every socket, and if
    // Qt's is asked for, its own poll dispatcher rather than glib's, which fans out about 9x slower at 10,000
    // clients (README, "Performance"). Both must be decided before the application object exists.
    if (QAbstractEventDispatcher *dispatcher = herald::createClientEventDispatcher())
        QCoreApplication::setEventDispatcher(dispatcher);
    else if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");

    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("herald"));
    QCoreApplication::setApplicationVersion(QStringLiteral(HERALD_VERSION));

    const auto load = [&app] {
        return herald::ConfigLoader::load(app.arguments(), processEnvironment(), QDir::currentPath(),
                                          QCoreApplication::applicationVersion());
    };
    const herald::ConfigLoadResult loaded = load();
    switch (loaded.outcome) {
    case herald::ConfigLoadResult::Outcome::ShowAndExit:
        std::fputs(qPrintable(loaded.output), stdout);
        return 0;
    case herald::ConfigLoadResult::Outcome::Error:
        std::fprintf(stderr, "herald-server: %s\n", qPrintable(loaded.output));
        return herald::ConfigLoadResult::UsageErrorExitCode;
    case herald::ConfigLoadResult::Outcome::Run:
        break;
    }

    herald::Logger logger;
    logger.configure(loaded.config);
    herald::Server server(loaded.config, &logger);
    QString error;
    if (!server.start(&error)) {
        logger.log(herald::LogLevel::Critical, QStringLiteral("start_failed"), error);
        return 1;
    }

    herald::ServiceNotifier serviceManager;
    const auto ready = [&] { serviceManager.ready(QStringLiteral("Serving on port %1").arg(server.port())); };
    ready();
    QObject::connect(&server, &herald::Server::shutdownStarted, &serviceManager,
                     [&] { serviceManager.stopping(loaded.config.shutdownTimeoutSeconds); });
    QObject::connect(&server, &herald::Server::shutdownProgress, &serviceManager,
                     [&](int remainingClients, double secondsLeft) {
                         serviceManager.status(QStringLiteral("Shutting down: waiting for %1 clients, %2 s left")
                                                   .arg(remainingClients)
                                                   .arg(qRound(secondsLeft)));
                     });

    herald::UnixSignalWatcher signalWatcher({SIGTERM, SIGINT, SIGHUP});
    QObject::connect(&signalWatcher, &herald::UnixSignalWatcher::received, &server, [&](int signalNumber) {
        const QString name = herald::UnixSignalWatcher::name(signalNumber);
        if (signalNumber != SIGHUP) {
            server.shutdown(name);
            return;
        }
        serviceManager.reloading();
        const herald::ConfigLoadResult reloaded = load();
        if (reloaded.outcome == herald::ConfigLoadResult::Outcome::Run)
            server.applyReloadedConfig(reloaded.config);
        else
            logger.error(QStringLiteral("config_reload_failed"),
                         QStringLiteral("SIGHUP: settings not reloaded, the running ones stay"),
                         {{QStringLiteral("reason"), reloaded.output}});
        ready();
    });
    QObject::connect(&server, &herald::Server::stopped, &app, &QCoreApplication::quit);
    return app.exec();
}
