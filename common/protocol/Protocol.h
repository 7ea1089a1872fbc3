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
inline constexpr QLatin1StringView Subscribe{"subscribe"};
inline constexpr QLatin1StringView Subscribed{"subscribed"};
inline constexpr QLatin1StringView Unsubscribe{"unsubscribe"};
inline constexpr QLatin1StringView Unsubscribed{"unsubscribed"};
// After the welcome of a client that connected with ?since=: what came of recovering each stream it named.
inline constexpr QLatin1StringView Recovery{"recovery"};
// From a client: it has a notification that asked for acknowledgement ("ack": true), by the notification's id.
inline constexpr QLatin1StringView Ack{"ack"};
} // namespace type

// The field a notification sent to a channel carries, and the one subscribe and unsubscribe name.
inline constexpr QLatin1StringView ChannelField{"channel"};
// What the welcome, "subscribed" and "recovery" say of streams: their positions, and whether a recovery was whole.
inline constexpr QLatin1StringView StreamsField{"streams"};
inline constexpr QLatin1StringView RecoveredField{"recovered"};
inline constexpr QLatin1StringView ReplayedField{"replayed"};
inline constexpr QLatin1StringView ReasonField{"reason"};

namespace error {
inline constexpr QLatin1StringView InvalidJson{"invalid_json"};
inline constexpr QLatin1StringView InvalidMessage{"invalid_message"};
inline constexpr QLatin1StringView UnknownType{"unknown_type"};
inline constexpr QLatin1StringView BinaryNotSupported{"binary_not_supported"};
inline constexpr QLatin1StringView InvalidChannel{"invalid_channel"};
inline constexpr QLatin1StringView TooManyChannels{"too_many_channels"};
inline constexpr QLatin1StringView AlreadySubscribed{"already_subscribed"};
inline constexpr QLatin1StringView NotSubscribed{"not_subscribed"};
inline constexpr QLatin1StringView Forbidden{"forbidden"};
inline constexpr QLatin1StringView InvalidPosition{"invalid_position"};
} // namespace error

// RFC 6455 section 7.4.1 close codes Herald uses.
namespace close {
inline constexpr quint16 GoingAway = 1001;
inline constexpr quint16 PolicyViolation = 1008;
} // namespace close

// 1008 closes for two reasons a client should tell apart (a client library backs off longer after the first, and
// after the second knows it read too slowly): the close frame's reason begins with one of these, then ": ".
namespace closereason {
inline constexpr QLatin1StringView RateLimited{"rate_limited"};
inline constexpr QLatin1StringView SlowConsumer{"slow_consumer"};
} // namespace closereason

// How a client is connected, as the console and the client lists name it.
namespace transport {
inline constexpr QLatin1StringView WebSocket{"websocket"};
inline constexpr QLatin1StringView EventStream{"sse"};
} // namespace transport

// What an event stream says besides the notifications (each a "data:" event, its id the client's positions).
namespace eventstream {
// The id: the client's position in each of its streams, as /ws?since= gives one, joined by this; an EventSource
// sends it back as Last-Event-ID when it reconnects, and the server recovers each stream from there.
inline constexpr char PositionSeparator = ',';
inline constexpr QLatin1StringView LastEventIdHeader{"last-event-id"};
// The last event before the server ends the stream: {"code": <a WebSocket close code>, "reason": "..."}.
inline constexpr QLatin1StringView CloseEvent{"close"};
inline constexpr QLatin1StringView CodeField{"code"};
} // namespace eventstream

inline constexpr QLatin1StringView WebSocketPath{"/ws"};
// Server-sent events (text/event-stream): the same notifications for clients that only listen (EventSource).
inline constexpr QLatin1StringView EventStreamPath{"/events"};
inline constexpr QLatin1StringView AdminPath{"/admin"};

} // namespace herald::protocol
