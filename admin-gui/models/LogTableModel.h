#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QSortFilterProxyModel>

namespace herald::console {

// The server's recent log records as a table: time, level, event, client, message; the record's other fields
// are its details. Records arrive structured from the admin feed, so the table looks the same whatever
// LOG_FORMAT the server writes its files in. Keeps the most recent MaxRecords.
class LogTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Time, Level, Event, Client, Message, ColumnCount };
    static constexpr int LevelRole = Qt::UserRole; // the severity as a number, TRACE 0 to CRITICAL 5
    static constexpr int RecordRole = Qt::UserRole + 1;
    static constexpr int MaxRecords = 5000;

    explicit LogTableModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static int severity(const QString &levelName);
    static const QStringList &levelNames();
    // The fields of a record beyond the columns, as indented JSON.
    static QString details(const QJsonObject &record);

public slots:
    void append(const QList<QJsonObject> &records);
    void clear();

private:
    struct Entry {
        QJsonObject record;
        QDateTime time;
        int severity;
    };
    QList<Entry> m_entries;
};

// Shows records at or above a level that contain a text in any column.
class LogFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    void setMinimumSeverity(int severity);
    void setText(const QString &text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    int m_minimumSeverity = 0;
    QString m_text;
};

} // namespace herald::console
