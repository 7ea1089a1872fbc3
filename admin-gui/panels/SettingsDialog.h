#pragma once

#include "config/ConfigLoader.h"

#include <QDialog>
#include <QHash>

class QLineEdit;
class QPushButton;

namespace herald::console {

// Edits the embedded server's settings in the .env file it reads, one field per configuration key, each
// checked as it is typed against the same rules herald-server applies. Keys set on the command line or in
// the environment win over .env, so their fields are shown read-only with the reason.
class SettingsDialog : public QDialog
{
    Q_OBJECT
public:
    explicit SettingsDialog(const ConfigLoadResult &current, QWidget *parent = nullptr);

    QLineEdit *field(const QString &key) const { return m_fields.value(key); }
    QPushButton *saveButton() const { return m_save; }
    // The keys whose values differ from what the server runs with.
    QHash<QString, QString> changes() const;

public slots:
    // Writes the changes to .env; on success the dialog is accepted.
    void save();

private:
    void revalidate();

    ConfigLoadResult m_current;
    QHash<QString, QLineEdit *> m_fields;
    QPushButton *m_save;
};

} // namespace herald::console
