#include "ComposerPanel.h"

#include "link/ServerLink.h"
#include "notification/Audience.h"
#include "notification/NotificationRequest.h"
#include "protocol/AdminProtocol.h"
#include "protocol/ChannelName.h"
#include "state/ConsoleState.h"
#include "text/Formats.h"
#include "text/ServerMessages.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <QSettings>
#include <QShortcut>
#include <QTextBlock>
#include <QVBoxLayout>

namespace herald::console {

namespace {
constexpr int NotificationIdRole = Qt::UserRole;
constexpr int BaseTextRole = Qt::UserRole + 1;
} // namespace

namespace {
constexpr int RecentTypes = 10;
const char *const RecentTypesKey = "composer/recentTypes";

// Where in the text a parse error's offset falls, for people who count lines.
QPair<int, int> lineAndColumn(const QString &text, int offset)
{
    const QString before = text.left(offset);
    const int line = int(before.count(QLatin1Char('\n'))) + 1;
    const int column = int(offset - before.lastIndexOf(QLatin1Char('\n')));
    return {line, column};
}
} // namespace

ComposerPanel::ComposerPanel(QWidget *parent)
    : QWidget(parent)
    , m_message(new QPlainTextEdit(this))
    , m_type(new QComboBox(this))
    , m_data(new QPlainTextEdit(this))
    , m_dataError(new QLabel(this))
    , m_toAll(new QRadioButton(tr("&All clients"), this))
    , m_toSelected(new QRadioButton(this))
    , m_toChannels(new QRadioButton(tr("C&hannels:"), this))
    , m_channels(new QLineEdit(this))
    , m_toUsers(new QRadioButton(tr("&Users:"), this))
    , m_users(new QLineEdit(this))
    , m_ack(new QCheckBox(tr("Ask clients to ac&knowledge"), this))
    , m_send(new QPushButton(tr("&Send"), this))
    , m_disabledLabel(new QLabel(this))
    , m_history(new QListWidget(this))
{
    m_message->setPlaceholderText(tr("What every client should read"));
    m_message->setAccessibleName(tr("Message"));
    m_message->setTabChangesFocus(true);
    m_message->setFixedHeight(m_message->fontMetrics().lineSpacing() * 4);

    m_type->setEditable(true);
    m_type->setAccessibleName(tr("Message type"));
    m_type->addItems(QSettings()
                         .value(QLatin1StringView(RecentTypesKey), QStringList{QStringLiteral("notification")})
                         .toStringList());

    m_data->setPlaceholderText(tr("Optional JSON object, e.g. {\"build\": 42}"));
    m_data->setAccessibleName(tr("Data (JSON)"));
    m_data->setTabChangesFocus(true);
    m_data->setFixedHeight(m_data->fontMetrics().lineSpacing() * 5);
    m_data->setFont(QFont(QStringLiteral("monospace")));
    m_dataError->setWordWrap(true);
    m_dataError->setStyleSheet(QStringLiteral("color: #b00020"));
    m_dataError->setAccessibleName(tr("Data error"));

    m_toAll->setChecked(true);
    m_toSelected->setAccessibleName(tr("Send to selected clients"));
    m_channels->setPlaceholderText(tr("orders.42, team:7"));
    m_channels->setAccessibleName(tr("Target channels"));
    m_users->setPlaceholderText(tr("alice, bob (the sub of their tokens)"));
    m_users->setAccessibleName(tr("Target users"));
    // Typing a name chooses its kind of target.
    connect(m_channels, &QLineEdit::textEdited, m_toChannels, [this] { m_toChannels->setChecked(true); });
    connect(m_users, &QLineEdit::textEdited, m_toUsers, [this] { m_toUsers->setChecked(true); });
    m_send->setDefault(true);
    m_send->setToolTip(tr("Send to the chosen clients (Ctrl+Return)"));
    m_disabledLabel->setWordWrap(true);
    m_disabledLabel->setAccessibleName(tr("Why Send is disabled"));
    m_history->setAccessibleName(tr("Sent history"));
    m_history->setWordWrap(true);

    auto *form = new QFormLayout;
    form->addRow(tr("&Message:"), m_message);
    form->addRow(tr("&Type:"), m_type);
    form->addRow(tr("&Data:"), m_data);
    form->addRow(QString(), m_dataError);
    auto *targets = new QGridLayout;
    targets->addWidget(m_toAll, 0, 0);
    targets->addWidget(m_toSelected, 0, 1);
    targets->addWidget(m_toChannels, 1, 0);
    targets->addWidget(m_channels, 1, 1);
    targets->addWidget(m_toUsers, 2, 0);
    targets->addWidget(m_users, 2, 1);
    targets->setColumnStretch(1, 1);
    form->addRow(tr("Send to:"), targets);
    m_ack->setToolTip(tr("Each client confirms it has the notification; the sent list counts the confirmations"));
    form->addRow(QString(), m_ack);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    auto *sendRow = new QHBoxLayout;
    sendRow->addWidget(m_disabledLabel, 1);
    sendRow->addWidget(m_send);
    layout->addLayout(sendRow);
    layout->addWidget(new QLabel(tr("Sent:"), this));
    layout->addWidget(m_history, 1);

    connect(m_message, &QPlainTextEdit::textChanged, this, &ComposerPanel::revalidate);
    connect(m_type, &QComboBox::currentTextChanged, this, &ComposerPanel::revalidate);
    connect(m_data, &QPlainTextEdit::textChanged, this, &ComposerPanel::revalidate);
    for (QRadioButton *target : {m_toAll, m_toSelected, m_toChannels, m_toUsers})
        connect(target, &QRadioButton::toggled, this, &ComposerPanel::revalidate);
    connect(m_channels, &QLineEdit::textChanged, this, &ComposerPanel::revalidate);
    connect(m_users, &QLineEdit::textChanged, this, &ComposerPanel::revalidate);
    connect(m_send, &QPushButton::clicked, this, &ComposerPanel::send);
    auto *shortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this);
    shortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(shortcut, &QShortcut::activated, this, [this] {
        if (m_send->isEnabled())
            send();
    });
    setSelectedClients({});
}

