#pragma once

#include <QString>

namespace herald {

// What a client asked for in one text frame. Parsing is kept apart from answering so the same code can be
// fuzzed and unit-tested without a socket.
struct ClientMessage {
    enum class Kind { Ping, StatusRequest, Invalid };

    Kind kind = Kind::Invalid;
    QString errorCode;    // set when kind == Invalid
    QString errorMessage; // human-readable reason, sent back to the client

    static ClientMessage parse(const QString &text);
};

} // namespace herald
