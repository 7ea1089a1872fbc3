#pragma once

#include <QJsonObject>
#include <QString>

namespace herald::test {

// How often the server counted `reason` in metrics[section][byReason], from a /metrics (or metricsJson()) document.
inline int countedBecause(const QJsonObject &metrics, const QString &section, const QString &byReason,
                          const QString &reason)
{
    return metrics.value(section).toObject().value(byReason).toObject().value(reason).toInt();
}

// How many WebSocket connections the server closed for this reason.
inline int closedBecause(const QJsonObject &metrics, const QString &reason)
{
    return countedBecause(metrics, QStringLiteral("connections"), QStringLiteral("closed_by_reason"), reason);
}

// How many connections or requests the front door refused for this reason.
inline int refusedBecause(const QJsonObject &metrics, const QString &reason)
{
    return countedBecause(metrics, QStringLiteral("connections"), QStringLiteral("refused_by_reason"), reason);
}

// How many connections left the front door for this reason (closed, or upgraded).
inline int httpClosedBecause(const QJsonObject &metrics, const QString &reason)
{
    return countedBecause(metrics, QStringLiteral("http_connections"), QStringLiteral("closed_by_reason"), reason);
}

} // namespace herald::test
