// The admin console's real widgets (offscreen), driven with QTest against an embedded server and against a
// spawned herald-server, with real WebSocket clients on the other end.

#include "Server.h"
#include "app/MainWindow.h"
#include "app/Translations.h"
#include "link/EmbeddedLink.h"
#include "link/LinkFactory.h"
#include "link/RemoteLink.h"
#include "models/ClientTableModel.h"
#include "panels/ClientTablePanel.h"
#include "panels/ComposerPanel.h"
#include "panels/SettingsDialog.h"
#include "panels/ShutdownDialog.h"
#include "support/ServerProcess.h"
#include "support/TestClient.h"

#include <QAction>
#include <QComboBox>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolBar>

using namespace herald;
using namespace herald::console;
using namespace herald::test;

namespace {
const QString Token = QStringLiteral("console-test-admin-token");
}

class AdminConsoleTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<LinkFactory> m_factory;
    std::unique_ptr<MainWindow> m_window;
    QList<TestClient *> m_clients;

    EmbeddedLink *embedded() const { return qobject_cast<EmbeddedLink *>(m_window->link()); }
    QUrl clientUrl() const { return QUrl(QStringLiteral("ws://127.0.0.1:%1/ws").arg(embedded()->server()->port())); }
    TestClient *connectClient(const QUrl &url)
    {
        auto *client = new TestClient(this);
        m_clients.append(client);
        return client->connectTo(url) ? client : nullptr;
    }
    // Clicks the client's row in the table, as an operator would.
    void clickRowOf(const QString &clientId)
    {
        QTableView *view = m_window->clientTable()->view();
        for (int row = 0; row < view->model()->rowCount(); ++row) {
            const QModelIndex index = view->model()->index(row, ClientTableModel::Id);
            if (index.data(ClientTableModel::ClientIdRole).toString() == clientId) {
                view->scrollTo(index);
                QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(index).center());
                return;
            }
        }
        QFAIL("client not in the table");
    }
    void compose(const QString &message, const QString &type)
    {
        ComposerPanel *composer = m_window->composer();
        composer->messageEdit()->clear();
        QTest::keyClicks(composer->messageEdit(), message);
        composer->typeBox()->setEditText(type);
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // QSettings writes go to a test location
        QCoreApplication::setOrganizationName(QStringLiteral("HeraldTest"));
    }

    void init()
    {
        m_factory = std::make_unique<LinkFactory>(
            QStringList{"herald-admin", "--host", "127.0.0.1", "--port", "0", "--notification-interval", "0",
                        "--ping-interval", "0", "--shutdown-timeout", "30", "--log-dir", m_dir.filePath("logs")},
            QHash<QString, QString>{}, m_dir.path(), QList<QCommandLineOption>{});
        m_window = std::make_unique<MainWindow>(m_factory.get());
        QString error;
        EmbeddedLink *link = m_factory->createEmbedded(&error);
        QVERIFY2(link, qPrintable(error));
        m_window->setLink(link);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void cleanup()
    {
        qDeleteAll(m_clients);
        m_clients.clear();
        m_window.reset();
        m_factory.reset();
    }

    void tableShowsEveryConnectedClient()
    {
        TestClient *a = connectClient(clientUrl());
        TestClient *b = connectClient(clientUrl());
        TestClient *c = connectClient(clientUrl());
        QVERIFY(a && b && c);
        ClientTableModel *model = m_window->clientModel();
        QTRY_COMPARE(model->rowCount(), 3);
        for (TestClient *client : {a, b, c})
            QVERIFY2(model->rowOf(client->clientId()) >= 0, qPrintable(client->clientId()));
    }

    void aClientAnnouncedTwiceIsOneRow()
    {
        const auto row = [](const QString &id, qint64 messagesOut) {
            return QJsonObject{{"id", id}, {"remote", "127.0.0.1:1"}, {"messages_out", messagesOut}};
        };
        ClientTableModel model;
        model.resetClients({row("a", 1)});
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.applyChanges({row("a", 5), row("b", 0), row("b", 0)}, {}, {});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(model.index(0, ClientTableModel::MessagesOut).data(ClientTableModel::SortRole).toLongLong(), 5);
        QCOMPARE(model.index(1, ClientTableModel::Id).data(ClientTableModel::ClientIdRole).toString(),
                 QStringLiteral("b"));
    }

    void rowGoesWhenItsClientLeaves()
    {
        TestClient *stays = connectClient(clientUrl());
        TestClient *leaves = connectClient(clientUrl());
        QVERIFY(stays && leaves);
        QTRY_COMPARE(m_window->clientModel()->rowCount(), 2);
        leaves->close();
        QTRY_COMPARE(m_window->clientModel()->rowCount(), 1);
        QVERIFY(m_window->clientModel()->rowOf(stays->clientId()) >= 0);
        QCOMPARE(m_window->clientModel()->rowOf(leaves->clientId()), -1);
    }

    void sendReachesEveryClient()
    {
        QList<TestClient *> clients{connectClient(clientUrl()), connectClient(clientUrl()), connectClient(clientUrl())};
        QVERIFY(!clients.contains(nullptr));
        QTRY_COMPARE(m_window->clientModel()->rowCount(), 3);
        compose(QStringLiteral("Maintenance at noon"), QStringLiteral("maintenance"));
        ComposerPanel *composer = m_window->composer();
        QVERIFY2(composer->sendButton()->isEnabled(), qPrintable(composer->disabledReason()));
        QTest::mouseClick(composer->sendButton(), Qt::LeftButton);
        for (TestClient *client : clients)
            QCOMPARE(client->waitFor("maintenance").value("message").toString(), QStringLiteral("Maintenance at noon"));
        QTRY_COMPARE(composer->history()->count(), 1);
        QVERIFY(composer->history()->item(0)->text().contains("3"));
        // The feed's next stats update shows in the table: welcome + this notification.
        ClientTableModel *model = m_window->clientModel();
        const int row = model->rowOf(clients.first()->clientId());
        QTRY_COMPARE(model->index(row, ClientTableModel::MessagesOut).data(ClientTableModel::SortRole).toLongLong(), 2);
        QVERIFY(m_window->statusBar()->currentMessage().contains("3"));
        QCOMPARE(composer->typeBox()->itemText(0), QStringLiteral("maintenance")); // remembered
    }

    void sendToTheSelectedRowOnly()
    {
        TestClient *a = connectClient(clientUrl());
        TestClient *chosen = connectClient(clientUrl());
        TestClient *c = connectClient(clientUrl());
        QVERIFY(a && chosen && c);
        QTRY_COMPARE(m_window->clientModel()->rowCount(), 3);
        clickRowOf(chosen->clientId());
        QCOMPARE(m_window->clientTable()->selectedClientIds(), QStringList{chosen->clientId()});
        ComposerPanel *composer = m_window->composer();
        QVERIFY(composer->selectedTargetButton()->isEnabled());
        QTest::mouseClick(composer->selectedTargetButton(), Qt::LeftButton);
        QVERIFY(composer->selectedTargetButton()->isChecked());
        compose(QStringLiteral("Only for you"), QStringLiteral("direct"));
        QTest::mouseClick(composer->sendButton(), Qt::LeftButton);
        QCOMPARE(chosen->waitFor("direct").value("message").toString(), QStringLiteral("Only for you"));
        QVERIFY(a->waitFor("direct", 300).isEmpty());
        QVERIFY(c->waitFor("direct", 10).isEmpty());
    }

    void invalidJsonDisablesSendAndSaysWhy()
    {
        QVERIFY(connectClient(clientUrl()));
        compose(QStringLiteral("With data"), QStringLiteral("notification"));
        ComposerPanel *composer = m_window->composer();
        QVERIFY(composer->sendButton()->isEnabled());
        QTest::keyClicks(composer->dataEdit(), QStringLiteral("{\"build\": 42,"));
        QVERIFY(!composer->sendButton()->isEnabled());
        QVERIFY2(composer->disabledReason().contains("JSON"), qPrintable(composer->disabledReason()));
        QVERIFY(composer->sendButton()->toolTip().contains("JSON"));
        QVERIFY(!composer->dataEdit()->extraSelections().isEmpty()); // the error position is marked
        QTest::keyClick(composer->dataEdit(), Qt::Key_Backspace);
        QTest::keyClicks(composer->dataEdit(), QStringLiteral("}"));
        QVERIFY2(composer->sendButton()->isEnabled(), qPrintable(composer->disabledReason()));

        composer->dataEdit()->setPlainText(QStringLiteral("[1, 2]"));
        QVERIFY(!composer->sendButton()->isEnabled());
        composer->dataEdit()->clear();
        composer->messageEdit()->clear();
        QVERIFY(!composer->sendButton()->isEnabled());
        QVERIFY(!composer->disabledReason().isEmpty());
    }

    void shutdownButtonConfirmsThenDrains()
    {
        TestClient *a = connectClient(clientUrl());
        TestClient *b = connectClient(clientUrl());
        QVERIFY(a && b);
        QTRY_COMPARE(m_window->clientModel()->rowCount(), 2);

        m_window->shutdownAction()->trigger();
        QTRY_VERIFY(m_window->shutdownConfirmation() && m_window->shutdownConfirmation()->isVisible());
        QTest::mouseClick(m_window->shutdownConfirmation()->button(QMessageBox::Yes), Qt::LeftButton);

        QCOMPARE(a->waitFor("shutdown").value("reason").toString(), QStringLiteral("admin console"));
        QVERIFY(!b->waitFor("shutdown").isEmpty());
        QTRY_VERIFY(m_window->shutdownDialog() && m_window->shutdownDialog()->isVisible());
        QTRY_VERIFY(m_window->shutdownDialog()->closeAllButton()->isEnabled());
        QTRY_COMPARE(m_window->shutdownDialog()->remainingClients(), 2);

        a->close();
        QTRY_COMPARE(m_window->shutdownDialog()->remainingClients(), 1);
        QTest::mouseClick(m_window->shutdownDialog()->closeAllButton(), Qt::LeftButton); // the rest, now
        QVERIFY(b->waitForDisconnected());
        QCOMPARE(b->closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
        QTRY_COMPARE(m_window->link()->state(), ServerLink::State::Stopped);
    }

    void cancellingTheConfirmationChangesNothing()
    {
        TestClient *client = connectClient(clientUrl());
        QVERIFY(client);
        m_window->shutdownAction()->trigger();
        QTRY_VERIFY(m_window->shutdownConfirmation());
        QTest::mouseClick(m_window->shutdownConfirmation()->button(QMessageBox::Cancel), Qt::LeftButton);
        QVERIFY(client->waitFor("shutdown", 300).isEmpty());
        QCOMPARE(embedded()->server()->shutdownCoordinator()->state(), ShutdownCoordinator::State::Running);
    }

    void settingsAreCheckedSavedToDotEnvAndRestartTheServer()
    {
        QVERIFY(connectClient(clientUrl()));
        QAction *settings = nullptr;
        for (QAction *action : m_window->findChildren<QAction *>())
            if (action->shortcut() == QKeySequence(Qt::CTRL | Qt::Key_Comma))
                settings = action;
        QVERIFY(settings && settings->isEnabled());
        settings->trigger();
        SettingsDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = m_window->findChild<SettingsDialog *>()) && dialog->isVisible());

        // Flags win over .env: the port, set by --port here, cannot be edited.
        QVERIFY(dialog->field("PORT")->isReadOnly());
        QLineEdit *maxConnections = dialog->field("MAX_CONNECTIONS");
        QVERIFY(!maxConnections->isReadOnly());
        maxConnections->setText("zero");
        QVERIFY(!dialog->saveButton()->isEnabled());
        maxConnections->setText("7");
        QVERIFY(dialog->saveButton()->isEnabled());
        QTest::mouseClick(dialog->saveButton(), Qt::LeftButton);

        QFile dotEnv(m_dir.filePath(".env"));
        QVERIFY(dotEnv.open(QIODevice::ReadOnly));
        QVERIFY(dotEnv.readAll().contains("MAX_CONNECTIONS=7"));
        QTRY_VERIFY(embedded() && embedded()->server()->config().maxConnections == 7);
        QCOMPARE(m_window->link()->state(), ServerLink::State::Connected);
        QFile::remove(m_dir.filePath(".env"));
    }

    void toolbarIconsComeFromResources()
    {
        const QList<QToolBar *> toolBars = m_window->findChildren<QToolBar *>();
        QVERIFY(!toolBars.isEmpty());
        int withIcons = 0;
        for (QAction *action : toolBars.first()->actions()) {
            if (action->isSeparator())
                continue;
            QVERIFY2(!action->icon().pixmap(24).isNull(), qPrintable(action->text()));
            QVERIFY(!action->shortcut().isEmpty());
            ++withIcons;
        }
        QCOMPARE(withIcons, 5);
        QVERIFY(!m_window->clientTable()->view()->accessibleName().isEmpty());
        QVERIFY(m_window->minimumSize().width() >= 800);
    }

    void attachedConsoleWatchesAndCommandsARemoteServer()
    {
        ServerProcess server;
        QVERIFY2(server.start({"--host", "127.0.0.1", "--port", "0", "--notification-interval", "0"},
                              {QStringLiteral("ADMIN_TOKEN=") + Token}, m_dir.path()),
                 qPrintable(server.output()));
        m_window->setLink(m_factory->createRemote(server.httpUrl(QString()), Token));
        QTRY_COMPARE(m_window->link()->state(), ServerLink::State::Connected);

        TestClient *a = connectClient(server.webSocketUrl());
        TestClient *b = connectClient(server.webSocketUrl());
        QVERIFY(a && b);
        QTRY_COMPARE(m_window->clientModel()->rowCount(), 2);
        QVERIFY(m_window->clientModel()->rowOf(a->clientId()) >= 0);

        compose(QStringLiteral("From afar"), QStringLiteral("remote"));
        QTRY_VERIFY(m_window->composer()->sendButton()->isEnabled());
        QTest::mouseClick(m_window->composer()->sendButton(), Qt::LeftButton);
        QVERIFY(!a->waitFor("remote").isEmpty());
        QVERIFY(!b->waitFor("remote").isEmpty());
        QTRY_COMPARE(m_window->composer()->history()->count(), 1);
        QVERIFY(m_window->composer()->history()->item(0)->text().contains("2"));

        b->close();
        QTRY_COMPARE(m_window->clientModel()->rowCount(), 1);
    }

    void wrongTokenIsRefusedAndShown()
    {
        ServerProcess server;
        QVERIFY2(server.start({"--host", "127.0.0.1", "--port", "0"}, {QStringLiteral("ADMIN_TOKEN=") + Token},
                              m_dir.path()),
                 qPrintable(server.output()));
        m_window->setLink(m_factory->createRemote(server.httpUrl(QString()), QStringLiteral("not-the-right-token")));
        QTRY_COMPARE(m_window->link()->state(), ServerLink::State::Refused);
        QCOMPARE(m_window->clientModel()->rowCount(), 0);
        QVERIFY(!m_window->composer()->sendButton()->isEnabled());
        const QList<QLabel *> labels = m_window->statusBar()->findChildren<QLabel *>();
        const bool shown = std::any_of(labels.cbegin(), labels.cend(),
                                       [](const QLabel *label) { return label->text().contains("Refused"); });
        QVERIFY(shown);
    }

    void germanLocaleShowsGermanStrings()
    {
        Translations translations;
        QVERIFY(translations.install(QLocale(QLocale::German, QLocale::Germany)));
        MainWindow german(m_factory.get());
        QCOMPARE(german.windowTitle(), QStringLiteral("Herald-Verwaltungskonsole"));
        QCOMPARE(german.shutdownAction()->text(), QStringLiteral("Geordnet &herunterfahren …"));
        QCOMPARE(german.menuBar()->actions().first()->text(), QStringLiteral("&Server"));
        QCOMPARE(german.composer()->sendButton()->text(), QStringLiteral("&Senden"));
        QVERIFY(translations.install(QLocale(QLocale::English)) == false); // English is the source language
        MainWindow english(m_factory.get());
        QCOMPARE(english.windowTitle(), QStringLiteral("Herald Admin Console"));
    }
};

QTEST_MAIN(AdminConsoleTest)
#include "tst_admin_console.moc"
