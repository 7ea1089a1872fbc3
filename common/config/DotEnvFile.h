#pragma once

#include <QHash>
#include <QString>

namespace herald {

// Reads KEY=VALUE lines the way docker compose and python-dotenv do: comments, blank lines, `export`,
// single or double quotes. A line it cannot read is an error with its line number, never skipped silently.
class DotEnvFile
{
public:
    static DotEnvFile read(const QString &path);
    static DotEnvFile parse(const QString &text, const QString &path);

    bool exists = false;
    QString path;
    QString error; // empty when the file was read cleanly
    QHash<QString, QString> values;
};

} // namespace herald
