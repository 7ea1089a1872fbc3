#pragma once

#include <QDialog>
#include <QUrl>

class QLineEdit;
class QPushButton;

namespace herald::console {

// Asks for a running herald-server's address and its admin token.
class AttachDialog : public QDialog
{
    Q_OBJECT
public:
    explicit AttachDialog(QWidget *parent = nullptr);

    QUrl serverUrl() const;
    QString token() const;

private:
    QLineEdit *m_url;
    QLineEdit *m_token;
    QPushButton *m_attach;
};

} // namespace herald::console
