#include "ChannelName.h"

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

QString ChannelName::rule()
{
    return QStringLiteral("1 to %1 characters of letters, digits, '_', '.', ':', '-' or '@'").arg(MaxLength);
}

} // namespace herald