void ComposerPanel::setLink(ServerLink *link)
{
    if (m_link)
        disconnect(m_link, nullptr, this, nullptr);
    m_link = link;
    m_pending.clear();
    if (link) {
        connect(link, &ServerLink::reply, this, &ComposerPanel::onReply);
        connect(link, &ServerLink::receiptChanged, this, &ComposerPanel::showReceipt);
    }
    revalidate();
}

void ComposerPanel::setConsoleState(ConsoleState *state)
{
    m_state = state;
    connect(state, &ConsoleState::changed, this, &ComposerPanel::revalidate);
    revalidate();
}

void ComposerPanel::setSelectedClients(const QStringList &clientIds)
{
    m_selected = clientIds;
    m_toSelected->setText(tr("Se&lected clients (%1)").arg(clientIds.size()));
    m_toSelected->setEnabled(!clientIds.isEmpty());
    // The target follows the selection; choosing "All clients" with rows selected stays possible, and asks.
    const bool hadSelection = m_selectionShown;
    m_selectionShown = !clientIds.isEmpty();
    if (clientIds.isEmpty() && m_toSelected->isChecked())
        m_toAll->setChecked(true);
    else if (!clientIds.isEmpty() && !hadSelection)
        m_toSelected->setChecked(true);
    revalidate();
}

std::optional<QJsonObject> ComposerPanel::parsedData(QString *error)
{
    const QString text = m_data->toPlainText();
    if (text.trimmed().isEmpty())
        return QJsonObject();
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        // The offset is in UTF-8 bytes; map it back to characters for the position shown.
        const int offset = int(QString::fromUtf8(text.toUtf8().left(parseError.offset)).size());
        const auto [line, column] = lineAndColumn(text, offset);
        *error = tr("Line %1, column %2: %3").arg(line).arg(column).arg(parseError.errorString());

        QTextEdit::ExtraSelection mark;
        mark.cursor = QTextCursor(m_data->document());
        mark.cursor.setPosition(std::clamp(offset - 1, 0, int(text.size())));
        mark.cursor.movePosition(QTextCursor::NextCharacter, QTextCursor::KeepAnchor);
        mark.format.setBackground(QColor(255, 200, 200));
        m_data->setExtraSelections({mark});
        return std::nullopt;
    }
    if (!document.isObject()) {
        *error = tr("Data must be a JSON object ({…}), not an array or a value.");
        return std::nullopt;
    }
    return document.object();
}

