#pragma once

#include <QJsonObject>
#include <QLatin1StringView>
#include <QString>
#include <QStringView>
#include <optional>

namespace herald {

namespace protocol::stream {
// What a client calls the streams it is in besides its channels (a channel's stream is called by the channel's
// name, which never holds a '$'): the notifications for everyone, and those for its own user (the token's "sub").
inline constexpr QLatin1StringView Everyone{"$all"};
inline constexpr QLatin1StringView OwnUser{"$user"};
// The fields a kept notification carries, and the ones a position is given in.
inline constexpr QLatin1StringView StreamField{"stream"};
inline constexpr QLatin1StringView OffsetField{"offset"};
inline constexpr QLatin1StringView EpochField{"epoch"};
inline constexpr QLatin1StringView SinceField{"since"};
} // namespace protocol::stream

// A place in one stream's history: the offset grows by one per notification kept, and the epoch names the
// history it counts in. A new epoch means the history before it is gone (an instance without Redis restarted, a
// stream was forgotten), so offsets of an old epoch say nothing about the new one.
struct StreamPosition {
    quint64 offset = 0;
    QString epoch;

    // 1 to 32 letters and digits: what Herald's epochs are, and all a client may send back.
    static bool isValidEpoch(QStringView epoch);
    // Offsets stay below 2^53, so that every JSON reader holds them exactly.
    static constexpr quint64 MaxOffset = (quint64(1) << 53) - 1;

    // A new epoch: 53 random bits in base 36, so that no two histories share one.
    static QString newEpoch();

    QJsonObject toJson() const;
    // {"offset": N, "epoch": "E"}, as a subscribe's "since" gives it; nullopt for anything else.
    static std::optional<StreamPosition> fromJson(const QJsonObject &object);
};

// A position in a stream named as its clients name it: what a kept notification carries, and a client's last
// position as /ws?since=<stream>:<offset>:<epoch> gives it (the stream may hold ':' itself, so the position is
// read from the right).
struct NamedPosition {
    QString stream; // a channel name, "$all" or "$user"
    StreamPosition position;

    static std::optional<NamedPosition> parse(QStringView text);
};

} // namespace herald
