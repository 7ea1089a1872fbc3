#pragma once

#include "protocol/Protocol.h"

#include <QLatin1StringView>
#include <QString>
#include <QStringList>
#include <optional>

namespace herald {

// Who a notification is for: everyone, the subscribers of channels, every connection of users (the client
// token's "sub"), or single connections by id. The same on every instance: the broker carries it with the
// notification, and each instance delivers to the part of the audience it serves.
struct Audience {
    enum class Kind { Everyone, Channels, Users, Clients };

    Kind kind = Kind::Everyone;
    QStringList names; // channel names, user ids or client ids; empty for everyone

    static Audience everyone() { return {}; }
    static Audience of(Kind kind, const QStringList &names) { return {kind, names}; }

    bool isEveryone() const { return kind == Kind::Everyone; }

    // The /notify field that names this kind of target ("channel", "user", "client_id"), also its name on the
    // backplane; "everyone" for none.
    QLatin1StringView fieldName() const { return fieldNameOf(kind); }
    static QLatin1StringView fieldNameOf(Kind kind)
    {
        switch (kind) {
        case Kind::Channels:
            return protocol::ChannelField; // the field a channel's copy carries too
        case Kind::Users:
            return QLatin1StringView("user");
        case Kind::Clients:
            return QLatin1StringView("client_id");
        case Kind::Everyone:
            break;
        }
        return QLatin1StringView("everyone");
    }
    static std::optional<Kind> kindNamed(QStringView name)
    {
        for (Kind kind : {Kind::Everyone, Kind::Channels, Kind::Users, Kind::Clients})
            if (name == fieldNameOf(kind))
                return kind;
        return std::nullopt;
    }

    static constexpr int MaxChannels = 100; // in one notification
    static constexpr int MaxUsers = 1000;
    static constexpr int MaxClients = 1000;
    static constexpr int MaxUserIdLength = 200; // as the token verifier keeps of "sub"
};

} // namespace herald