void ComposerPanel::revalidate()
{
    m_data->setExtraSelections({});
    QString dataError;
    const bool dataOk = parsedData(&dataError).has_value();
    m_dataError->setText(dataError);
    m_dataError->setVisible(!dataOk);

    const QList<FieldError> fieldErrors =
        NotificationRequest::validateFields(m_message->toPlainText(), m_type->currentText().trimmed());
    QString reason;
    if (!m_link || !m_state || !m_state->canSend())
        reason = notSendingBecause();
    else if (!fieldErrors.isEmpty() && fieldErrors.first().field == u"message")
        reason = tr("Write a message first.");
    else if (!fieldErrors.isEmpty())
        reason = tr("Type %1.").arg(fieldErrors.first().problem);
    else if (!dataOk)
        reason = tr("Data is not a valid JSON object.");
    else if (m_toSelected->isChecked() && m_selected.isEmpty())
        reason = tr("Select clients in the table first.");
    else if (m_toChannels->isChecked())
        reason = channelsProblem(namesIn(m_channels, NameList::Channels));
    else if (m_toUsers->isChecked() && namesIn(m_users, NameList::Users).isEmpty())
        reason = tr("Name a user first.");
    else if (m_toUsers->isChecked() && namesIn(m_users, NameList::Users).size() > Audience::MaxUsers)
        reason = tr("At most %1 users at once.").arg(Audience::MaxUsers);

    m_disabledReason = reason;
    m_send->setEnabled(reason.isEmpty());
    m_disabledLabel->setText(reason);
    m_send->setToolTip(reason.isEmpty() ? tr("Send to the chosen clients (Ctrl+Return)") : reason);
}

QString ComposerPanel::notSendingBecause() const
{
    switch (m_state ? m_state->phase() : ConsoleState::Phase::NoServer) {
    case ConsoleState::Phase::ShuttingDown:
        return tr("The server is shutting down.");
    case ConsoleState::Phase::Stopped:
        return tr("The server has stopped.");
    case ConsoleState::Phase::Reconnecting:
        return tr("The link to the server is down.");
    default:
        return tr("Not connected to a server.");
    }
}

void ComposerPanel::send()
{
    if (!m_send->isEnabled() || m_confirmation)
        return;
    if (!m_toAll->isChecked() || m_selected.isEmpty()) {
        sendNow();
        return;
    }
    m_confirmation = new QMessageBox(
        QMessageBox::Question, tr("Send to every client?"),
        tr("%n client(s) are selected in the table, but the target is All clients. Send to every client?", nullptr,
           int(m_selected.size())),
        QMessageBox::Yes | QMessageBox::Cancel, this);
    m_confirmation->setAttribute(Qt::WA_DeleteOnClose);
    m_confirmation->button(QMessageBox::Yes)->setText(tr("Send to &All"));
    m_confirmation->setDefaultButton(QMessageBox::Cancel);
    connect(m_confirmation, &QMessageBox::finished, this, [this](int result) {
        m_confirmation.clear(); // it deletes itself later; the question is answered now
        if (result == QMessageBox::Yes)
            sendNow();
    });
    m_confirmation->open();
}

void ComposerPanel::sendNow()
{
    QString ignored;
    const std::optional<QJsonObject> payload = parsedData(&ignored);
    if (!m_link || !payload || !m_send->isEnabled())
        return;
    const QString type = m_type->currentText().trimmed();
    const QString message = m_message->toPlainText();
    QJsonObject command{{admin::key::Command, admin::command::Broadcast},
                        {admin::key::Message, message},
                        {QStringLiteral("type"), type},
                        {admin::key::RequestId, m_nextRequestId}};
    if (!payload->isEmpty())
        command.insert(QStringLiteral("data"), *payload);
    if (m_ack->isChecked())
        command.insert(admin::key::Ack, true);
    if (m_toSelected->isChecked())
        command.insert(admin::key::Targets, QJsonArray::fromStringList(m_selected));
    else if (m_toChannels->isChecked())
        command.insert(Audience::fieldNameOf(Audience::Kind::Channels),
                       QJsonArray::fromStringList(namesIn(m_channels, NameList::Channels)));
    else if (m_toUsers->isChecked())
        command.insert(Audience::fieldNameOf(Audience::Kind::Users),
                       QJsonArray::fromStringList(namesIn(m_users, NameList::Users)));
    QString to;
    if (m_toChannels->isChecked())
        to = QStringLiteral(" → #") + namesIn(m_channels, NameList::Channels).join(QStringLiteral(", #"));
    else if (m_toUsers->isChecked())
        to = QStringLiteral(" → @") + namesIn(m_users, NameList::Users).join(QStringLiteral(", @"));
    m_pending.insert(m_nextRequestId++, QStringLiteral("[%1] %2%3").arg(type, message.simplified().left(80), to));
    rememberType(type);
    m_link->send(command);
}

