// The admin console's real widgets (offscreen), driven with QTest against an embedded server and against a
// spawned herald-server, with real WebSocket clients on the other end.

#include "Server.h"
#include "app/MainWindow.h"
#include "app/Translations.h"
#include "link/EmbeddedLink.h"
#include "link/LinkFactory.h"
#include "link/LocalService.h"
#include "link/RemoteLink.h"
#include "models/ClientTableModel.h"
#include "models/LogTableModel.h"
#include "panels/ClientTablePanel.h"
#include "panels/ComposerPanel.h"
#include "panels/LogPanel.h"
#include "panels/SettingsDialog.h"
#include "panels/ShutdownDialog.h"
#include "state/ConsoleState.h"
#include "support/ClientTokens.h"
#include "support/HttpClient.h"
#include "support/RedisProcess.h"
#include "support/ServerProcess.h"
#include "support/TestClient.h"
#include "text/Formats.h"
#include "text/ServerMessages.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QToolBar>
#include <csignal>

using namespace herald;
using namespace herald::console;
using namespace herald::test;

namespace {
const QString Token = QStringLiteral("console-test-admin-token");
using Phase = ConsoleState::Phase;

// A port nobody listens on right now, for servers that must come back on the same one.
quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}
} // namespace

class AdminConsoleTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<LinkFactory> m_factory;
    std::unique_ptr<MainWindow> m_window;
    QList<TestClient *> m_clients;
    Translations m_translations; // English: "1 client", "2 clients"

    EmbeddedLink *embedded() const { return qobject_cast<EmbeddedLink *>(m_window->link()); }
    QUrl clientUrl() const { return QUrl(QStringLiteral("ws://127.0.0.1:%1/ws").arg(embedded()->port())); }
    Phase phase() const { return m_window->consoleState()->phase(); }
    QStringList embeddedArguments(quint16 port = 0) const
    {
        return {"herald-admin",
                "--host",
                "127.0.0.1",
                "--port",
                QString::number(port),
                "--notification-interval",
                "0",
                "--ping-interval",
                "0",
                "--shutdown-timeout",
                "30",
                "--log-dir",
                m_dir.filePath("logs")};
    }
    // Replaces the window's embedded server by one made from these flags.
    void restartWith(const QStringList &arguments, const QHash<QString, QString> &environment = {})
    {
        m_window->setLink(nullptr);
        m_factory = std::make_unique<LinkFactory>(arguments, environment, m_dir.path(), QList<QCommandLineOption>{});
        m_window = std::make_unique<MainWindow>(m_factory.get(), MainWindow::Layout::Default);
        m_window->show();
        m_window->runEmbedded();
    }
    void confirmShutdown()
    {
        m_window->shutdownAction()->trigger();
        QTRY_VERIFY(m_window->shutdownConfirmation() && m_window->shutdownConfirmation()->isVisible());
        QTest::mouseClick(m_window->shutdownConfirmation()->button(QMessageBox::Yes), Qt::LeftButton);
        QTRY_VERIFY(m_window->shutdownDialog() && m_window->shutdownDialog()->isVisible());
    }
    bool startRemote(ServerProcess &server, const QStringList &extra = {})
    {
        const bool started = server.start(QStringList{"--host", "127.0.0.1", "--notification-interval", "0"} + extra,
                                          {QStringLiteral("ADMIN_TOKEN=") + Token}, m_dir.path());
        if (!started)
            qWarning("%s", qPrintable(server.output()));
        return started;
    }
    void attachTo(const ServerProcess &server)
    {
        m_window->setLink(m_factory->createRemote(server.httpUrl(QString()), Token));
    }
    // A herald-server (SHUTDOWN_TIMEOUT 30 s) watched by the console, with two clients in the table.
    bool attachWithTwoClients(ServerProcess &server, TestClient **a, TestClient **b)
    {
        if (!startRemote(server, {"--port", "0", "--shutdown-timeout", "30"}))
            return false;
        attachTo(server);
        *a = connectClient(server.webSocketUrl());
        *b = connectClient(server.webSocketUrl());
        return *a && *b && QTest::qWaitFor([this] { return m_window->clientModel()->rowCount() == 2; }, 5000);
    }
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
        QVERIFY(m_translations.install(QLocale(QLocale::English)));
    }

    void init()
    {
        m_factory = std::make_unique<LinkFactory>(embeddedArguments(), QHash<QString, QString>{}, m_dir.path(),
                                                  QList<QCommandLineOption>{});
        m_window = std::make_unique<MainWindow>(m_factory.get(), MainWindow::Layout::Default);
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
        const auto row = [](const QString &id, qint64 number, qint64 messagesOut) {
            return QJsonObject{{"n", number}, {"id", id}, {"remote", "127.0.0.1:1"}, {"messages_out", messagesOut}};
        };
        ClientTableModel model;
        model.resetClients({row("a", 1, 1)});
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.applyChanges({row("a", 1, 5), row("b", 2, 0), row("b", 2, 0)}, {}, {}, {});
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
        // The target follows the selection, visibly, without the operator choosing it.
        QVERIFY(composer->selectedTargetButton()->isChecked());
        QVERIFY(composer->selectedTargetButton()->text().contains("1"));
        compose(QStringLiteral("Only for you"), QStringLiteral("direct"));
        QTest::mouseClick(composer->sendButton(), Qt::LeftButton);
        QCOMPARE(chosen->waitFor("direct").value("message").toString(), QStringLiteral("Only for you"));
        QVERIFY(a->waitFor("direct", 300).isEmpty());
        QVERIFY(c->waitFor("direct", 10).isEmpty());
    }

    void sendToAChannelAndToAUser()
    {
        restartWith(embeddedArguments() + QStringList{"--public-channels", "orders.*"},
                    {{"CLIENT_JWT_SECRET", QString::fromLatin1(ClientTokenSecret)}});
        QTRY_COMPARE(phase(), Phase::Running);
        const QUrl url = clientUrl();
        TestClient *subscriber = connectClient(withToken(url, tokenFor("bob")));
        TestClient *aliceTab = connectClient(withToken(url, tokenFor("alice")));
        TestClient *alicePhone = connectClient(withToken(url, tokenFor("alice")));
        QVERIFY(subscriber && aliceTab && alicePhone);
        QCOMPARE(subscriber->subscribe("orders.42"), QStringLiteral("subscribed"));
        QTRY_COMPARE(m_window->clientModel()->rowCount(), 3);
        ComposerPanel *composer = m_window->composer();

        // Typing a channel chooses that target; a bad name says why Send is disabled.
        compose(QStringLiteral("Order 42 shipped"), QStringLiteral("order"));
        QTest::keyClicks(composer->channelsEdit(), QStringLiteral("orders 42"));
        QVERIFY(composer->channelTargetButton()->isChecked());
        composer->channelsEdit()->setText(QStringLiteral("orders.42, not ok!"));
        QVERIFY(!composer->sendButton()->isEnabled());
        QVERIFY(composer->disabledReason().contains("channel"));
        composer->channelsEdit()->setText(QStringLiteral("orders.42"));
        QVERIFY2(composer->sendButton()->isEnabled(), qPrintable(composer->disabledReason()));
        QTest::mouseClick(composer->sendButton(), Qt::LeftButton);
        const QJsonObject order = subscriber->waitFor("order");
        QCOMPARE(order.value("channel").toString(), QStringLiteral("orders.42"));
        QVERIFY(aliceTab->waitFor("order", 300).isEmpty());
        QTRY_COMPARE(composer->history()->count(), 1);
        QVERIFY(composer->history()->item(0)->text().contains("#orders.42"));

        // To a user: every connection of theirs.
        compose(QStringLiteral("Hello Alice"), QStringLiteral("dm"));
        QTest::keyClicks(composer->usersEdit(), QStringLiteral("alice"));
        QVERIFY(composer->userTargetButton()->isChecked());
        QVERIFY2(composer->sendButton()->isEnabled(), qPrintable(composer->disabledReason()));
        QTest::mouseClick(composer->sendButton(), Qt::LeftButton);
        QVERIFY(!aliceTab->waitFor("dm").isEmpty());
        QVERIFY(!alicePhone->waitFor("dm").isEmpty());
        QVERIFY(subscriber->waitFor("dm", 300).isEmpty());
        QTRY_COMPARE(composer->history()->count(), 2);
        QVERIFY2(composer->history()->item(0)->text().contains("2 clients"),
                 qPrintable(composer->history()->item(0)->text()));
    }

    void theSentListCountsAcknowledgementsLive()
    {
        QTRY_COMPARE(phase(), Phase::Running);
        TestClient *first = connectClient(clientUrl());
        TestClient *second = connectClient(clientUrl());
        QVERIFY(first && second);
        QTRY_COMPARE(m_window->clientModel()->rowCount(), 2);
        ComposerPanel *composer = m_window->composer();
        compose(QStringLiteral("Please confirm"), QStringLiteral("confirm"));
        composer->ackBox()->setChecked(true);
        QTest::mouseClick(composer->sendButton(), Qt::LeftButton);
        const QJsonObject received = first->waitFor("confirm");
        QCOMPARE(received.value("ack").toBool(), true);
        QTRY_VERIFY2(composer->history()->item(0) &&
                         composer->history()->item(0)->text().contains("0 of 2 acknowledged"),
                     qPrintable(composer->history()->count() ? composer->history()->item(0)->text() : QString()));
        first->send({{"type", "ack"}, {"id", received.value("id").toString()}});
        QTRY_VERIFY2(composer->history()->item(0)->text().contains("1 of 2 acknowledged"),
                     qPrintable(composer->history()->item(0)->text()));
        second->send({{"type", "ack"}, {"id", received.value("id").toString()}});
        QTRY_VERIFY(composer->history()->item(0)->text().contains("2 of 2 acknowledged"));
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
        // The question names the server and its timeout in words.
        const QString question = m_window->shutdownConfirmation()->text();
        QVERIFY2(question.contains(QStringLiteral("127.0.0.1:%1").arg(embedded()->port())), qPrintable(question));
        QVERIFY2(question.contains("30 seconds"), qPrintable(question));
        QTest::mouseClick(m_window->shutdownConfirmation()->button(QMessageBox::Yes), Qt::LeftButton);

        QCOMPARE(a->waitFor("shutdown").value("reason").toString(), QStringLiteral("admin console"));
        QVERIFY(!b->waitFor("shutdown").isEmpty());
        QTRY_VERIFY(m_window->shutdownDialog() && m_window->shutdownDialog()->isVisible());
        QTRY_COMPARE(phase(), Phase::ShuttingDown);
        QCOMPARE(m_window->consoleState()->step(), 4);
        QVERIFY(!m_window->composer()->sendButton()->isEnabled());
        QVERIFY(!m_window->embeddedAction()->isEnabled());
        QTRY_VERIFY(m_window->shutdownDialog()->closeAllButton()->isEnabled());
        QTRY_COMPARE(m_window->shutdownDialog()->remainingClients(), 2);

        a->close();
        QTRY_COMPARE(m_window->shutdownDialog()->remainingClients(), 1);
        QTest::mouseClick(m_window->shutdownDialog()->closeAllButton(), Qt::LeftButton); // the rest, now
        QVERIFY(b->waitForDisconnected());
        QCOMPARE(b->closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
        QTRY_COMPARE(phase(), Phase::Stopped);
        QVERIFY(m_window->shutdownDialog()->doneButton()->isEnabled());
        QCOMPARE(m_window->shutdownDialog()->outcomeText(), QStringLiteral("The server has shut down."));
        QVERIFY(m_window->statusText().contains("stopped"));
        QVERIFY(!m_window->shutdownAction()->isEnabled());
        QVERIFY(m_window->embeddedAction()->isEnabled());
    }

    void afterAShutdownTheServerStartsAgainOnTheSamePort()
    {
        const quint16 port = freePort();
        restartWith(embeddedArguments(port));
        QTRY_COMPARE(phase(), Phase::Running);
        QVERIFY(!m_window->embeddedAction()->isEnabled()); // one runs already
        confirmShutdown();
        QTRY_COMPARE(phase(), Phase::Stopped); // no clients: nothing to wait for

        // The port is free, so nothing answers there now ...
        HttpClient http;
        const QUrl health(QStringLiteral("http://127.0.0.1:%1/health").arg(port));
        QCOMPARE(http.get(health, 1000).status, 0);
        // ... and Run Embedded Server binds it again.
        QVERIFY(m_window->embeddedAction()->isEnabled());
        m_window->embeddedAction()->trigger();
        QTRY_COMPARE(phase(), Phase::Running);
        QCOMPARE(embedded()->port(), port);
        QCOMPARE(http.get(health).status, 200);
        QVERIFY(connectClient(clientUrl()));
        QTRY_COMPARE(m_window->clientModel()->rowCount(), 1);
    }

    void cancellingTheConfirmationChangesNothing()
    {
        TestClient *client = connectClient(clientUrl());
        QVERIFY(client);
        m_window->shutdownAction()->trigger();
        QTRY_VERIFY(m_window->shutdownConfirmation());
        QTest::mouseClick(m_window->shutdownConfirmation()->button(QMessageBox::Cancel), Qt::LeftButton);
        QVERIFY(client->waitFor("shutdown", 300).isEmpty());
        QCOMPARE(phase(), Phase::Running);
        QVERIFY(!m_window->shutdownDialog());
    }

    void settingsAreCheckedSavedToDotEnvAndRestartTheServerGracefully()
    {
        TestClient *a = connectClient(clientUrl());
        TestClient *b = connectClient(clientUrl());
        QVERIFY(a && b);
        QTRY_COMPARE(m_window->clientModel()->rowCount(), 2);
        // Well-behaved clients leave when told, so the restart does not wait out its drain.
        for (TestClient *client : {a, b})
            connect(&client->socket(), &QWebSocket::textMessageReceived, client, [client](const QString &text) {
                if (text.contains("\"type\":\"shutdown\""))
                    client->close();
            });
        QAction *settings = m_window->settingsAction();
        QVERIFY(settings->isEnabled());
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

        // The clients were told, with the restart as the reason, and the operator sees the drain.
        QCOMPARE(a->waitFor("shutdown").value("reason").toString(), QStringLiteral("restart: settings changed"));
        QVERIFY(!b->waitFor("shutdown").isEmpty());
        QVERIFY(m_window->shutdownDialog());
        QTRY_VERIFY(embedded() && embedded()->config().maxConnections == 7);
        QTRY_COMPARE(phase(), Phase::Running);

        // The new server writes to the log file as the old one did.
        QFile log(m_dir.filePath("logs/herald.log"));
        const qint64 before = QFileInfo(log).size();
        TestClient *after = connectClient(clientUrl());
        QVERIFY(after);
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(log.fileName()).size() > before, 5000);
        QVERIFY(log.open(QIODevice::ReadOnly));
        QVERIFY(log.readAll().contains(after->clientId().toUtf8()));
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

    // An event-stream client is a row like any other, and the transport column shows once one is listed.
    void anEventStreamClientShowsItsTransport()
    {
        QVERIFY(connectClient(clientUrl()));
        QTcpSocket listener;
        listener.connectToHost(QStringLiteral("127.0.0.1"), embedded()->port());
        QTRY_COMPARE(listener.state(), QAbstractSocket::ConnectedState);
        listener.write("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        ClientTableModel *model = m_window->clientModel();
        QTRY_COMPARE(model->rowCount(), 2);
        QStringList transports;
        for (int row = 0; row < model->rowCount(); ++row)
            transports << model->index(row, ClientTableModel::Transport).data().toString();
        transports.sort();
        QCOMPARE(transports, (QStringList{"sse", "websocket"}));
        QTableView *view = m_window->clientTable()->view();
        QTRY_VERIFY(!view->isColumnHidden(ClientTableModel::Transport));
        listener.abort();
        QTRY_COMPARE(model->rowCount(), 1);
        QTRY_VERIFY(view->isColumnHidden(ClientTableModel::Transport));
    }

    void everyColumnFitsAtTheDefaultSize()
    {
        QList<TestClient *> clients;
        for (int i = 0; i < 3; ++i)
            QVERIFY(connectClient(clientUrl()));
        QTRY_COMPARE(m_window->clientModel()->rowCount(), 3);
        QCOMPARE(m_window->size(), QSize(1200, 760));
        QTableView *view = m_window->clientTable()->view();
        // All but the instance column, which a cluster shows, and the transport column, which event streams show.
        QCOMPARE(view->horizontalHeader()->hiddenSectionCount(), 2);
        QVERIFY(view->isColumnHidden(ClientTableModel::Instance));
        QVERIFY(view->isColumnHidden(ClientTableModel::Transport));
        QTRY_COMPARE(view->horizontalScrollBar()->maximum(), 0);
        // The id is shortened in its cell and whole in its tooltip and the filter.
        const QModelIndex id = view->model()->index(0, ClientTableModel::Id);
        QVERIFY(id.data().toString().size() < id.data(ClientTableModel::ClientIdRole).toString().size());
        m_window->clientTable()->filterEdit()->setText(id.data(ClientTableModel::ClientIdRole).toString());
        QCOMPARE(view->model()->rowCount(), 1);
    }

    void countsStayRightWhenHiddenRowsGo()
    {
        ClientTableModel model;
        ClientTablePanel panel(&model);
        QJsonArray rows;
        for (int i = 1; i <= 6; ++i)
            rows.append(QJsonObject{{"n", i}, {"id", QStringLiteral("client-%1").arg(i)}, {"remote", "10.0.0.1:1"}});
        model.resetClients(rows);
        QCOMPARE(panel.countText(), QStringLiteral("6 clients"));
        panel.filterEdit()->setText("client-1"); // shows one of six
        QCOMPARE(panel.countText(), QStringLiteral("1 of 6 clients shown"));
        model.applyChanges({}, {"client-2", "client-3"}, {}, {}); // both hidden by the filter
        QCOMPARE(panel.countText(), QStringLiteral("1 of 4 clients shown"));
        panel.filterEdit()->clear();
        model.applyChanges({}, {"client-1"}, {}, {});
        QCOMPARE(panel.countText(), QStringLiteral("3 clients"));
    }

    void trafficDeltasApplyByFeedNumber()
    {
        ClientTableModel model;
        QJsonArray rows;
        for (int i = 1; i <= 4; ++i)
            rows.append(QJsonObject{{"n", i}, {"id", QStringLiteral("c%1").arg(i)}, {"messages_out", 1}});
        model.resetClients(rows);
        model.applyChanges({}, {"c3"}, {}, {});
        // One broadcast to everyone: one group, one range, spanning the number of the client that left.
        model.applyChanges({}, {}, {QJsonObject{{"by", QJsonArray{0, 1, 0, 57}}, {"ranges", QJsonArray{1, 4}}}},
                           {QJsonArray{2, 17}});
        const auto cell = [&](const QString &id, int column) {
            return model.index(model.rowOf(id), column).data(ClientTableModel::SortRole).toLongLong();
        };
        for (const QString &id : {QStringLiteral("c1"), QStringLiteral("c2"), QStringLiteral("c4")}) {
            QCOMPARE(cell(id, ClientTableModel::MessagesOut), 2);
            QCOMPARE(cell(id, ClientTableModel::BytesOut), 57);
        }
        QCOMPARE(cell("c2", ClientTableModel::RoundTrip), 17);
        QCOMPARE(cell("c1", ClientTableModel::RoundTrip), -1);
    }

    void sendingToEveryoneWhileRowsAreSelectedAsksFirst()
    {
        TestClient *a = connectClient(clientUrl());
        TestClient *b = connectClient(clientUrl());
        QVERIFY(a && b);
        QTRY_COMPARE(m_window->clientModel()->rowCount(), 2);
        clickRowOf(a->clientId());
        ComposerPanel *composer = m_window->composer();
        QVERIFY(composer->selectedTargetButton()->isChecked());
        QTest::mouseClick(composer->allTargetButton(), Qt::LeftButton); // the operator picks everyone anyway
        compose(QStringLiteral("For all"), QStringLiteral("everyone"));
        QTest::mouseClick(composer->sendButton(), Qt::LeftButton);
        QTRY_VERIFY(composer->allClientsConfirmation() && composer->allClientsConfirmation()->isVisible());
        QTest::mouseClick(composer->allClientsConfirmation()->button(QMessageBox::Cancel), Qt::LeftButton);
        QVERIFY(a->waitFor("everyone", 300).isEmpty());
        QCOMPARE(m_window->clientTable()->selectedClientIds().size(), 1);
        QVERIFY(composer->allTargetButton()->isChecked());
        QVERIFY(composer->sendButton()->isEnabled());
        QTest::mouseClick(composer->sendButton(), Qt::LeftButton);
        QTRY_VERIFY(composer->allClientsConfirmation() && composer->allClientsConfirmation()->isVisible());
        QTest::mouseClick(composer->allClientsConfirmation()->button(QMessageBox::Yes), Qt::LeftButton);
        QVERIFY(!a->waitFor("everyone").isEmpty());
        QVERIFY(!b->waitFor("everyone").isEmpty());
        // Clearing the selection takes the target back to everyone.
        m_window->clientTable()->view()->clearSelection();
        QVERIFY(composer->allTargetButton()->isChecked());
        QVERIFY(!composer->selectedTargetButton()->isEnabled());
    }

    void logPanelIsATableWithFiltersAndPause()
    {
        LogPanel *log = m_window->logPanel();
        TestClient *client = connectClient(clientUrl());
        QVERIFY(client);
        const auto rowOf = [&](const QString &event) {
            QAbstractItemModel *shown = log->view()->model();
            for (int row = 0; row < shown->rowCount(); ++row)
                if (shown->index(row, LogTableModel::Event).data().toString() == event)
                    return row;
            return -1;
        };
        QTRY_VERIFY(rowOf("client_connected") >= 0);
        QAbstractItemModel *shown = log->view()->model();
        const int row = rowOf("client_connected");
        QCOMPARE(shown->index(row, LogTableModel::Level).data().toString(), QStringLiteral("INFO"));
        QCOMPARE(shown->index(row, LogTableModel::Client).data().toString(), client->clientId());
        log->view()->setCurrentIndex(shown->index(row, 0));
        QVERIFY2(log->details()->toPlainText().contains("\"remote\""), qPrintable(log->details()->toPlainText()));

        log->levelFilter()->setCurrentText("WARNING");
        QCOMPARE(rowOf("client_connected"), -1);
        log->levelFilter()->setCurrentText("INFO");
        log->textFilter()->setText("no record says this");
        QCOMPARE(shown->rowCount(), 0);
        log->textFilter()->clear();

        log->pauseButton()->click();
        const int before = log->model()->rowCount();
        QVERIFY(connectClient(clientUrl()));
        QTRY_VERIFY(log->heldCount() > 0);
        QCOMPARE(log->model()->rowCount(), before);
        log->pauseButton()->click();
        QVERIFY(log->model()->rowCount() > before);
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

    void attachedToOneInstanceTheConsoleShowsTheWholeCluster()
    {
        RedisProcess redis;
        QVERIFY2(redis.start(), qPrintable(redis.output()));
        const QStringList cluster{QStringLiteral("REDIS_URL=") + redis.url(), QStringLiteral("ADMIN_TOKEN=") + Token};
        ServerProcess a, b;
        for (ServerProcess *instance : {&a, &b})
            QVERIFY2(instance->start({"--host", "127.0.0.1", "--port", "0", "--notification-interval", "0"}, cluster,
                                     m_dir.path()),
                     qPrintable(instance->output()));
        attachTo(a);
        TestClient *onA = connectClient(a.webSocketUrl());
        TestClient *onB = connectClient(b.webSocketUrl());
        QVERIFY(onA && onB);
        // B's client arrives with B's next presence snapshot, within a second or two.
        ClientTableModel *model = m_window->clientModel();
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 2, 10000);
        QTableView *view = m_window->clientTable()->view();
        QVERIFY(!view->isColumnHidden(ClientTableModel::Instance));
        const QString instanceOfB =
            model->index(model->rowOf(onB->clientId()), ClientTableModel::Instance).data().toString();
        QVERIFY(instanceOfB.endsWith(QStringLiteral(":%1").arg(b.port())));
        QVERIFY2(m_window->clientTable()->countText().contains(instanceOfB + ": 1"),
                 qPrintable(m_window->clientTable()->countText()));
        QCOMPARE(model->index(model->rowOf(onB->clientId()), ClientTableModel::MessagesOut).data().toString(),
                 QStringLiteral("–")); // its traffic stays on its own instance

        // Sending to the other instance's client, selected in the table, reaches it through Redis.
        clickRowOf(onB->clientId());
        compose(QStringLiteral("Across the cluster"), QStringLiteral("cluster"));
        QTRY_VERIFY(m_window->composer()->sendButton()->isEnabled());
        QTest::mouseClick(m_window->composer()->sendButton(), Qt::LeftButton);
        QCOMPARE(onB->waitFor("cluster").value("message").toString(), QStringLiteral("Across the cluster"));
        QVERIFY(onA->waitFor("cluster", 300).isEmpty());

        // When B's client leaves, its row goes.
        onB->close();
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 1, 10000);
        QVERIFY(view->isColumnHidden(ClientTableModel::Instance));
    }

    void wrongTokenIsRefusedAndShown()
    {
        ServerProcess server;
        QVERIFY2(server.start({"--host", "127.0.0.1", "--port", "0"}, {QStringLiteral("ADMIN_TOKEN=") + Token},
                              m_dir.path()),
                 qPrintable(server.output()));
        m_window->setLink(m_factory->createRemote(server.httpUrl(QString()), QStringLiteral("not-the-right-token")));
        QTRY_COMPARE(phase(), Phase::Refused);
        QCOMPARE(m_window->clientModel()->rowCount(), 0);
        QVERIFY(!m_window->composer()->sendButton()->isEnabled());
        QVERIFY(!m_window->shutdownAction()->isEnabled());
        QVERIFY2(m_window->statusText().contains("refused the admin token"), qPrintable(m_window->statusText()));
        // The console asks for the right token at once, for the same server, and says why.
        QTRY_VERIFY(m_window->attachDialog() && m_window->attachDialog()->isVisible());
        QCOMPARE(m_window->attachDialog()->serverUrl(), server.httpUrl(QString()));
        QVERIFY(m_window->attachDialog()->problem().contains("refused"));
        QVERIFY(m_window->attachDialog()->width() >=
                m_window->attachDialog()->fontMetrics().horizontalAdvance(server.httpUrl(QString()).toString()));
        m_window->attachDialog()->reject();
    }

    void aServerNeverReachedIsUnreachableNotLost()
    {
        m_window->setLink(m_factory->createRemote(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(freePort())), Token));
        QTRY_COMPARE(phase(), Phase::Unreachable);
        QVERIFY2(m_window->statusText().startsWith("Cannot reach"), qPrintable(m_window->statusText()));
        QVERIFY(m_window->clientTable()->staleText().isEmpty()); // nothing was ever shown, so nothing is stale
        QVERIFY(!m_window->composer()->sendButton()->isEnabled());
    }

    void attachedConsoleFollowsARemoteSigtermToStopped()
    {
        ServerProcess server;
        TestClient *a = nullptr, *b = nullptr;
        QVERIFY(attachWithTwoClients(server, &a, &b));
        compose(QStringLiteral("still running"), QStringLiteral("check"));
        QTRY_VERIFY(m_window->composer()->sendButton()->isEnabled());

        server.signal(SIGTERM);
        QTRY_COMPARE(phase(), Phase::ShuttingDown);
        QCOMPARE(m_window->consoleState()->step(), 4);
        // Begun elsewhere, the shutdown is followed in the progress dialog too.
        QTRY_VERIFY(m_window->shutdownDialog() && m_window->shutdownDialog()->isVisible());
        QTRY_COMPARE(m_window->shutdownDialog()->remainingClients(), 2);
        QVERIFY(m_window->statusText().contains("step 4 of 6"));
        QVERIFY(!m_window->composer()->sendButton()->isEnabled());
        QVERIFY(m_window->composer()->disabledReason().contains("shutting down"));
        a->close();
        b->close();
        QTRY_COMPARE(phase(), Phase::Stopped);
        QVERIFY(m_window->statusText().contains("stopped"));
        QCOMPARE(m_window->clientModel()->rowCount(), 0);
        QVERIFY(m_window->shutdownDialog()->doneButton()->isEnabled());
        QVERIFY(server.waitForExit(5000));
        QCOMPARE(server.exitCode(), 0);
        // The server is gone and the console stays at "stopped" while it looks for it to come back.
        QCOMPARE(phase(), Phase::Stopped);
    }

    void attachedLinkLostGoesStaleAndAReconnectBringsAFreshSnapshot()
    {
        const quint16 port = freePort();
        auto server = std::make_unique<ServerProcess>();
        QVERIFY(startRemote(*server, {"--port", QString::number(port)}));
        attachTo(*server);
        TestClient *gone = connectClient(server->webSocketUrl());
        QVERIFY(gone);
        QTRY_COMPARE(m_window->clientModel()->rowCount(), 1);

        server->signal(SIGKILL);
        QVERIFY(server->waitForExit(5000));
        QTRY_COMPARE(phase(), Phase::Reconnecting);
        const QDateTime since = m_window->consoleState()->staleSince();
        QVERIFY(since.isValid());
        QVERIFY(m_window->statusText().contains("stale"));
        QVERIFY(!m_window->clientTable()->staleText().isEmpty());
        QVERIFY(!m_window->composer()->sendButton()->isEnabled());
        // The rows stay, greyed, and their durations stop at the moment the link went.
        ClientTableModel *model = m_window->clientModel();
        QCOMPARE(model->rowCount(), 1);
        const QModelIndex connected = model->index(0, ClientTableModel::ConnectedSince);
        const QDateTime connectedAt = connected.data(ClientTableModel::SortRole).toDateTime();
        QCOMPARE(model->index(0, ClientTableModel::Duration).data(ClientTableModel::SortRole).toLongLong(),
                 connectedAt.secsTo(since.toUTC()));

        server = std::make_unique<ServerProcess>();
        QVERIFY(startRemote(*server, {"--port", QString::number(port)}));
        TestClient *fresh = connectClient(server->webSocketUrl());
        QVERIFY(fresh);
        QTRY_VERIFY_WITH_TIMEOUT(phase() == Phase::Running, 10000); // the retry is at most 2 s away here
        QTRY_COMPARE(model->rowCount(), 1);
        QTRY_VERIFY(model->rowOf(fresh->clientId()) >= 0);
        QCOMPARE(model->rowOf(gone->clientId()), -1);
        QVERIFY(m_window->clientTable()->staleText().isEmpty());
    }

    void attachedCloseAllNowCompletes()
    {
        ServerProcess server;
        TestClient *a = nullptr, *b = nullptr;
        QVERIFY(attachWithTwoClients(server, &a, &b));
        QTRY_COMPARE(phase(), Phase::Running);
        m_window->shutdownAction()->trigger();
        QTRY_VERIFY(m_window->shutdownConfirmation());
        QVERIFY(m_window->shutdownConfirmation()->text().contains(server.httpUrl(QString()).toString()));
        QTest::mouseClick(m_window->shutdownConfirmation()->button(QMessageBox::Yes), Qt::LeftButton);
        QTRY_VERIFY(m_window->shutdownDialog() && m_window->shutdownDialog()->closeAllButton()->isEnabled());
        QTest::mouseClick(m_window->shutdownDialog()->closeAllButton(), Qt::LeftButton);
        QVERIFY(a->waitForDisconnected());
        QVERIFY(b->waitForDisconnected());
        QTRY_COMPARE(phase(), Phase::Stopped);
        QTRY_VERIFY(m_window->shutdownDialog()->doneButton()->isEnabled());
        QCOMPARE(m_window->shutdownDialog()->remainingClients(), 0);
        QVERIFY(server.waitForExit(5000));
        QCOMPARE(server.exitCode(), 0);
    }

    void germanLocaleShowsGermanStrings()
    {
        Translations translations;
        QVERIFY(translations.install(QLocale(QLocale::German, QLocale::Germany)));
        MainWindow german(m_factory.get(), MainWindow::Layout::Default);
        QCOMPARE(german.windowTitle(), QStringLiteral("Herald-Verwaltungskonsole"));
        // What the server says is shown in German too.
        QCOMPARE(ServerMessages::commandFailure({{"error", "shutting_down"}, {"message", "Server is shutting down"}}),
                 QStringLiteral("Der Server fährt herunter; nichts wurde gesendet."));
        QCOMPARE(Formats::duration(245), QStringLiteral("4 min 05 s"));
        QCOMPARE(german.shutdownAction()->text(), QStringLiteral("Geordnet &herunterfahren …"));
        QCOMPARE(german.menuBar()->actions().first()->text(), QStringLiteral("&Server"));
        QCOMPARE(german.composer()->sendButton()->text(), QStringLiteral("&Senden"));
        QVERIFY(translations.install(QLocale(QLocale::English))); // the source language, with its plural forms
        MainWindow english(m_factory.get(), MainWindow::Layout::Default);
        QCOMPARE(english.windowTitle(), QStringLiteral("Herald Admin Console"));
    }

    void theLocalServiceIsFoundFromThePackagesFile()
    {
        const QString path = m_dir.filePath("admin.env");
        QVERIFY(!LocalService::find(path, {}).problem.isEmpty()); // no package: said so, nothing to attach to
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("# written by the package\nADMIN_TOKEN=0123456789abcdef0123456789abcdef\n"
                   "HERALD_CONSOLE_URL=http://127.0.0.1:8123\n");
        file.close();
        LocalService service = LocalService::find(path, {});
        QVERIFY2(service.problem.isEmpty(), qPrintable(service.problem));
        QCOMPARE(service.token, QStringLiteral("0123456789abcdef0123456789abcdef"));
        QCOMPARE(service.url, QUrl("http://127.0.0.1:8123"));
        service = LocalService::find(path, {{"HERALD_CONSOLE_URL", "http://127.0.0.1:9000"}});
        QCOMPARE(service.url, QUrl("http://127.0.0.1:9000")); // the environment wins
        QVERIFY(!LocalService::isListening(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(freePort())), 1000));
        QVERIFY(LocalService::isListening(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(embedded()->port())), 1000));
    }

    void oneDurationAndTimeStyleWithSeconds()
    {
        QCOMPARE(Formats::duration(12), QStringLiteral("12s"));
        QCOMPARE(Formats::duration(3 * 3600 + 65), QStringLiteral("3h 01m 05s"));
        QCOMPARE(Formats::duration(2 * 86400 + 3600 + 120), QStringLiteral("2d 01h 02m"));
        QCOMPARE(Formats::durationInWords(1800), QStringLiteral("30 minutes"));
        QCOMPARE(Formats::durationInWords(30), QStringLiteral("30 seconds"));
        const QDateTime moment(QDate(2026, 12, 1), QTime(14, 3, 7));
        for (const QLocale &locale : {QLocale(QLocale::English, QLocale::UnitedStates), QLocale(QLocale::German),
                                      QLocale(QLocale::Japanese), QLocale(QLocale::Finnish)}) {
            QLocale::setDefault(locale);
            QVERIFY2(Formats::clockTime(moment).contains("07"), qPrintable(Formats::clockTime(moment)));
        }
        QLocale::setDefault(QLocale(QLocale::English));
    }
};

QTEST_MAIN(AdminConsoleTest)
#include "tst_admin_console.moc"
