#pragma once

#include <QString>
#include <QStringList>

namespace herald {

// What a channel may be called, the same for a client's subscribe and for POST /notify: 1 to MaxLength
// characters of letters, digits and "_ . : - @" ("orders.42", "team:7", "user@example"). Compared exactly.
struct ChannelName {
    static constexpr int MaxLength = 128;
    static bool isValid(const QString &name);
    // Why a name is not valid, for error messages.
    static QString rule();

    // A pattern, as a client token's "channels" claim and PUBLIC_CHANNELS list them: a channel name, or a prefix
    // ending in "*" ("orders.*" is every channel starting with "orders."; "*" alone is every channel).
    static bool isValidPattern(const QString &pattern);
    static bool matches(const QString &pattern, const QString &channel);
    static bool matchesAny(const QStringList &patterns, const QString &channel);
};

} // namespace herald
