#pragma once

#include <QLatin1StringView>

// The wire contract between Herald and its WebSocket clients: message types and close codes.
namespace herald::protocol {

namespace type {
inline constexpr QLatin1StringView Welcome{"welcome"};
inline constexpr QLatin1StringView Ping{"ping"};
inline constexpr QLatin1StringView Pong{"pong"};
inline constexpr QLatin1StringView StatusRequest{"status_request"};
inline constexpr QLatin1StringView Status{"status"};
inline constexpr QLatin1StringView Error{"error"};
inline constexpr QLatin1StringView Periodic{"periodic"};
inline constexpr QLatin1StringView Shutdown{"shutdown"};
inline constexpr QLatin1StringView Notification{"notification"};
} // namespace type

namespace error {
inline constexpr QLatin1StringView InvalidJson{"invalid_json"};
inline constexpr QLatin1StringView InvalidMessage{"invalid_message"};
inline constexpr QLatin1StringView UnknownType{"unknown_type"};
inline constexpr QLatin1StringView BinaryNotSupported{"binary_not_supported"};
} // namespace error

// RFC 6455 section 7.4.1 close codes Herald uses.
namespace close {
inline constexpr quint16 GoingAway = 1001;
inline constexpr quint16 PolicyViolation = 1008;
} // namespace close

inline constexpr QLatin1StringView WebSocketPath{"/ws"};
inline constexpr QLatin1StringView AdminPath{"/admin"};

} // namespace herald::protocol
