#pragma once

#include <QDateTime>
#include <QString>

namespace herald {

// Every timestamp Herald emits is ISO 8601 in UTC with milliseconds, so clients can sort them as strings.
inline QString isoTimestampUtc(const QDateTime &when = QDateTime::currentDateTimeUtc())
{
    return when.toUTC().toString(Qt::ISODateWithMs);
}

} // namespace herald
