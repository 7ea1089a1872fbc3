#include "DotEnvFile.h"

#include <QFile>
#include <QRegularExpression>

namespace herald {

DotEnvFile DotEnvFile::read(const QString &path)
{
    QFile file(path);
    if (!file.exists())
        return DotEnvFile{false, path, {}, {}};
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return DotEnvFile{true, path, QStringLiteral("cannot read %1: %2").arg(path, file.errorString()), {}};
    return parse(QString::fromUtf8(file.readAll()), path);
}

QString DotEnvFile::update(const QString &path, const QHash<QString, QString> &values)
{
    QFile file(path);
    QStringList lines;
    if (file.exists()) {
        if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
            return QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'));
        file.close();
        if (!lines.isEmpty() && lines.last().isEmpty())
            lines.removeLast();
    }
    const auto quoted = [](const QString &value) {
        return value.contains(QLatin1Char(' ')) || value.contains(QLatin1Char('#'))
                   ? QLatin1Char('"') + value + QLatin1Char('"')
                   : value;
    };
    static const QRegularExpression keyOfLine(QStringLiteral("^\\s*(?:export\\s+)?([A-Za-z_][A-Za-z0-9_]*)\\s*="));
    QHash<QString, QString> pending = values;
    for (QString &line : lines) {
        const QString key = keyOfLine.match(line).captured(1);
        if (pending.contains(key))
            line = key + QLatin1Char('=') + quoted(pending.take(key));
    }
    QStringList added = pending.keys();
    added.sort();
    for (const QString &key : added)
        lines.append(key + QLatin1Char('=') + quoted(pending.value(key)));
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text))
        return QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
    file.write((lines.join(QLatin1Char('\n')) + QLatin1Char('\n')).toUtf8());
    return {};
}

DotEnvFile DotEnvFile::parse(const QString &text, const QString &path)
{
    static const QRegularExpression line(
        QStringLiteral("^\\s*(?:export\\s+)?([A-Za-z_][A-Za-z0-9_]*)\\s*=\\s*(.*?)\\s*$"));
    DotEnvFile result{true, path, {}, {}};
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size(); ++i) {
        const QString trimmed = lines[i].trimmed();
        if (trimmed.isEmpty() || trimmed.startsWith(QLatin1Char('#')))
            continue;
        const QRegularExpressionMatch match = line.match(lines[i]);
        if (!match.hasMatch()) {
            result.error = QStringLiteral("%1:%2: expected KEY=VALUE, found \"%3\"").arg(path).arg(i + 1).arg(trimmed);
            return result;
        }
        QString value = match.captured(2);
        const QChar quote = value.isEmpty() ? QChar() : value.front();
        if (quote == u'"' || quote == u'\'') {
            const qsizetype end = value.indexOf(quote, 1);
            if (end < 0) {
                result.error =
                    QStringLiteral("%1:%2: unterminated quote in %3").arg(path).arg(i + 1).arg(match.captured(1));
                return result;
            }
            value = value.mid(1, end - 1);
        } else {
            // An unquoted value ends at " #", as in shell and docker compose.
            const qsizetype comment = value.indexOf(QStringLiteral(" #"));
            if (comment >= 0)
                value = value.left(comment).trimmed();
        }
        result.values.insert(match.captured(1), value);
    }
    return result;
}

} // namespace herald