void ComposerPanel::onReply(const QJsonObject &reply)
{
    if (reply.value(admin::key::Reply).toString() != admin::command::Broadcast)
        return;
    const QString sent = m_pending.take(reply.value(admin::key::RequestId).toInt());
    if (sent.isEmpty())
        return; // another console's or an older link's
    const QString time = Formats::clockTime(QDateTime::currentDateTime());
    if (reply.value(admin::key::Ok).toBool()) {
        const int recipients = reply.value(admin::key::Recipients).toInt();
        const QString text = tr("Sent to %n client(s)", nullptr, recipients);
        auto *item = new QListWidgetItem(QStringLiteral("%1  %2  → %3").arg(time, sent, text));
        // Its receipt's events find it by the notification's id.
        item->setData(NotificationIdRole, reply.value(admin::key::NotificationId).toString());
        item->setData(BaseTextRole, item->text());
        m_history->insertItem(0, item);
        if (const auto early = m_earlyReceipts.constFind(item->data(NotificationIdRole).toString());
            early != m_earlyReceipts.cend())
            showReceipt(early.key(), early->first, early->second);
        m_earlyReceipts.clear();
        emit statusMessage(text);
    } else {
        const QString text = tr("Not sent: %1").arg(ServerMessages::commandFailure(reply));
        m_history->insertItem(0, QStringLiteral("%1  %2  ✗ %3").arg(time, sent, text));
        emit statusMessage(text);
    }
}

void ComposerPanel::showReceipt(const QString &notificationId, int sent, int acknowledged)
{
    for (int row = 0; row < m_history->count(); ++row) {
        QListWidgetItem *item = m_history->item(row);
        if (item->data(NotificationIdRole).toString() != notificationId)
            continue;
        item->setText(item->data(BaseTextRole).toString() + QStringLiteral(" · ") +
                      tr("%1 of %n acknowledged", nullptr, sent).arg(acknowledged));
        return;
    }
    if (!m_pending.isEmpty()) // perhaps ours, answered in a moment
        m_earlyReceipts.insert(notificationId, {sent, acknowledged});
}

QString ComposerPanel::channelsProblem(const QStringList &channels)
{
    if (channels.isEmpty())
        return tr("Name a channel first.");
    if (!std::all_of(channels.cbegin(), channels.cend(), ChannelName::isValid))
        return tr("A channel name is 1 to %1 letters, digits and _ . : - @.").arg(ChannelName::MaxLength);
    if (channels.size() > Audience::MaxChannels)
        return tr("At most %1 channels at once.").arg(Audience::MaxChannels);
    return {};
}

QStringList ComposerPanel::namesIn(const QLineEdit *edit, NameList kind)
{
    // A channel name holds neither commas nor spaces; a user id (a token's "sub") may hold spaces.
    static const QRegularExpression channelSeparators(QStringLiteral("[,\\s]+"));
    QStringList names;
    if (kind == NameList::Channels) {
        names = edit->text().split(channelSeparators, Qt::SkipEmptyParts);
    } else {
        for (const QString &name : edit->text().split(QLatin1Char(','), Qt::SkipEmptyParts))
            if (!name.trimmed().isEmpty())
                names.append(name.trimmed());
    }
    names.removeDuplicates();
    return names;
}

void ComposerPanel::rememberType(const QString &type)
{
    QStringList recent = QSettings().value(QLatin1StringView(RecentTypesKey)).toStringList();
    recent.removeAll(type);
    recent.prepend(type);
    recent = recent.mid(0, RecentTypes);
    QSettings().setValue(QLatin1StringView(RecentTypesKey), recent);
    const QSignalBlocker blocker(m_type);
    m_type->clear();
    m_type->addItems(recent);
    m_type->setCurrentText(type);
}

} // namespace herald::console
