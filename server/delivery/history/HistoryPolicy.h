#pragma once

#include "StreamKey.h"
#include "config/Config.h"
#include "protocol/ChannelName.h"

#include <QList>

namespace herald {

// How much of each stream is kept: HISTORY_SIZE and HISTORY_TTL, or for a channel the first HISTORY_CHANNELS rule
// that matches its name.
class HistoryPolicy
{
public:
    HistoryPolicy() = default;
    HistoryPolicy(HistoryLimits defaults, QList<HistoryRule> rules)
        : m_defaults(defaults)
        , m_rules(std::move(rules))
    {}

    HistoryLimits limitsOf(const StreamKey &stream) const
    {
        if (stream.kind == StreamKey::Kind::Channel)
            for (const HistoryRule &rule : m_rules)
                if (ChannelName::matches(rule.pattern, stream.name))
                    return rule.limits;
        return m_defaults;
    }
    bool keeps(const StreamKey &stream) const { return limitsOf(stream).keepsAny(); }
    // Whether any stream is kept at all: without, nothing about positions goes on the wire.
    bool keepsAny() const
    {
        if (m_defaults.keepsAny())
            return true;
        for (const HistoryRule &rule : m_rules)
            if (rule.limits.keepsAny())
                return true;
        return false;
    }

private:
    HistoryLimits m_defaults{0, 0};
    QList<HistoryRule> m_rules;
};

} // namespace herald
