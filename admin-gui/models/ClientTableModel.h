#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QMap>

namespace herald::console {

// The live clients as a table. Fed by the server's coalesced client events, so however busy the server is
// the view sees a few batched changes per second. Durations are computed when shown (the view repaints them each
// second; every row's grows alike, so no order changes) and stop while the view is stale (the link down).
class ClientTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Id,
        Remote,
        Transport, // "websocket" or "sse" (an event stream)
        Identity,  // from the client's token (CLIENT_JWT_SECRET); empty otherwise
        Instance,  // which server of a cluster serves it
        ConnectedSince,
        Duration,
        MessagesIn,
        MessagesOut,
        BytesIn,
        BytesOut,
        RoundTrip,
        State,
        ColumnCount
    };
    // The raw value of a cell, for sorting numbers as numbers.
    static constexpr int SortRole = Qt::UserRole;
    static constexpr int ClientIdRole = Qt::UserRole + 1;
    // What the filter matches: the shown text, and the whole client id where the cell shortens it.
    static constexpr int FilterRole = Qt::UserRole + 2;

    explicit ClientTableModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    int rowOf(const QString &clientId) const { return m_rowOf.value(clientId, -1); }
    // How many rows each instance serves, by instance name: one entry unless the server is in a cluster.
    QMap<QString, int> clientsPerInstance() const;
    // Whether any client listed is on another transport than WebSocket (an event stream).
    bool hasOtherTransports() const;

public slots:
    void resetClients(const QJsonArray &rows);
    // added: full rows; removed: ids; deltas and roundTrips by feed number (common/protocol/AdminProtocol.h).
    void applyChanges(const QJsonArray &added, const QJsonArray &removed, const QJsonArray &deltas,
                      const QJsonArray &roundTrips);
    void clear();
    // Durations count up to this moment and stop (the link is down); an invalid one lets them run again.
    void freezeAt(const QDateTime &moment);

private:
    struct Row {
        qint64 number = 0; // the feed's number for it
        QString id;
        QString remote;
        QString transport;
        QString identity;
        QString instance;
        bool hasTraffic = true; // another instance's clients come without traffic figures
        QDateTime connectedAt;
        qint64 messagesIn = 0;
        qint64 messagesOut = 0;
        qint64 bytesIn = 0;
        qint64 bytesOut = 0;
        qint64 roundTripMs = -1;
        QString state;
    };
    static Row rowFrom(const QJsonObject &object);
    QVariant value(const Row &row, int column) const;
    QString display(const Row &row, int column) const;
    void reindexFrom(int first);
    QDateTime now() const;

    QList<Row> m_rows;
    QHash<QString, int> m_rowOf;
    QHash<qint64, int> m_rowOfNumber;
    QDateTime m_frozenAt;
};

} // namespace herald::console
