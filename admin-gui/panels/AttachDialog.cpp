#include "AttachDialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>

namespace herald::console {

AttachDialog::AttachDialog(QWidget *parent)
    : QDialog(parent)
    , m_problem(new QLabel(this))
    , m_url(new QLineEdit(
          QSettings().value(QStringLiteral("attach/url"), QStringLiteral("http://localhost:8000")).toString(), this))
    , m_token(new QLineEdit(this))
    , m_attach(new QPushButton(tr("&Attach"), this))
{
    setWindowTitle(tr("Attach to a running server"));
    m_url->setMinimumWidth(m_url->fontMetrics().horizontalAdvance(QLatin1Char('x')) * 48);
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("color: #b00020"));
    m_problem->setAccessibleName(tr("Why the console asks again"));
    m_problem->hide();
    m_url->setAccessibleName(tr("Server URL"));
    m_token->setAccessibleName(tr("Admin token"));
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setPlaceholderText(tr("The server's ADMIN_TOKEN"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    buttons->addButton(m_attach, QDialogButtonBox::AcceptRole);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        QSettings().setValue(QStringLiteral("attach/url"), m_url->text());
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    const auto check = [this] { m_attach->setEnabled(serverUrl().isValid() && !m_token->text().isEmpty()); };
    connect(m_url, &QLineEdit::textChanged, this, check);
    connect(m_token, &QLineEdit::textChanged, this, check);
    check();

    auto *form = new QFormLayout(this);
    form->setSizeConstraint(QLayout::SetMinimumSize); // sized to its content, whatever the language
    form->addRow(m_problem);
    form->addRow(tr("Server &URL:"), m_url);
    form->addRow(tr("Admin &token:"), m_token);
    form->addRow(buttons);
}

void AttachDialog::setProblem(const QUrl &serverUrl, const QString &problem)
{
    m_url->setText(serverUrl.toString());
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    m_token->setFocus();
}

QString AttachDialog::problem() const
{
    return m_problem->isHidden() ? QString() : m_problem->text();
}

QUrl AttachDialog::serverUrl() const
{
    const QUrl url = QUrl::fromUserInput(m_url->text().trimmed());
    return url.scheme().startsWith(QLatin1StringView("http")) && !url.host().isEmpty() ? url : QUrl();
}

QString AttachDialog::token() const
{
    return m_token->text();
}

} // namespace herald::console
