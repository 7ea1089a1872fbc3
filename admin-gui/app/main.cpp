// herald-admin: the desktop face of the server library.

#include "MainWindow.h"
#include "ScreenshotDirector.h"
#include "Translations.h"
#include "link/EmbeddedLink.h"
#include "link/LinkFactory.h"
#include "link/RemoteLink.h"

#include <QApplication>
#include <QDir>
#include <QProcessEnvironment>
#include <cstdio>

using namespace herald;
using namespace herald::console;

int main(int argc, char *argv[])
{
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB")) // the embedded server's fan-out, as in herald-server
        qputenv("QT_NO_GLIB", "1");
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Herald"));
    QApplication::setApplicationName(QStringLiteral("herald-admin"));
    QApplication::setApplicationVersion(QStringLiteral(HERALD_VERSION));

    const QList<QCommandLineOption> consoleOptions{
        {QStringLiteral("lang"), QStringLiteral("Interface language, e.g. de or en (default: the system's)."),
         QStringLiteral("code")},
        {QStringLiteral("attach"), QStringLiteral("Watch the herald-server at <url> instead of running one."),
         QStringLiteral("url")},
        {QStringLiteral("token"), QStringLiteral("Admin token for --attach (or HERALD_ADMIN_TOKEN)."),
         QStringLiteral("token")},
        {QStringLiteral("screenshot"), QStringLiteral("Save a PNG of the window with demo clients, then quit."),
         QStringLiteral("file")},
        {QStringLiteral("demo-clients"), QStringLiteral("Clients to connect for --screenshot (default 5)."),
         QStringLiteral("n")},
    };
    QHash<QString, QString> environment;
    const QProcessEnvironment system = QProcessEnvironment::systemEnvironment();
    for (const QString &key : system.keys())
        environment.insert(key, system.value(key));
    LinkFactory factory(app.arguments(), environment, QDir::currentPath(), consoleOptions);

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

    MainWindow window(&factory);
    if (!option("attach").isEmpty()) {
        const QString token =
            option("token").isEmpty() ? environment.value(QStringLiteral("HERALD_ADMIN_TOKEN")) : option("token");
        window.setLink(factory.createRemote(QUrl::fromUserInput(option("attach")), token));
    } else {
        window.runEmbedded(); // on failure it says why and offers to attach instead
    }
    window.show();

    if (!option("screenshot").isEmpty()) {
        const int clients = option("demo-clients").isEmpty() ? 5 : option("demo-clients").toInt();
        auto *director = new ScreenshotDirector(&window, option("screenshot"), clients, &app);
        director->start();
    }
    return app.exec();
}
