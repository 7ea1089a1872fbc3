#include "ProcessFigures.h"

#include <QByteArray>
#include <QFile>
#include <QList>

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

namespace herald {

namespace {

QByteArray readProcFile(const char *path)
{
    QFile file(QString::fromLatin1(path));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// The process's start, from its start time in clock ticks after boot (/proc/self/stat, field 22) and the
// boot time (/proc/stat, btime).
double processStartTime()
{
    const QByteArray stat = readProcFile("/proc/self/stat");
    // The command name (field 2) may hold spaces and parentheses: the fields after it follow the last ')'.
    const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    constexpr int StartTimeAfterName = 22 - 3;
    if (fields.size() <= StartTimeAfterName)
        return 0;
    const double ticksAfterBoot = fields[StartTimeAfterName].toDouble();
    for (const QByteArray &line : readProcFile("/proc/stat").split('\n'))
        if (line.startsWith("btime "))
            return line.mid(6).trimmed().toDouble() + ticksAfterBoot / double(::sysconf(_SC_CLK_TCK));
    return 0;
}

// Entries of /proc/self/fd, one per open descriptor. A plain readdir loop: at 10,000 clients QDir's listing
// (a QString and a file check per entry, then a sort) cost about 40 ms, on every scrape and every console tick.
qint64 openDescriptorCount()
{
    DIR *directory = ::opendir("/proc/self/fd");
    if (!directory)
        return -1;
    qint64 count = 0;
    while (const dirent *entry = ::readdir(directory))
        if (entry->d_name[0] != '.')
            ++count;
    ::closedir(directory);
    return count - 1; // the descriptor of the listing itself
}

} // namespace

ProcessFigures ProcessFigures::read()
{
    ProcessFigures figures;
    figures.startTimeSeconds = processStartTime();
    rusage usage{};
    if (::getrusage(RUSAGE_SELF, &usage) == 0)
        figures.cpuSeconds = double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                             double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    const QList<QByteArray> pages = readProcFile("/proc/self/statm").split(' ');
    const qint64 pageSize = ::sysconf(_SC_PAGESIZE);
    if (pages.size() >= 2) {
        figures.virtualBytes = pages[0].toLongLong() * pageSize;
        figures.residentBytes = pages[1].toLongLong() * pageSize;
    }
    figures.openDescriptors = openDescriptorCount();
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0)
        figures.maxDescriptors = limit.rlim_cur == RLIM_INFINITY ? -1 : qint64(limit.rlim_cur);
    return figures;
}

} // namespace herald
