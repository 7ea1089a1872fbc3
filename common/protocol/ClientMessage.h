#pragma once

#include "StreamPosition.h"

#include <QString>
#include <optional>

namespace herald {

// What a client asked for in one text frame. Parsing is kept apart from answering so the same code can be
// fuzzed and unit-tested without a socket.
struct ClientMessage {
    enum class Kind { Ping, StatusRequest, Subscribe, Unsubscribe, Ack, Invalid };

    Kind kind = Kind::Invalid;
    QString errorCode;    // set when kind == Invalid
    QString errorMessage; // human-readable reason, sent back to the client
    QString channel;      // for Subscribe and Unsubscribe (and a refused Subscribe whose name is valid): a channel name
    std::optional<StreamPosition> since; // for Subscribe: the client's last position in the channel, to recover from
    QString notificationId;              // for Ack

    static constexpr int MaxNotificationIdLength = 64;

    static ClientMessage parse(const QString &text);
};

} // namespace herald
