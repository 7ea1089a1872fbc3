#pragma once

#include "notification/Audience.h"
#include "protocol/StreamPosition.h"

#include <QHashFunctions>
#include <QString>
#include <optional>

namespace herald {

// One stream of kept notifications: the broadcasts to everyone, one channel's, or one user's. Notifications for
// single connections (client_id) have no stream: a connection that is gone does not come back.
struct StreamKey {
    enum class Kind { Everyone, Channel, User };

    Kind kind = Kind::Everyone;
    QString name; // the channel or the user; empty for everyone

    static StreamKey everyone() { return {}; }
    static StreamKey channel(const QString &name) { return {Kind::Channel, name}; }
    static StreamKey user(const QString &name) { return {Kind::User, name}; }

    // The stream an audience of one name (or everyone) is; nullopt for connections and for several names.
    static std::optional<StreamKey> of(const Audience &audience)
    {
        switch (audience.kind) {
        case Audience::Kind::Everyone:
            return everyone();
        case Audience::Kind::Channels:
            return audience.names.size() == 1 ? std::optional(channel(audience.names.first())) : std::nullopt;
        case Audience::Kind::Users:
            return audience.names.size() == 1 ? std::optional(user(audience.names.first())) : std::nullopt;
        case Audience::Kind::Clients:
            break;
        }
        return std::nullopt;
    }
    Audience audience() const
    {
        switch (kind) {
        case Kind::Channel:
            return Audience::of(Audience::Kind::Channels, {name});
        case Kind::User:
            return Audience::of(Audience::Kind::Users, {name});
        case Kind::Everyone:
            break;
        }
        return Audience::everyone();
    }

    // The stream a client names ("$all", "$user" for its own, or a channel), for a client whose user is user.
    static std::optional<StreamKey> named(const QString &wireName, const QString &user)
    {
        if (wireName == protocol::stream::Everyone)
            return everyone();
        if (wireName == protocol::stream::OwnUser)
            return user.isEmpty() ? std::nullopt : std::optional(StreamKey::user(user));
        return channel(wireName);
    }
    // What its clients call it: every connection of a user calls that user's stream "$user".
    QString wireName() const
    {
        switch (kind) {
        case Kind::Channel:
            return name;
        case Kind::User:
            return protocol::stream::OwnUser;
        case Kind::Everyone:
            break;
        }
        return protocol::stream::Everyone;
    }
    // Unique across kinds (a channel name never holds '$'), for maps and Redis keys.
    QString id() const
    {
        switch (kind) {
        case Kind::Channel:
            return name;
        case Kind::User:
            return QStringLiteral("$user:") + name;
        case Kind::Everyone:
            break;
        }
        return protocol::stream::Everyone;
    }

    bool operator==(const StreamKey &other) const { return kind == other.kind && name == other.name; }
};

inline size_t qHash(const StreamKey &key, size_t seed = 0)
{
    return qHashMulti(seed, int(key.kind), key.name);
}

} // namespace herald
