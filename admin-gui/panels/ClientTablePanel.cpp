#include "ClientTablePanel.h"

#include "models/ClientTableModel.h"
#include "text/Formats.h"

#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace herald::console {

ClientTablePanel::ClientTablePanel(ClientTableModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_proxy(new QSortFilterProxyModel(this))
    , m_filter(new QLineEdit(this))
    , m_view(new QTableView(this))
    , m_count(new QLabel(this))
    , m_stale(new QLabel(this))
{
    m_proxy->setSourceModel(model);
    m_proxy->setSortRole(ClientTableModel::SortRole);
    m_proxy->setFilterRole(ClientTableModel::FilterRole);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);

    m_filter->setPlaceholderText(tr("Filter clients by any column"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setAccessibleName(tr("Client filter"));
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    m_count->setAccessibleName(tr("Client count"));
    m_stale->setAccessibleName(tr("Stale view"));
    m_stale->setWordWrap(true);
    m_stale->setStyleSheet(QStringLiteral("background: #fff4ce; color: #5c4400; padding: 4px;"));
    m_stale->hide();

    m_view->setModel(m_proxy);
    m_view->setAccessibleName(tr("Connected clients"));
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(ClientTableModel::ConnectedSince, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->horizontalHeader()->setToolTip(tr("Right-click to choose the columns"));
    connect(m_view->horizontalHeader(), &QWidget::customContextMenuRequested, this, &ClientTablePanel::showColumnMenu);
    fitColumns();
    // Durations move on once a second: a repaint of the rows in view, not a change of 10,000 rows.
    auto *durationTicker = new QTimer(this);
    durationTicker->setInterval(1000);
    connect(durationTicker, &QTimer::timeout, this, [this] {
        if (m_stale->isHidden() && !m_view->isColumnHidden(ClientTableModel::Duration) && m_model->rowCount() > 0)
            m_view->viewport()->update(m_view->columnViewportPosition(ClientTableModel::Duration), 0,
                                       m_view->columnWidth(ClientTableModel::Duration), m_view->viewport()->height());
    });
    durationTicker->start();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *top = new QHBoxLayout;
    top->addWidget(m_filter, 1);
    top->addWidget(m_count);
    layout->addLayout(top);
    layout->addWidget(m_stale);
    layout->addWidget(m_view, 1);

    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] { emit selectionChanged(selectedClientIds()); });
    // The total comes from the model itself, the shown count from the filter: removals the filter hides change
    // the first and not the second, so both are read after either changes.
    for (QAbstractItemModel *counted :
         {static_cast<QAbstractItemModel *>(model), static_cast<QAbstractItemModel *>(m_proxy)}) {
        connect(counted, &QAbstractItemModel::rowsInserted, this, &ClientTablePanel::updateCount);
        connect(counted, &QAbstractItemModel::rowsRemoved, this, &ClientTablePanel::updateCount);
        connect(counted, &QAbstractItemModel::modelReset, this, &ClientTablePanel::updateCount);
        connect(counted, &QAbstractItemModel::layoutChanged, this, &ClientTablePanel::updateCount);
    }
    // Rows that vanish leave the selection; tell the composer.
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, [this] { emit selectionChanged(selectedClientIds()); });
    connect(m_proxy, &QAbstractItemModel::modelReset, this, [this] { emit selectionChanged(selectedClientIds()); });
    updateCount();
}

