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
    // Sets keys in the file at path, changing their lines in place and appending new ones, so comments and
    // other settings survive. Returns an error message, or an empty string.
    static QString update(const QString &path, const QHash<QString, QString> &values);

    bool exists = false;
    QString path;
    QString error; // empty when the file was read cleanly
    QHash<QString, QString> values;
};

} // namespace herald
