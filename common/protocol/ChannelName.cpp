#include "ChannelName.h"

#include <algorithm>

namespace herald {

bool ChannelName::isValid(const QString &name)
{
    if (name.isEmpty() || name.size() > MaxLength)
        return false;
    for (const QChar c : name) {
        const char16_t u = c.unicode();
        const bool allowed = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '_' ||
                             u == '.' || u == ':' || u == '-' || u == '@';
        if (!allowed)
            return false;
    }
    return true;
}

bool ChannelName::isValidPattern(const QString &pattern)
{
    if (pattern == u"*")
        return true;
    return pattern.endsWith(QLatin1Char('*')) ? isValid(pattern.chopped(1)) : isValid(pattern);
}

bool ChannelName::matches(const QString &pattern, const QString &channel)
{
    return pattern.endsWith(QLatin1Char('*')) ? channel.startsWith(QStringView(pattern).chopped(1))
                                              : channel == pattern;
}

bool ChannelName::matchesAny(const QStringList &patterns, const QString &channel)
{
    return std::any_of(patterns.cbegin(), patterns.cend(),
                       [&](const QString &pattern) { return matches(pattern, channel); });
}

QString ChannelName::rule()
{
    return QStringLiteral("1 to %1 characters of letters, digits, '_', '.', ':', '-' or '@'").arg(MaxLength);
}

} // namespace herald
