#include "ClientTableModel.h"

#include <QLocale>
#include <QSet>
#include <QTimer>
#include <algorithm>

namespace herald::console {

namespace {
QString durationText(qint64 seconds)
{
    if (seconds < 3600)
        return QStringLiteral("%1:%2").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2:%3")
        .arg(seconds / 3600)
        .arg(seconds % 3600 / 60, 2, 10, QLatin1Char('0'))
        .arg(seconds % 60, 2, 10, QLatin1Char('0'));
}
} // namespace

ClientTableModel::ClientTableModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_durationTicker(new QTimer(this))
{
    m_durationTicker->setInterval(1000);
    connect(m_durationTicker, &QTimer::timeout, this, [this] {
        if (!m_rows.isEmpty())
            emit dataChanged(index(0, Duration), index(int(m_rows.size()) - 1, Duration), {Qt::DisplayRole, SortRole});
    });
    m_durationTicker->start();
}

int ClientTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ClientTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ClientTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Id:
        return tr("Client ID");
    case Remote:
        return tr("Remote address");
    case Identity:
        return tr("Identity");
    case ConnectedSince:
        return tr("Connected since");
    case Duration:
        return tr("Duration");
    case MessagesIn:
        return tr("Msgs in");
    case MessagesOut:
        return tr("Msgs out");
    case BytesIn:
        return tr("Bytes in");
    case BytesOut:
        return tr("Bytes out");
    case RoundTrip:
        return tr("Ping RTT");
    case State:
        return tr("State");
    }
    return {};
}

QVariant ClientTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &row = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        return display(row, index.column());
    case SortRole:
        return value(row, index.column());
    case ClientIdRole:
        return row.id;
    case Qt::TextAlignmentRole:
        return index.column() >= MessagesIn && index.column() <= RoundTrip ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                                                                           : QVariant();
    default:
        return {};
    }
}

QVariant ClientTableModel::value(const Row &row, int column) const
{
    switch (column) {
    case Id:
        return row.id;
    case Remote:
        return row.remote;
    case Identity:
        return row.identity;
    case ConnectedSince:
        return row.connectedAt;
    case Duration:
        return row.connectedAt.secsTo(QDateTime::currentDateTimeUtc());
    case MessagesIn:
        return row.messagesIn;
    case MessagesOut:
        return row.messagesOut;
    case BytesIn:
        return row.bytesIn;
    case BytesOut:
        return row.bytesOut;
    case RoundTrip:
        return row.roundTripMs;
    case State:
        return row.state;
    }
    return {};
}

QString ClientTableModel::display(const Row &row, int column) const
{
    const QLocale locale;
    switch (column) {
    case ConnectedSince:
        return locale.toString(row.connectedAt.toLocalTime().time(), QLocale::ShortFormat);
    case Duration:
        return durationText(std::max<qint64>(0, row.connectedAt.secsTo(QDateTime::currentDateTimeUtc())));
    case MessagesIn:
    case MessagesOut:
        return locale.toString(value(row, column).toLongLong());
    case BytesIn:
    case BytesOut:
        return locale.formattedDataSize(value(row, column).toLongLong());
    case RoundTrip:
        return row.roundTripMs < 0 ? QStringLiteral("–") : tr("%1 ms").arg(row.roundTripMs);
    case State:
        return row.state == u"open" ? tr("open") : tr("closing");
    default:
        return value(row, column).toString();
    }
}

ClientTableModel::Row ClientTableModel::rowFrom(const QJsonObject &object)
{
    Row row;
    row.id = object.value(QLatin1StringView("id")).toString();
    row.remote = object.value(QLatin1StringView("remote")).toString();
    row.identity = object.value(QLatin1StringView("identity")).toString();
    row.connectedAt =
        QDateTime::fromString(object.value(QLatin1StringView("connected_at")).toString(), Qt::ISODateWithMs);
    row.messagesIn = object.value(QLatin1StringView("messages_in")).toInteger();
    row.messagesOut = object.value(QLatin1StringView("messages_out")).toInteger();
    row.bytesIn = object.value(QLatin1StringView("bytes_in")).toInteger();
    row.bytesOut = object.value(QLatin1StringView("bytes_out")).toInteger();
    row.roundTripMs = object.value(QLatin1StringView("rtt_ms")).toInteger(-1);
    row.state = object.value(QLatin1StringView("state")).toString();
    return row;
}

void ClientTableModel::resetClients(const QJsonArray &rows)
{
    beginResetModel();
    m_rows.clear();
    m_rowOf.clear();
    m_rows.reserve(rows.size());
    for (const QJsonValue &row : rows)
        m_rows.append(rowFrom(row.toObject()));
    reindexFrom(0);
    endResetModel();
}

void ClientTableModel::clear()
{
    resetClients({});
}

void ClientTableModel::applyChanges(const QJsonArray &added, const QJsonArray &removed, const QJsonArray &updated)
{
    if (!removed.isEmpty()) {
        // Remove in runs of adjacent rows, from the bottom up so earlier indexes stay valid.
        QList<int> doomed;
        for (const QJsonValue &id : removed)
            if (const int row = rowOf(id.toString()); row >= 0)
                doomed.append(row);
        std::sort(doomed.begin(), doomed.end(), std::greater<>());
        for (qsizetype i = 0; i < doomed.size();) {
            qsizetype j = i;
            while (j + 1 < doomed.size() && doomed[j + 1] == doomed[j] - 1)
                ++j;
            const int first = doomed[j], last = doomed[i];
            beginRemoveRows({}, first, last);
            m_rows.remove(first, last - first + 1);
            endRemoveRows();
            i = j + 1;
        }
        m_rowOf.clear();
        reindexFrom(0);
    }
    if (!added.isEmpty()) {
        // A client can be announced again (a second console's snapshot may already have shown it): its row is
        // refreshed, never doubled.
        QList<Row> fresh;
        QSet<QString> freshIds;
        for (const QJsonValue &value : added) {
            Row row = rowFrom(value.toObject());
            if (const int at = rowOf(row.id); at >= 0) {
                m_rows[at] = std::move(row);
                emit dataChanged(index(at, 0), index(at, ColumnCount - 1));
            } else if (!freshIds.contains(row.id)) {
                freshIds.insert(row.id);
                fresh.append(std::move(row));
            }
        }
        if (!fresh.isEmpty()) {
            const int first = int(m_rows.size());
            beginInsertRows({}, first, first + int(fresh.size()) - 1);
            m_rows.append(fresh);
            reindexFrom(first);
            endInsertRows();
        }
    }
    if (!updated.isEmpty()) {
        int top = int(m_rows.size()), bottom = -1;
        for (const QJsonValue &value : updated) {
            // [id, messages_in, messages_out, bytes_in, bytes_out, rtt_ms], as AdminFeed::statsRow sends it
            const QJsonArray stats = value.toArray();
            const int at = rowOf(stats.at(0).toString());
            if (at < 0)
                continue;
            Row &row = m_rows[at];
            row.messagesIn = stats.at(1).toInteger();
            row.messagesOut = stats.at(2).toInteger();
            row.bytesIn = stats.at(3).toInteger();
            row.bytesOut = stats.at(4).toInteger();
            row.roundTripMs = stats.at(5).toInteger(-1);
            top = std::min(top, at);
            bottom = std::max(bottom, at);
        }
        if (bottom >= 0)
            emit dataChanged(index(top, 0), index(bottom, ColumnCount - 1));
    }
}

void ClientTableModel::reindexFrom(int first)
{
    for (int row = first; row < m_rows.size(); ++row)
        m_rowOf.insert(m_rows[row].id, row);
}

} // namespace herald::console
