#include "ShutdownDialog.h"

#include "link/ServerLink.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace herald::console {

ShutdownDialog::ShutdownDialog(ServerLink *link, QWidget *parent)
    : QDialog(parent)
    , m_link(link)
    , m_steps(new QLabel(this))
    , m_remainingLabel(new QLabel(this))
    , m_timeLeft(new QLabel(this))
    , m_bar(new QProgressBar(this))
    , m_closeAll(new QPushButton(tr("Close &all now"), this))
    , m_done(new QPushButton(tr("&Close"), this))
{
    setWindowTitle(tr("Graceful shutdown"));
    setMinimumWidth(420);
    m_steps->setTextFormat(Qt::RichText);
    m_steps->setAccessibleName(tr("Shutdown steps"));
    m_remainingLabel->setAccessibleName(tr("Clients still connected"));
    m_timeLeft->setAccessibleName(tr("Time left"));
    m_bar->setAccessibleName(tr("Time left until clients are closed"));
    m_closeAll->setToolTip(tr("Stop waiting: close every remaining client now with code 1001"));
    m_done->setEnabled(false);

    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_closeAll, QDialogButtonBox::ActionRole);
    buttons->addButton(m_done, QDialogButtonBox::AcceptRole);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_steps);
    layout->addWidget(m_remainingLabel);
    layout->addWidget(m_timeLeft);
    layout->addWidget(m_bar);
    layout->addWidget(buttons);

    connect(m_closeAll, &QPushButton::clicked, this, [this] {
        m_link->send({{QStringLiteral("command"), QStringLiteral("close_all_now")}});
    });
    connect(m_done, &QPushButton::clicked, this, &QDialog::accept);
    connect(link, &ServerLink::shutdownProgress, this, &ShutdownDialog::showProgress);
    showProgress({{QStringLiteral("state"), QStringLiteral("running")}});
}

QString ShutdownDialog::stepText() const
{
    return m_steps->text();
}

void ShutdownDialog::showProgress(const QJsonObject &progress)
{
    const QString state = progress.value(QLatin1StringView("state")).toString();
    // Steps 1-3 happen at once when draining begins; 4 is the wait; 5 closing; 6 done.
    const int reached = state == u"draining" ? 4 : state == u"closing" ? 5 : state == u"finished" ? 6 : 0;
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

    m_remaining = progress.value(QLatin1StringView("remaining")).toInt();
    m_remainingLabel->setText(tr("Clients still connected: %1").arg(m_remaining));
    const double left = progress.value(QLatin1StringView("seconds_left")).toDouble();
    const double timeout = progress.value(QLatin1StringView("timeout_seconds")).toDouble();
    m_timeLeft->setText(state == u"draining" ? tr("Time left before closing them: %1 s").arg(qRound(left)) : QString());
    m_bar->setRange(0, std::max(1, qRound(timeout)));
    m_bar->setValue(state == u"draining" ? qRound(timeout - left) : reached >= 5 ? m_bar->maximum() : 0);
    m_closeAll->setEnabled(state == u"draining");
    m_done->setEnabled(state == u"finished");
    if (state == u"finished")
        m_timeLeft->setText(tr("The server has shut down."));
}

} // namespace herald::console
