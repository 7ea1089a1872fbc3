#include "LogTableModel.h"

#include "protocol/AdminProtocol.h"
#include "text/Formats.h"

#include <QBrush>
#include <QColor>
#include <QJsonDocument>

namespace herald::console {

namespace {
// The fields shown as columns; the rest (the client's whole id among them) are details.
const QStringList ColumnKeys{QString(admin::key::Timestamp), QString(admin::key::Level), QString(admin::key::LogEvent),
                             QString(admin::key::LogMessage)};

QString clientOf(const QJsonObject &record)
{
    const QString id = record.value(QLatin1StringView("client_id")).toString();
    return id.isEmpty() ? record.value(QLatin1StringView("remote")).toString() : id;
}
} // namespace

LogTableModel::LogTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

const QStringList &LogTableModel::levelNames()
{
    static const QStringList names{QStringLiteral("TRACE"),   QStringLiteral("DEBUG"), QStringLiteral("INFO"),
                                   QStringLiteral("WARNING"), QStringLiteral("ERROR"), QStringLiteral("CRITICAL")};
    return names;
}

int LogTableModel::severity(const QString &levelName)
{
    return std::max(0, int(levelNames().indexOf(levelName)));
}

QString LogTableModel::details(const QJsonObject &record)
{
    QJsonObject rest = record;
    for (const QString &key : ColumnKeys)
        rest.remove(key);
    return rest.isEmpty() ? QString() : QString::fromUtf8(QJsonDocument(rest).toJson(QJsonDocument::Indented));
}

int LogTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int LogTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LogTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time:
        return tr("Time");
    case Level:
        return tr("Level");
    case Event:
        return tr("Event");
    case Client:
        return tr("Client");
    case Message:
        return tr("Message");
    }
    return {};
}

QVariant LogTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_entries.size())
        return {};
    const Entry &entry = m_entries[index.row()];
    if (role == LevelRole)
        return entry.severity;
    if (role == RecordRole)
        return entry.record;
    if (role == Qt::ForegroundRole && entry.severity >= severity(QStringLiteral("WARNING")))
        return QBrush(entry.severity >= severity(QStringLiteral("ERROR")) ? QColor(0xb0, 0x00, 0x20)
                                                                          : QColor(0x8a, 0x5a, 0x00));
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case Time:
        return Formats::clockTime(entry.time);
    case Level:
        return entry.record.value(admin::key::Level).toString();
    case Event:
        return entry.record.value(admin::key::LogEvent).toString();
    case Client:
        return clientOf(entry.record);
    case Message:
        return entry.record.value(admin::key::LogMessage).toString();
    }
    return {};
}

void LogTableModel::append(const QList<QJsonObject> &records)
{
    if (records.isEmpty())
        return;
    const qsizetype overflow = m_entries.size() + records.size() - MaxRecords;
    if (overflow > 0) {
        const int removed = int(std::min(overflow, m_entries.size()));
        if (removed > 0) {
            beginRemoveRows({}, 0, removed - 1);
            m_entries.remove(0, removed);
            endRemoveRows();
        }
    }
    const qsizetype skip = std::max<qsizetype>(0, records.size() - MaxRecords);
    const int first = int(m_entries.size());
    beginInsertRows({}, first, first + int(records.size() - skip) - 1);
    for (qsizetype i = skip; i < records.size(); ++i) {
        const QJsonObject &record = records[i];
        m_entries.append({record,
                          QDateTime::fromString(record.value(admin::key::Timestamp).toString(), Qt::ISODateWithMs),
                          severity(record.value(admin::key::Level).toString())});
    }
    endInsertRows();
}

void LogTableModel::clear()
{
    beginResetModel();
    m_entries.clear();
    endResetModel();
}

void LogFilterModel::setMinimumSeverity(int severity)
{
    m_minimumSeverity = severity;
    invalidateFilter();
}

void LogFilterModel::setText(const QString &text)
{
    m_text = text;
    invalidateFilter();
}

bool LogFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QAbstractItemModel *model = sourceModel();
    if (model->index(sourceRow, 0, sourceParent).data(LogTableModel::LevelRole).toInt() < m_minimumSeverity)
        return false;
    if (m_text.isEmpty())
        return true;
    for (int column = 0; column < LogTableModel::ColumnCount; ++column)
        if (model->index(sourceRow, column, sourceParent).data().toString().contains(m_text, Qt::CaseInsensitive))
            return true;
    return LogTableModel::details(
               model->index(sourceRow, 0, sourceParent).data(LogTableModel::RecordRole).toJsonObject())
        .contains(m_text, Qt::CaseInsensitive);
}

} // namespace herald::console
