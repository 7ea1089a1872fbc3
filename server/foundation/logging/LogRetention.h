#pragma once

#include <QObject>
#include <QString>

class QTimer;

namespace herald {

// Deletes rotated log files (herald.N.log, errors.N.log) older than the retention age, at start and hourly.
// spdlog caps the number of rotated files but knows nothing of age, which is what operators configure.
class LogRetention : public QObject
{
    Q_OBJECT
public:
    explicit LogRetention(QObject *parent = nullptr);

    // Until a policy is set there is nothing to sweep.
    void setPolicy(const QString &directory, qint64 maxAgeSeconds);

public slots:
    void sweep();

signals:
    void fileDeleted(const QString &path);

private:
    QString m_directory;
    qint64 m_maxAgeSeconds = 0;
    QTimer *m_timer;
};

} // namespace herald
