#pragma once

#include <QString>

namespace herald {

// What a channel may be called, the same for a client's subscribe and for POST /notify: 1 to MaxLength
// characters of letters, digits and "_ . : - @" ("orders.42", "team:7", "user@example"). Compared exactly.
struct ChannelName {
    static constexpr int MaxLength = 128;
    static bool isValid(const QString &name);
    // Why a name is not valid, for error messages.
    static QString rule();
};

} // namespace herald
