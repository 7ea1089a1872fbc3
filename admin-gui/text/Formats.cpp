#include "Formats.h"

#include <QLocale>
#include <cmath>

namespace herald::console {

namespace {
QString twoDigits(qint64 value)
{
    return QStringLiteral("%1").arg(value, 2, 10, QLatin1Char('0'));
}
} // namespace

QString Formats::duration(qint64 seconds)
{
    seconds = std::max<qint64>(0, seconds);
    const qint64 days = seconds / 86400, hours = seconds % 86400 / 3600, minutes = seconds % 3600 / 60,
                 secs = seconds % 60;
    if (days > 0)
        return tr("%1d %2h %3m").arg(days).arg(twoDigits(hours), twoDigits(minutes));
    if (hours > 0)
        return tr("%1h %2m %3s").arg(hours).arg(twoDigits(minutes), twoDigits(secs));
    if (minutes > 0)
        return tr("%1m %2s").arg(minutes).arg(twoDigits(secs));
    return tr("%1s").arg(secs);
}

QString Formats::durationInWords(double seconds)
{
    const qint64 whole = qRound64(seconds);
    if (whole >= 3600 && whole % 3600 == 0)
        return tr("%n hour(s)", nullptr, int(whole / 3600));
    if (whole >= 60 && whole % 60 == 0)
        return tr("%n minute(s)", nullptr, int(whole / 60));
    if (whole >= 60)
        return duration(whole);
    return tr("%n second(s)", nullptr, int(whole));
}

QString Formats::clockTime(const QDateTime &moment)
{
    if (!moment.isValid())
        return QStringLiteral("–");
    const QLocale locale;
    QString format = locale.timeFormat(QLocale::ShortFormat);
    if (!format.contains(QLatin1Char('s'))) {
        // "HH:mm" or "h:mm AP": the seconds go right after the minutes, with the locale's own separator.
        const qsizetype minutes = format.indexOf(QLatin1StringView("mm"));
        if (minutes > 0)
            format.insert(minutes + 2, format.mid(minutes - 1, 1) + QLatin1StringView("ss"));
    }
    return locale.toString(moment.toLocalTime().time(), format);
}

} // namespace herald::console
