#include "ClientTablePanel.h"

#include "models/ClientTableModel.h"

#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace herald::console {

ClientTablePanel::ClientTablePanel(ClientTableModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_proxy(new QSortFilterProxyModel(this))
    , m_filter(new QLineEdit(this))
    , m_view(new QTableView(this))
    , m_count(new QLabel(this))
{
    m_proxy->setSourceModel(model);
    m_proxy->setSortRole(ClientTableModel::SortRole);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);

    m_filter->setPlaceholderText(tr("Filter clients by any column"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setAccessibleName(tr("Client filter"));
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);

    m_view->setModel(m_proxy);
    m_view->setAccessibleName(tr("Connected clients"));
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(ClientTableModel::ConnectedSince, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(true);
    const QFontMetrics metrics = m_view->fontMetrics();
    m_view->setColumnWidth(ClientTableModel::Id,
                           metrics.horizontalAdvance(QStringLiteral("0000000a-000b-000c-000d-00000000000e")) + 12);
    m_view->setColumnWidth(ClientTableModel::Remote,
                           metrics.horizontalAdvance(QStringLiteral("255.255.255.255:65535")) + 12);
    for (int column = ClientTableModel::ConnectedSince; column < ClientTableModel::ColumnCount; ++column)
        m_view->setColumnWidth(
            column, std::max(metrics.horizontalAdvance(model->headerData(column, Qt::Horizontal).toString()) + 28,
                             metrics.horizontalAdvance(QStringLiteral("00:00:00")) + 16));
    m_view->setWordWrap(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *top = new QHBoxLayout;
    top->addWidget(m_filter, 1);
    top->addWidget(m_count);
    layout->addLayout(top);
    layout->addWidget(m_view, 1);

    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] { emit selectionChanged(selectedClientIds()); });
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &ClientTablePanel::updateCount);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &ClientTablePanel::updateCount);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &ClientTablePanel::updateCount);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &ClientTablePanel::updateCount);
    // Rows that vanish leave the selection; tell the composer.
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, [this] { emit selectionChanged(selectedClientIds()); });
    updateCount();
}

QStringList ClientTablePanel::selectedClientIds() const
{
    QStringList ids;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows())
        ids.append(index.data(ClientTableModel::ClientIdRole).toString());
    return ids;
}

void ClientTablePanel::updateCount()
{
    const int total = m_model->rowCount();
    const int shown = m_proxy->rowCount();
    m_count->setText(shown == total ? tr("%n client(s)", nullptr, total)
                                    : tr("%1 of %n client(s) shown", nullptr, total).arg(shown));
}

} // namespace herald::console
