#pragma once

#include "link/ServerLink.h"

#include <QJsonObject>
#include <QPointer>
#include <QStringList>
#include <QWidget>

class QComboBox;
class QLabel;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QRadioButton;

namespace herald::console {

// Composes a broadcast: message, type (recent ones remembered), optional JSON data checked as you type, and
// the target (all clients or the selected rows). Send says why when it is disabled; each answer goes to the
// sent history and the status bar.
class ComposerPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ComposerPanel(QWidget *parent = nullptr);

    void setLink(ServerLink *link);
    QString disabledReason() const { return m_disabledReason; }

    QPlainTextEdit *messageEdit() const { return m_message; }
    QComboBox *typeBox() const { return m_type; }
    QPlainTextEdit *dataEdit() const { return m_data; }
    QRadioButton *selectedTargetButton() const { return m_toSelected; }
    QPushButton *sendButton() const { return m_send; }
    QListWidget *history() const { return m_history; }

public slots:
    void setSelectedClients(const QStringList &clientIds);
    void send();

signals:
    void statusMessage(const QString &message);

private:
    void revalidate();
    // Returns the data object, or sets *error (with line and column) and returns nothing.
    std::optional<QJsonObject> parsedData(QString *error);
    void onReply(const QJsonObject &reply);
    void rememberType(const QString &type);

    QPointer<ServerLink> m_link;
    QPlainTextEdit *m_message;
    QComboBox *m_type;
    QPlainTextEdit *m_data;
    QLabel *m_dataError;
    QRadioButton *m_toAll;
    QRadioButton *m_toSelected;
    QPushButton *m_send;
    QLabel *m_disabledLabel;
    QListWidget *m_history;
    QStringList m_selected;
    QString m_disabledReason;
    int m_nextRequestId = 1;
    QHash<int, QString> m_pending; // request id -> history text
};

} // namespace herald::console
