#pragma once

#include <QJsonObject>
#include <QString>

namespace herald::test {

// How many connections the server closed for this reason, from a /metrics (or metricsJson()) document.
inline int closedBecause(const QJsonObject &metrics, const QString &reason)
{
    return metrics.value(QStringLiteral("connections"))
        .toObject()
        .value(QStringLiteral("closed_by_reason"))
        .toObject()
        .value(reason)
        .toInt();
}

} // namespace herald::test
