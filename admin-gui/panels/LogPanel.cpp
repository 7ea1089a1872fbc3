#include "LogPanel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace herald::console {

namespace {
const QStringList Levels{QStringLiteral("TRACE"),   QStringLiteral("DEBUG"), QStringLiteral("INFO"),
                         QStringLiteral("WARNING"), QStringLiteral("ERROR"), QStringLiteral("CRITICAL")};
}

LogPanel::LogPanel(QWidget *parent)
    : QWidget(parent)
    , m_level(new QComboBox(this))
    , m_view(new QPlainTextEdit(this))
{
    m_level->addItems(Levels);
    m_level->setCurrentText(QStringLiteral("INFO"));
    m_level->setAccessibleName(tr("Minimum log level"));
    m_view->setReadOnly(true);
    m_view->setMaximumBlockCount(MaxLines);
    m_view->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_view->setFont(QFont(QStringLiteral("monospace")));
    m_view->setAccessibleName(tr("Server log"));
    auto *clearButton = new QPushButton(tr("C&lear"), this);

    auto *top = new QHBoxLayout;
    auto *label = new QLabel(tr("Show &level and above:"), this);
    label->setBuddy(m_level);
    top->addWidget(label);
    top->addWidget(m_level);
    top->addStretch();
    top->addWidget(clearButton);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_view, 1);

    connect(m_level, &QComboBox::currentIndexChanged, this, &LogPanel::rerender);
    connect(clearButton, &QPushButton::clicked, this, &LogPanel::clear);
}

bool LogPanel::passes(int level) const
{
    return level >= m_level->currentIndex();
}

void LogPanel::append(const QJsonArray &lines, int dropped)
{
    for (const QJsonValue &value : lines) {
        const QJsonObject line = value.toObject();
        const int level = int(Levels.indexOf(line.value(QLatin1StringView("level")).toString()));
        const QString text = line.value(QLatin1StringView("line")).toString();
        m_lines.append({level, text});
        if (passes(level))
            m_view->appendPlainText(text);
    }
    if (dropped > 0) {
        const QString note =
            tr("… %n line(s) not shown: the server logged faster than the console shows", nullptr, dropped);
        m_lines.append({int(Levels.indexOf(QStringLiteral("WARNING"))), note});
        m_view->appendPlainText(note);
    }
    if (m_lines.size() > MaxLines)
        m_lines.remove(0, m_lines.size() - MaxLines);
}

void LogPanel::clear()
{
    m_lines.clear();
    m_view->clear();
}

void LogPanel::rerender()
{
    QStringList shown;
    for (const auto &[level, text] : std::as_const(m_lines))
        if (passes(level))
            shown.append(text);
    m_view->setPlainText(shown.join(QLatin1Char('\n')));
}

} // namespace herald::console
