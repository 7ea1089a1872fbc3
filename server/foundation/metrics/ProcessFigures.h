#pragma once

#include <QtGlobal>

namespace herald {

// What Prometheus client libraries export as process_* for every process: read from the kernel (/proc,
// getrusage, getrlimit) when the metrics are rendered, never kept.
struct ProcessFigures {
    double startTimeSeconds = 0; // since the Unix epoch
    double cpuSeconds = 0;       // user + system
    qint64 residentBytes = 0;
    qint64 virtualBytes = 0;
    qint64 openDescriptors = 0;
    qint64 maxDescriptors = 0;

    static ProcessFigures read();
};

} // namespace herald
