#pragma once

#include <QStringList>
#include <QWidget>

class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace herald::console {

class ClientTableModel;

// The live client table: sortable, filterable by any column, with several rows selectable as targets.
class ClientTablePanel : public QWidget
{
    Q_OBJECT
public:
    explicit ClientTablePanel(ClientTableModel *model, QWidget *parent = nullptr);

    QStringList selectedClientIds() const;
    QTableView *view() const { return m_view; }
    QLineEdit *filterEdit() const { return m_filter; }

signals:
    void selectionChanged(const QStringList &clientIds);

private:
    void updateCount();

    ClientTableModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QLineEdit *m_filter;
    QTableView *m_view;
    QLabel *m_count;
};

} // namespace herald::console
