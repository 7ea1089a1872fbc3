#include "Cork.h"

namespace herald {

Cork::Cork(QObject *parent)
    : QObject(parent)
{}

qsizetype Cork::hold(Writer *writer)
{
    if (!m_flushPosted) {
        // Posted events wait for the next pass of the loop (Qt holds back what is posted while it sends):
        // everything else this turn brought is handled first.
        m_flushPosted = true;
        QMetaObject::invokeMethod(this, &Cork::flush, Qt::QueuedConnection);
    }
    m_held.append(writer);
    return m_held.size() - 1;
}

void Cork::flush()
{
    m_flushPosted = false;
    // By index: a writer may forget() itself (its connection failing) or another may be held while this runs;
    // both stay valid, and a writer held meanwhile goes out in this flush too.
    for (qsizetype i = 0; i < m_held.size(); ++i) {
        if (Writer *writer = std::exchange(m_held[i], nullptr))
            writer->uncork();
    }
    m_held.clear();
}

} // namespace herald
