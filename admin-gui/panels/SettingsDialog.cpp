#include "SettingsDialog.h"

#include "config/ConfigSchema.h"
#include "config/DotEnvFile.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

namespace herald::console {

SettingsDialog::SettingsDialog(const ConfigLoadResult &current, QWidget *parent)
    : QDialog(parent)
    , m_current(current)
    , m_save(new QPushButton(tr("&Save and restart server"), this))
{
    setWindowTitle(tr("Server settings"));
    setMinimumSize(560, 480);
    auto *form = new QFormLayout;
    for (const ConfigKey &key : configSchema()) {
        auto *edit = new QLineEdit(current.rawValues.value(key.name), this);
        edit->setAccessibleName(key.name);
        edit->setToolTip(QStringLiteral("%1\n%2").arg(key.description, key.allowed));
        if (key.secret)
            edit->setEchoMode(QLineEdit::PasswordEchoOnEdit);
        const ConfigSource source = current.sources.value(key.name);
        if (source == ConfigSource::CommandLine || source == ConfigSource::Environment) {
            edit->setReadOnly(true);
            edit->setToolTip(tr("Set by the %1, which wins over .env").arg(ConfigLoader::sourceName(source, key.name)));
        }
        connect(edit, &QLineEdit::textChanged, this, &SettingsDialog::revalidate);
        form->addRow(key.name + QLatin1Char(':'), edit);
        m_fields.insert(key.name, edit);
    }
    auto *fields = new QWidget(this);
    fields->setLayout(form);
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(fields);
    scroll->setWidgetResizable(true);

    auto *note = new QLabel(tr("Saved to %1. Restarting the embedded server disconnects its clients.")
                                .arg(current.envFilePath.toHtmlEscaped()),
                            this);
    note->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    buttons->addButton(m_save, QDialogButtonBox::AcceptRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_save, &QPushButton::clicked, this, &SettingsDialog::save);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(scroll, 1);
    layout->addWidget(note);
    layout->addWidget(buttons);
    revalidate();
}

QHash<QString, QString> SettingsDialog::changes() const
{
    QHash<QString, QString> changed;
    for (auto it = m_fields.cbegin(); it != m_fields.cend(); ++it)
        if (!(*it)->isReadOnly() && (*it)->text() != m_current.rawValues.value(it.key()))
            changed.insert(it.key(), (*it)->text());
    return changed;
}

void SettingsDialog::revalidate()
{
    bool allValid = true;
    Config scratch;
    for (const ConfigKey &key : configSchema()) {
        QLineEdit *edit = m_fields.value(key.name);
        const bool valid = key.apply(edit->text(), scratch);
        edit->setStyleSheet(valid ? QString() : QStringLiteral("border: 2px solid #b00020"));
        if (!valid)
            edit->setToolTip(tr("Expected %1").arg(key.allowed));
        allValid &= valid;
    }
    m_save->setEnabled(allValid && !changes().isEmpty());
}

void SettingsDialog::save()
{
    const QString error = DotEnvFile::update(m_current.envFilePath, changes());
    if (!error.isEmpty()) {
        QMessageBox::warning(this, tr("Settings not saved"), error);
        return;
    }
    accept();
}

} // namespace herald::console
