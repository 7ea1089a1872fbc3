#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QString>

namespace herald::console {

// The one way the console writes durations and times, so that a client's Duration, the server's Uptime and the
// shutdown's time left read alike, always with seconds, in the interface's language.
class Formats
{
    Q_DECLARE_TR_FUNCTIONS(Formats)
public:
    // "12s", "4m 05s", "2h 03m 05s", "3d 02h 03m": short enough for a table column
    static QString duration(qint64 seconds);
    // "30 seconds", "1 minute", "30 minutes", "2 hours": a timeout in words, for a sentence.
    static QString durationInWords(double seconds);
    // The local time of day in the locale's own order, with seconds even where its short format has none.
    static QString clockTime(const QDateTime &moment);
};

} // namespace herald::console
