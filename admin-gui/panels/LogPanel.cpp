#include "LogPanel.h"

#include "models/LogTableModel.h"
#include "protocol/AdminProtocol.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace herald::console {

LogPanel::LogPanel(QWidget *parent)
    : QWidget(parent)
    , m_model(new LogTableModel(this))
    , m_filter(new LogFilterModel(this))
    , m_level(new QComboBox(this))
    , m_text(new QLineEdit(this))
    , m_follow(new QCheckBox(tr("&Follow"), this))
    , m_pause(new QPushButton(tr("&Pause"), this))
    , m_heldLabel(new QLabel(this))
    , m_view(new QTableView(this))
    , m_details(new QPlainTextEdit(this))
{
    m_filter->setSourceModel(m_model);
    m_level->addItems(LogTableModel::levelNames());
    m_level->setCurrentIndex(LogTableModel::severity(QStringLiteral("INFO")));
    m_level->setAccessibleName(tr("Minimum log level"));
    m_filter->setMinimumSeverity(m_level->currentIndex());
    m_text->setPlaceholderText(tr("Filter the log"));
    m_text->setClearButtonEnabled(true);
    m_text->setAccessibleName(tr("Log filter"));
    m_follow->setChecked(true);
    m_follow->setToolTip(tr("Keep the newest record in view"));
    m_pause->setCheckable(true);
    m_pause->setToolTip(tr("Hold new records back; they are shown when you resume"));
    m_heldLabel->setAccessibleName(tr("Held records"));

    m_view->setModel(m_filter);
    m_view->setAccessibleName(tr("Server log"));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 4);
    m_view->horizontalHeader()->setStretchLastSection(true); // the message takes what is left, elided
    const QFontMetrics metrics = m_view->fontMetrics();
    m_view->setColumnWidth(LogTableModel::Time, metrics.horizontalAdvance(QStringLiteral("00:00:00 PM")) + 14);
    m_view->setColumnWidth(LogTableModel::Level, metrics.horizontalAdvance(QStringLiteral("CRITICAL")) + 14);
    m_view->setColumnWidth(LogTableModel::Event, metrics.horizontalAdvance(QStringLiteral("connection_refused")) + 14);
    m_view->setColumnWidth(LogTableModel::Client, metrics.horizontalAdvance(QStringLiteral("0000000a-000b-000c")) + 14);
    m_details->setReadOnly(true);
    m_details->setFont(QFont(QStringLiteral("monospace")));
    m_details->setPlaceholderText(tr("Select a record to see all its fields"));
    m_details->setAccessibleName(tr("Record details"));

    auto *clearButton = new QPushButton(tr("C&lear"), this);
    auto *top = new QHBoxLayout;
    auto *label = new QLabel(tr("&Level:"), this);
    label->setBuddy(m_level);
    top->addWidget(label);
    top->addWidget(m_level);
    top->addWidget(m_text, 1);
    top->addWidget(m_follow);
    top->addWidget(m_pause);
    top->addWidget(m_heldLabel);
    top->addWidget(clearButton);
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_view);
    splitter->addWidget(m_details);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(splitter, 1);

    connect(m_level, &QComboBox::currentIndexChanged, m_filter, &LogFilterModel::setMinimumSeverity);
    connect(m_text, &QLineEdit::textChanged, m_filter, &LogFilterModel::setText);
    connect(m_pause, &QPushButton::toggled, this, &LogPanel::setPaused);
    connect(clearButton, &QPushButton::clicked, this, &LogPanel::clear);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &LogPanel::showDetails);
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_follow->isChecked())
            m_view->scrollToBottom();
    });
}

void LogPanel::append(const QJsonArray &records, int dropped)
{
    QList<QJsonObject> batch;
    batch.reserve(records.size() + 1);
    for (const QJsonValue &record : records)
        batch.append(record.toObject());
    if (dropped > 0)
        batch.append(
            {{admin::key::Timestamp, QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)},
             {admin::key::Level, QStringLiteral("WARNING")},
             {admin::key::LogEvent, QStringLiteral("console")},
             {admin::key::LogMessage,
              tr("%n record(s) not shown: the server logged faster than the console shows", nullptr, dropped)}});
    if (m_pause->isChecked()) {
        m_held.append(batch);
        m_heldLabel->setText(tr("%n held", nullptr, int(m_held.size())));
        return;
    }
    show(batch);
}

void LogPanel::show(const QList<QJsonObject> &records)
{
    m_model->append(records);
}

void LogPanel::setPaused(bool paused)
{
    m_pause->setText(paused ? tr("&Resume") : tr("&Pause"));
    if (paused)
        return;
    show(m_held);
    m_held.clear();
    m_heldLabel->clear();
}

void LogPanel::showDetails()
{
    const QModelIndex current = m_view->currentIndex();
    if (!current.isValid()) {
        m_details->clear();
        return;
    }
    const QJsonObject record = current.data(LogTableModel::RecordRole).toJsonObject();
    m_details->setPlainText(record.value(admin::key::LogMessage).toString() + QStringLiteral("\n\n") +
                            LogTableModel::details(record));
}

void LogPanel::clear()
{
    m_held.clear();
    m_heldLabel->clear();
    m_model->clear();
    m_details->clear();
}

} // namespace herald::console
