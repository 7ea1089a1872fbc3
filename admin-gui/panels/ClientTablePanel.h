#pragma once

#include <QDateTime>
#include <QStringList>
#include <QWidget>

class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace herald::console {

class ClientTableModel;

// The live client table: sortable, filterable by any column, with several rows selectable as targets. Every
// column fits at the console's default size; the header's context menu hides and shows columns. While the link
// is down the table greys out and says since when it is stale.
class ClientTablePanel : public QWidget
{
    Q_OBJECT
public:
    explicit ClientTablePanel(ClientTableModel *model, QWidget *parent = nullptr);

    QStringList selectedClientIds() const;
    QTableView *view() const { return m_view; }
    QLineEdit *filterEdit() const { return m_filter; }
    QString countText() const;
    QString staleText() const;

public slots:
    // An invalid moment: the rows are live.
    void setStaleSince(const QDateTime &since);

signals:
    void selectionChanged(const QStringList &clientIds);

private:
    void updateCount();
    void fitColumns();
    void showColumnMenu(const QPoint &position);

    ClientTableModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QLineEdit *m_filter;
    QTableView *m_view;
    QLabel *m_count;
    QLabel *m_stale;
};

} // namespace herald::console