void ClientTablePanel::fitColumns()
{
    // Widths for the widest value each column shows in practice, so that all eleven fit beside the composer at
    // the default window size without measuring 10,000 rows. (The instance column shows only in a cluster, the
    // transport column only with event-stream clients; see updateCount.)
    const QFontMetrics metrics = m_view->fontMetrics();
    const auto width = [&](const QString &sample) { return metrics.horizontalAdvance(sample) + 12; };
    const auto header = [&](int column) {
        return metrics.horizontalAdvance(m_model->headerData(column, Qt::Horizontal).toString()) + 18;
    };
    const QHash<int, QString> samples{
        {ClientTableModel::Id, QStringLiteral("0000000a…")},
        {ClientTableModel::Remote, QStringLiteral("198.51.100.25:65535")},
        {ClientTableModel::Transport, QStringLiteral("websocket")},
        {ClientTableModel::Identity, QStringLiteral("user-42")},
        {ClientTableModel::Instance, QStringLiteral("herald-2:8000")},
        {ClientTableModel::ConnectedSince, Formats::clockTime(QDateTime(QDate(2026, 12, 30), QTime(23, 58, 58)))},
        {ClientTableModel::Duration, Formats::duration(3600 * 9 + 59 * 60 + 58)},
        {ClientTableModel::MessagesIn, QStringLiteral("99,999")},
        {ClientTableModel::MessagesOut, QStringLiteral("99,999")},
        {ClientTableModel::BytesIn, QStringLiteral("999.9 KiB")},
        {ClientTableModel::BytesOut, QStringLiteral("999.9 KiB")},
        {ClientTableModel::RoundTrip, QStringLiteral("999 ms")},
        {ClientTableModel::State, QStringLiteral("closing")},
    };
    for (int column = 0; column < ClientTableModel::ColumnCount; ++column)
        m_view->setColumnWidth(column, std::max(width(samples.value(column)), header(column)));
}

void ClientTablePanel::showColumnMenu(const QPoint &position)
{
    QMenu menu(this);
    QHeaderView *header = m_view->horizontalHeader();
    const int visible = ClientTableModel::ColumnCount - header->hiddenSectionCount();
    for (int column = 0; column < ClientTableModel::ColumnCount; ++column) {
        QAction *action = menu.addAction(m_model->headerData(column, Qt::Horizontal).toString());
        action->setCheckable(true);
        action->setChecked(!header->isSectionHidden(column));
        action->setEnabled(header->isSectionHidden(column) || visible > 1); // one column always stays
        connect(action, &QAction::toggled, this,
                [header, column](bool shown) { header->setSectionHidden(column, !shown); });
    }
    menu.exec(header->mapToGlobal(position));
}

QStringList ClientTablePanel::selectedClientIds() const
{
    QStringList ids;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows())
        ids.append(index.data(ClientTableModel::ClientIdRole).toString());
    return ids;
}

QString ClientTablePanel::countText() const
{
    return m_count->text();
}

QString ClientTablePanel::staleText() const
{
    return m_stale->isHidden() ? QString() : m_stale->text();
}

void ClientTablePanel::setStaleSince(const QDateTime &since)
{
    const bool stale = since.isValid();
    m_model->freezeAt(stale ? since.toUTC() : QDateTime());
    m_stale->setText(tr("Stale since %1: the link to the server is down, so these rows show the clients as they "
                        "were then. The table is refreshed when the console reconnects.")
                         .arg(Formats::clockTime(since)));
    m_stale->setVisible(stale);
    // Greyed out, but still readable, scrollable and selectable for copying.
    m_view->setStyleSheet(stale ? QStringLiteral("QTableView { color: palette(mid); }") : QString());
}

void ClientTablePanel::updateCount()
{
    const int total = m_model->rowCount();
    const int shown = m_proxy->rowCount();
    QString text =
        shown == total ? tr("%n client(s)", nullptr, total) : tr("%1 of %n client(s) shown", nullptr, total).arg(shown);
    // In a cluster: which instance serves whom, as a column and as totals per instance.
    const QMap<QString, int> perInstance = m_model->clientsPerInstance();
    const bool cluster = perInstance.size() > 1;
    m_view->setColumnHidden(ClientTableModel::Instance, !cluster);
    // How clients are connected, once some are not WebSocket clients (event streams).
    m_view->setColumnHidden(ClientTableModel::Transport, !m_model->hasOtherTransports());
    if (cluster) {
        QStringList totals;
        for (auto it = perInstance.cbegin(); it != perInstance.cend(); ++it)
            totals.append(tr("%1: %2").arg(it.key()).arg(it.value()));
        text += QStringLiteral(" (") + totals.join(QStringLiteral(", ")) + QLatin1Char(')');
    }
    m_count->setText(text);
}

} // namespace herald::console
