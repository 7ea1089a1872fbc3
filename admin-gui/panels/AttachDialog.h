#pragma once

#include <QDialog>
#include <QUrl>

class QLabel;
class QLineEdit;
class QPushButton;

namespace herald::console {

// Asks for a running herald-server's address and its admin token; wide enough for a whole URL. Opened again
// after a refused token, it names the server and says what went wrong.
class AttachDialog : public QDialog
{
    Q_OBJECT
public:
    explicit AttachDialog(QWidget *parent = nullptr);

    // Starts from this server (instead of the last one attached to) and shows why it is asked again.
    void setProblem(const QUrl &serverUrl, const QString &problem);
    QString problem() const;
    QUrl serverUrl() const;
    QString token() const;

private:
    QLabel *m_problem;
    QLineEdit *m_url;
    QLineEdit *m_token;
    QPushButton *m_attach;
};

} // namespace herald::console
