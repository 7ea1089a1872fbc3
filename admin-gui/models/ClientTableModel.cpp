#include "ClientTableModel.h"

#include "protocol/AdminProtocol.h"
#include "protocol/Protocol.h"
#include "text/Formats.h"

#include <QLocale>
#include <QSet>
#include <algorithm>

namespace herald::console {

namespace {
// A client id is a UUID; its first block tells clients apart at a glance and keeps the column narrow. The whole
// id is in the tooltip, the filter and the selection.
constexpr int ShownIdCharacters = 8;
} // namespace

ClientTableModel::ClientTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

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
    case Transport:
        return tr("Transport");
    case Identity:
        return tr("Identity");
    case Instance:
        return tr("Instance");
    case ConnectedSince:
        return tr("Connected");
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
    case FilterRole:
        return index.column() == Id ? row.id : display(row, index.column());
    case Qt::ToolTipRole:
        return index.column() == Id ? QVariant(row.id) : QVariant();
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
    case Transport:
        return row.transport;
    case Identity:
        return row.identity;
    case Instance:
        return row.instance;
    case ConnectedSince:
        return row.connectedAt;
    case Duration:
        return row.connectedAt.secsTo(now());
    case MessagesIn:
        return row.hasTraffic ? row.messagesIn : -1;
    case MessagesOut:
        return row.hasTraffic ? row.messagesOut : -1;
    case BytesIn:
        return row.hasTraffic ? row.bytesIn : -1;
    case BytesOut:
        return row.hasTraffic ? row.bytesOut : -1;
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
    if (!row.hasTraffic && column >= MessagesIn && column <= RoundTrip)
        return QStringLiteral("–"); // another instance's client: its traffic stays there
    switch (column) {
    case Id:
        return row.id.size() > ShownIdCharacters ? row.id.left(ShownIdCharacters) + QStringLiteral("…") : row.id;
    case ConnectedSince:
        return Formats::clockTime(row.connectedAt);
    case Duration:
        return Formats::duration(row.connectedAt.secsTo(now()));
    case MessagesIn:
    case MessagesOut:
        return locale.toString(value(row, column).toLongLong());
    case BytesIn:
    case BytesOut:
        return locale.formattedDataSize(value(row, column).toLongLong());
    case RoundTrip:
        return row.roundTripMs < 0 ? QStringLiteral("–") : tr("%1 ms").arg(row.roundTripMs);
    case State:
        return row.state == admin::state::Open ? tr("open") : tr("closing");
    default:
        return value(row, column).toString();
    }
}

QMap<QString, int> ClientTableModel::clientsPerInstance() const
{
    QMap<QString, int> counts;
    for (const Row &row : m_rows)
        ++counts[row.instance];
    return counts;
}

bool ClientTableModel::hasOtherTransports() const
{
    return std::any_of(m_rows.cbegin(), m_rows.cend(), [](const Row &row) {
        return !row.transport.isEmpty() && row.transport != herald::protocol::transport::WebSocket;
    });
}

ClientTableModel::Row ClientTableModel::rowFrom(const QJsonObject &object)
{
    using namespace herald::admin;
    Row row;
    row.number = object.value(key::Number).toInteger();
    row.id = object.value(key::Id).toString();
    row.remote = object.value(key::Remote).toString();
    row.identity = object.value(key::Identity).toString();
    row.transport = object.value(key::Transport).toString();
    row.instance = object.value(key::Instance).toString();
    row.hasTraffic = object.value(key::HasTraffic).toBool(true);
    row.connectedAt = QDateTime::fromString(object.value(key::ConnectedAt).toString(), Qt::ISODateWithMs);
    row.messagesIn = object.value(key::MessagesIn).toInteger();
    row.messagesOut = object.value(key::MessagesOut).toInteger();
    row.bytesIn = object.value(key::BytesIn).toInteger();
    row.bytesOut = object.value(key::BytesOut).toInteger();
    row.roundTripMs = object.value(key::RoundTripMs).toInteger(-1);
    row.state = object.value(key::State).toString();
    return row;
}

void ClientTableModel::resetClients(const QJsonArray &rows)
{
    beginResetModel();
    m_rows.clear();
    m_rowOf.clear();
    m_rowOfNumber.clear();
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

void ClientTableModel::freezeAt(const QDateTime &moment)
{
    m_frozenAt = moment;
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, Duration), index(int(m_rows.size()) - 1, Duration), {Qt::DisplayRole, SortRole});
}

QDateTime ClientTableModel::now() const
{
    return m_frozenAt.isValid() ? m_frozenAt : QDateTime::currentDateTimeUtc();
}

void ClientTableModel::applyChanges(const QJsonArray &added, const QJsonArray &removed, const QJsonArray &deltas,
                                    const QJsonArray &roundTrips)
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
        m_rowOfNumber.clear();
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
                m_rowOfNumber.remove(m_rows[at].number);
                m_rowOfNumber.insert(row.number, at);
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
    int top = int(m_rows.size()), bottom = -1;
    const auto changedRow = [&](int at) {
        top = std::min(top, at);
        bottom = std::max(bottom, at);
    };
    for (const QJsonValue &value : deltas) {
        // {"by":[messages_in, messages_out, bytes_in, bytes_out], "ranges":[first, last, ...]} by feed number
        const QJsonObject group = value.toObject();
        const QJsonArray by = group.value(admin::key::By).toArray();
        const qint64 messagesIn = by.at(0).toInteger(), messagesOut = by.at(1).toInteger(),
                     bytesIn = by.at(2).toInteger(), bytesOut = by.at(3).toInteger();
        const QJsonArray ranges = group.value(admin::key::Ranges).toArray();
        for (qsizetype i = 0; i + 1 < ranges.size(); i += 2) {
            const qint64 first = ranges.at(i).toInteger(), last = ranges.at(i + 1).toInteger();
            // A range may span numbers of clients gone before this event: they are simply not found. Its length is
            // bounded by the clients the server ever numbered, so this loop is too.
            for (qint64 number = first; number <= last; ++number) {
                const auto at = m_rowOfNumber.constFind(number);
                if (at == m_rowOfNumber.cend())
                    continue;
                Row &row = m_rows[*at];
                row.messagesIn += messagesIn;
                row.messagesOut += messagesOut;
                row.bytesIn += bytesIn;
                row.bytesOut += bytesOut;
                changedRow(*at);
            }
        }
    }
    for (qsizetype i = 0; i + 1 < roundTrips.size(); i += 2) {
        const auto at = m_rowOfNumber.constFind(roundTrips.at(i).toInteger());
        if (at == m_rowOfNumber.cend())
            continue;
        m_rows[*at].roundTripMs = roundTrips.at(i + 1).toInteger(-1);
        changedRow(*at);
    }
    if (bottom >= 0)
        emit dataChanged(index(top, 0), index(bottom, ColumnCount - 1));
}

void ClientTableModel::reindexFrom(int first)
{
    for (int row = first; row < m_rows.size(); ++row) {
        m_rowOf.insert(m_rows[row].id, row);
        m_rowOfNumber.insert(m_rows[row].number, row);
    }
}

} // namespace herald::console
