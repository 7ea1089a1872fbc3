#include "LogRetention.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTimer>

namespace herald {

LogRetention::LogRetention(QObject *parent)
    : QObject(parent)
    , m_timer(new QTimer(this))
{
    m_timer->setInterval(std::chrono::hours(1));
    connect(m_timer, &QTimer::timeout, this, &LogRetention::sweep);
}

void LogRetention::setPolicy(const QString &directory, qint64 maxAgeSeconds)
{
    m_directory = directory;
    m_maxAgeSeconds = maxAgeSeconds;
    m_timer->start();
}

void LogRetention::sweep()
{
    if (m_directory.isEmpty())
        return;
    static const QRegularExpression rotatedName(QStringLiteral("^(herald|errors)\\.\\d+\\.log$"));
    const QDateTime cutoff = QDateTime::currentDateTimeUtc().addSecs(-m_maxAgeSeconds);
    const QFileInfoList files = QDir(m_directory).entryInfoList({QStringLiteral("*.log")}, QDir::Files);
    for (const QFileInfo &file : files) {
        if (rotatedName.match(file.fileName()).hasMatch() && file.lastModified().toUTC() < cutoff &&
            QFile::remove(file.absoluteFilePath()))
            emit fileDeleted(file.absoluteFilePath());
    }
}

} // namespace herald
