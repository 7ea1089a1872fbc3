#include "ShutdownDialog.h"

#include "link/ServerLink.h"
#include "protocol/AdminProtocol.h"
#include "state/ConsoleState.h"
#include "text/Formats.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace herald::console {

ShutdownDialog::ShutdownDialog(ServerLink *link, ConsoleState *state, QWidget *parent)
    : QDialog(parent)
    , m_link(link)
    , m_state(state)
    , m_server(new QLabel(this))
    , m_steps(new QLabel(this))
    , m_remainingLabel(new QLabel(this))
    , m_timeLeft(new QLabel(this))
    , m_bar(new QProgressBar(this))
    , m_outcome(new QLabel(this))
    , m_closeAll(new QPushButton(tr("Close &all now"), this))
    , m_done(new QPushButton(tr("&Close"), this))
{
    setWindowTitle(tr("Graceful shutdown"));
    m_server->setText(tr("Shutting down <b>%1</b>").arg(state->serverName().toHtmlEscaped()));
    m_server->setWordWrap(true);
    m_steps->setTextFormat(Qt::RichText);
    m_steps->setAccessibleName(tr("Shutdown steps"));
    m_remainingLabel->setAccessibleName(tr("Clients still connected"));
    m_timeLeft->setAccessibleName(tr("Time left"));
    m_bar->setAccessibleName(tr("Clients that have left"));
    m_bar->setFormat(tr("%v of %m clients left"));
    m_outcome->setAccessibleName(tr("Outcome"));
    m_outcome->setWordWrap(true);
    m_closeAll->setToolTip(tr("Stop waiting: close every remaining client now with code 1001"));
    m_done->setEnabled(false);

    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_closeAll, QDialogButtonBox::ActionRole);
    buttons->addButton(m_done, QDialogButtonBox::AcceptRole);
    auto *layout = new QVBoxLayout(this);
    layout->setSizeConstraint(QLayout::SetMinimumSize); // sized to its content, whatever the language
    layout->addWidget(m_server);
    layout->addWidget(m_steps);
    layout->addWidget(m_remainingLabel);
    layout->addWidget(m_timeLeft);
    layout->addWidget(m_bar);
    layout->addWidget(m_outcome);
    layout->addWidget(buttons);

    connect(m_closeAll, &QPushButton::clicked, this, [this] {
        m_closeAll->setEnabled(false); // once is enough; the server's next report says how it went
        m_link->send({{admin::key::Command, admin::command::CloseAllNow}});
    });
    connect(m_done, &QPushButton::clicked, this, &QDialog::accept);
    connect(link, &ServerLink::shutdownProgress, this, &ShutdownDialog::showProgress);
    connect(state, &ConsoleState::changed, this, &ShutdownDialog::followState);
    showProgress({{admin::key::State, admin::state::Running}});
    followState();
}

QString ShutdownDialog::outcomeText() const
{
    return m_outcome->text();
}

void ShutdownDialog::showSteps(int reached)
{
    const QStringList steps{
        tr("Stop accepting new connections"), tr("Stop periodic notifications"), tr("Tell every client"),
        tr("Wait for clients to leave"),      tr("Close the remaining clients"), tr("Flush logs and stop")};
    QString html;
    for (int i = 0; i < steps.size(); ++i) {
        const int step = i + 1;
        const QString mark = step < reached || reached == 6 ? QStringLiteral("✔")
                             : step == reached              ? QStringLiteral("▶")
                                                            : QStringLiteral("○");
        html += QStringLiteral("%1 %2. %3<br>").arg(mark).arg(step).arg(steps[i].toHtmlEscaped());
    }
    m_steps->setText(html);
}

void ShutdownDialog::showProgress(const QJsonObject &progress)
{
    const int reached = progress.value(admin::key::Step).toInt();
    showSteps(reached);
    m_remaining = progress.value(admin::key::Remaining).toInt();
    const int atStart = std::max(m_remaining, progress.value(admin::key::ClientsAtStart).toInt());
    m_remainingLabel->setText(tr("Clients still connected: %1 of %2").arg(m_remaining).arg(atStart));
    m_bar->setRange(0, std::max(1, atStart));
    m_bar->setValue(atStart == 0 ? 1 : atStart - m_remaining);
    const bool draining = reached == 4;
    m_timeLeft->setText(draining
                            ? tr("Time left before closing them: %1")
                                  .arg(Formats::duration(qRound64(progress.value(admin::key::SecondsLeft).toDouble())))
                            : QString());
    m_closeAll->setEnabled(draining);
}

void ShutdownDialog::followState()
{
    const ConsoleState::Phase phase = m_state->phase();
    if (phase == ConsoleState::Phase::Stopped) {
        showSteps(6);
        m_remaining = 0;
        m_remainingLabel->setText(tr("Clients still connected: 0"));
        m_bar->setValue(m_bar->maximum());
        m_timeLeft->clear();
        m_outcome->setText(tr("The server has shut down."));
    } else if (phase == ConsoleState::Phase::Reconnecting || phase == ConsoleState::Phase::Unreachable) {
        m_outcome->setText(tr("The link to the server was lost during its shutdown; the console reconnects when "
                              "the server is back."));
    } else {
        m_outcome->clear();
    }
    const bool over = phase != ConsoleState::Phase::ShuttingDown && phase != ConsoleState::Phase::Running;
    if (over)
        m_closeAll->setEnabled(false);
    m_done->setEnabled(over);
    adjustSize();
}

} // namespace herald::console
