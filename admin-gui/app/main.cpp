// herald-admin: the desktop face of the server library.

#include "MainWindow.h"
#include "ScreenshotDirector.h"
#include "Translations.h"
#include "link/EmbeddedLink.h"
#include "link/LinkFactory.h"
#include "link/LocalService.h"
#include "link/RemoteLink.h"

#include <QApplication>
#include <QDir>
#include <QProcessEnvironment>
#include <QStatusBar>
#include <cstdio>

using namespace herald;
using namespace herald::console;

int main(int argc, char *argv[])
{
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB")) // the GUI thread's dispatcher; clients are on epoll threads
        qputenv("QT_NO_GLIB", "1");
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Herald"));
    QApplication::setApplicationName(QStringLiteral("herald-admin"));
    QApplication::setApplicationVersion(QStringLiteral(HERALD_VERSION));

    const QList<QCommandLineOption> consoleOptions{
        {QStringLiteral("attach"), QStringLiteral("Watch the herald-server at <url> instead of running one."),
         QStringLiteral("url")},
        {QStringLiteral("token"), QStringLiteral("Admin token for --attach (or HERALD_ADMIN_TOKEN)."),
         QStringLiteral("token")},
        {QStringLiteral("local-service"),
         QStringLiteral("Attach to this machine's herald.service (URL and token from --service-env) when it "
                        "runs; otherwise run an embedded server on a free port. The desktop entry uses this.")},
        {QStringLiteral("service-env"),
         QStringLiteral("Where --local-service finds ADMIN_TOKEN and HERALD_CONSOLE_URL (default %1).")
             .arg(QString::fromLatin1(LocalService::DefaultEnvFile)),
         QStringLiteral("path")},
        {QStringLiteral("lang"), QStringLiteral("Interface language, e.g. de or en (default: the system's)."),
         QStringLiteral("code")},
        {QStringLiteral("screenshot"),
         QStringLiteral("Save a PNG of the window in a scene (see --scene) with demo clients, then quit. Uses the "
                        "default window layout, not the saved one."),
         QStringLiteral("file")},
        {QStringLiteral("scene"),
         QStringLiteral("For --screenshot: running (default), shutting-down, stopped, stale or attached."),
         QStringLiteral("name")},
        {QStringLiteral("demo-clients"), QStringLiteral("Clients to connect for --screenshot (default 5)."),
         QStringLiteral("n")},
    };
    const QString description = QStringLiteral(
        "Herald admin console: the live client table, broadcasts and a graceful shutdown for a Herald server.\n"
        "It runs the server embedded, with the settings below (flags, then environment, then .env), or attaches "
        "to a running herald-server through its /admin WebSocket with --attach and the server's ADMIN_TOKEN.");
    QHash<QString, QString> environment;
    const QProcessEnvironment system = QProcessEnvironment::systemEnvironment();
    for (const QString &key : system.keys())
        environment.insert(key, system.value(key));
    LinkFactory factory(app.arguments(), environment, QDir::currentPath(), consoleOptions, description);

    const ConfigLoadResult loaded = factory.loadConfig();
    if (loaded.outcome == ConfigLoadResult::Outcome::ShowAndExit) {
        std::fputs(qPrintable(loaded.output), stdout);
        return 0;
    }
    if (loaded.outcome == ConfigLoadResult::Outcome::Error) {
        std::fprintf(stderr, "herald-admin: %s\n", qPrintable(loaded.output));
        return ConfigLoadResult::UsageErrorExitCode;
    }
    const auto option = [&](const char *name) { return loaded.extraValues.value(QString::fromLatin1(name)); };

    Translations translations;
    translations.install(option("lang").isEmpty() ? QLocale::system() : QLocale(option("lang")));

    const bool screenshot = !option("screenshot").isEmpty();
    MainWindow window(&factory, screenshot ? MainWindow::Layout::Default : MainWindow::Layout::Saved);
    QString startNote;
    if (!option("attach").isEmpty()) {
        const QString token =
            option("token").isEmpty() ? environment.value(QStringLiteral("HERALD_ADMIN_TOKEN")) : option("token");
        window.setLink(factory.createRemote(QUrl::fromUserInput(option("attach")), token));
    } else if (!option("local-service").isEmpty()) {
        const QString envFile =
            option("service-env").isEmpty() ? QString::fromLatin1(LocalService::DefaultEnvFile) : option("service-env");
        const LocalService service = LocalService::find(envFile, environment);
        if (service.problem.isEmpty() && LocalService::isListening(service.url, 1000)) {
            window.setLink(factory.createRemote(service.url, service.token));
        } else {
            // Beside a packaged service, never on its port: an embedded server on a free one, on loopback.
            factory.setEmbeddedOverrides(
                {QStringLiteral("--host"), QStringLiteral("127.0.0.1"), QStringLiteral("--port"), QStringLiteral("0")});
            window.runEmbedded();
            startNote = service.problem.isEmpty() ? LocalService::notRunning(service.url) : service.problem;
        }
    } else if (!screenshot || option("scene") != u"stale") {
        window.runEmbedded(); // on failure it says why and offers to attach instead
    }
    window.show();
    if (!startNote.isEmpty())
        window.statusBar()->showMessage(startNote, 30000);

    if (screenshot) {
        const int clients = option("demo-clients").isEmpty() ? 5 : option("demo-clients").toInt();
        auto *director = new ScreenshotDirector(&window, option("screenshot"), option("scene"), clients, &app);
        if (!director->start())
            return 1;
    }
    return app.exec();
}
