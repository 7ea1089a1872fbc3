#pragma once

#include "link/ServerLink.h"

#include <QJsonObject>
#include <QPointer>
#include <QStringList>
#include <QWidget>

class QCheckBox;

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QMessageBox;
class QPlainTextEdit;
class QPushButton;
class QRadioButton;

namespace herald::console {

class ConsoleState;

// Composes a broadcast: message, type (recent ones remembered), optional JSON data checked as you type, and
// the target: all clients, the table's selection (chosen while there are selected rows), channels or users, in
// the whole cluster.
// Sending to everyone while rows are selected asks first. Send says why when it is disabled; each answer goes
// to the sent history and the status bar.
class ComposerPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ComposerPanel(QWidget *parent = nullptr);

    void setLink(ServerLink *link);
    // Narrow enough that the client table beside it shows all its columns at the default window size.
    QSize sizeHint() const override { return {280, QWidget::sizeHint().height()}; }
    // Sending is possible only while the state says so.
    void setConsoleState(ConsoleState *state);
    QString disabledReason() const { return m_disabledReason; }

    QPlainTextEdit *messageEdit() const { return m_message; }
    QComboBox *typeBox() const { return m_type; }
    QPlainTextEdit *dataEdit() const { return m_data; }
    QRadioButton *selectedTargetButton() const { return m_toSelected; }
    QPushButton *sendButton() const { return m_send; }
    QRadioButton *allTargetButton() const { return m_toAll; }
    QRadioButton *channelTargetButton() const { return m_toChannels; }
    QRadioButton *userTargetButton() const { return m_toUsers; }
    // Channel names or user ids, separated by commas or spaces.
    QLineEdit *channelsEdit() const { return m_channels; }
    QLineEdit *usersEdit() const { return m_users; }
    // Asks the clients to acknowledge ("ack": true); the sent history then counts their acknowledgements live.
    QCheckBox *ackBox() const { return m_ack; }
    QListWidget *history() const { return m_history; }
    // The "send to everyone?" question while it is open.
    QMessageBox *allClientsConfirmation() const { return m_confirmation; }

public slots:
    void setSelectedClients(const QStringList &clientIds);
    // Sends, after asking when the target is everyone but rows are selected.
    void send();

signals:
    void statusMessage(const QString &message);

private:
    void revalidate();
    // Returns the data object, or sets *error (with line and column) and returns nothing.
    std::optional<QJsonObject> parsedData(QString *error);
    void onReply(const QJsonObject &reply);
    // The history line of that notification, with its receipt's counts.
    void showReceipt(const QString &notificationId, int sent, int acknowledged);
    void rememberType(const QString &type);
    void sendNow();
    // The names typed into a target's field: channels separated by commas or spaces, users by commas.
    enum class NameList { Channels, Users };
    static QStringList namesIn(const QLineEdit *edit, NameList kind);
    // Why these channels cannot be sent to; empty if they can.
    static QString channelsProblem(const QStringList &channels);
    // Why sending is not possible in the console's present state.
    QString notSendingBecause() const;

    QPointer<ServerLink> m_link;
    QPointer<ConsoleState> m_state;
    QPointer<QMessageBox> m_confirmation;
    QPlainTextEdit *m_message;
    QComboBox *m_type;
    QPlainTextEdit *m_data;
    QLabel *m_dataError;
    QRadioButton *m_toAll;
    QRadioButton *m_toSelected;
    QRadioButton *m_toChannels;
    QLineEdit *m_channels;
    QRadioButton *m_toUsers;
    QLineEdit *m_users;
    QCheckBox *m_ack;
    QPushButton *m_send;
    QLabel *m_disabledLabel;
    QListWidget *m_history;
    QStringList m_selected;
    bool m_selectionShown = false; // whether the last selection had rows
    QString m_disabledReason;
    int m_nextRequestId = 1;
    QHash<int, QString> m_pending; // request id -> history text
    // Counts that came before the answer to the broadcast did (its delivery is counted as it is sent).
    QHash<QString, QPair<int, int>> m_earlyReceipts;
};

} // namespace herald::console
