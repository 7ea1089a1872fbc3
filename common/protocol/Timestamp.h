#pragma once

#include <QDateTime>
#include <QString>
#include <QTimeZone>

namespace herald {

// Every timestamp Herald emits is ISO 8601 in UTC with milliseconds ("2026-12-02T19:32:16.123Z"), so clients can
// sort them as strings. The same text as QDateTime::toString(Qt::ISODateWithMs) in UTC, written directly: Qt's
// goes through its calendar and time-zone machinery (about 12,000 instructions), and every welcome and every
// notification carries a timestamp.
inline QString isoTimestampUtc(qint64 msSinceEpoch)
{
    constexpr qint64 MsPerDay = 86400000;
    qint64 days = msSinceEpoch / MsPerDay;
    qint64 ms = msSinceEpoch % MsPerDay;
    if (ms < 0) {
        ms += MsPerDay;
        --days;
    }
    // Days to a civil date (Howard Hinnant's algorithm, proleptic Gregorian as Qt's).
    days += 719468;
    const qint64 era = (days >= 0 ? days : days - 146096) / 146097;
    const qint64 dayOfEra = days - era * 146097;
    const qint64 yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
    const qint64 dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    const qint64 shiftedMonth = (5 * dayOfYear + 2) / 153;
    const qint64 day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1;
    const qint64 month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
    const qint64 year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
    if (year < 0 || year > 9999)
        return QDateTime::fromMSecsSinceEpoch(msSinceEpoch).toUTC().toString(Qt::ISODateWithMs);
    char text[24];
    const auto put = [&text](int at, qint64 value, int digits) {
        for (int i = digits - 1; i >= 0; --i, value /= 10)
            text[at + i] = char('0' + value % 10);
    };
    put(0, year, 4);
    text[4] = '-';
    put(5, month, 2);
    text[7] = '-';
    put(8, day, 2);
    text[10] = 'T';
    put(11, ms / 3600000, 2);
    text[13] = ':';
    put(14, ms / 60000 % 60, 2);
    text[16] = ':';
    put(17, ms / 1000 % 60, 2);
    text[19] = '.';
    put(20, ms % 1000, 3);
    text[23] = 'Z';
    return QString::fromLatin1(text, 24);
}

inline QString isoTimestampUtc(const QDateTime &when)
{
    return isoTimestampUtc(when.toMSecsSinceEpoch());
}

inline QString isoTimestampUtc()
{
    return isoTimestampUtc(QDateTime::currentMSecsSinceEpoch());
}

} // namespace herald
