#pragma once

#include <QLatin1StringView>

// The wire contract between the server's admin feed (server/ingress/admin) and a console (admin-gui), the same JSON for
// the embedded console (signals) and a remote one (the /admin WebSocket). Both sides name keys from here.
//
// Events, server to console:
//   {"event":"snapshot","clients":[row...],"metrics":{...},"status":{...},"shutdown":{shutdown event}}
//   {"event":"clients","added":[row...],"removed":[id...],
//    "deltas":[{"by":[messages_in,messages_out,bytes_in,bytes_out],"ranges":[first,last,first,last...]}...],
//    "rtt":[n,ms,n,ms...]}
//      A row carries "n", the client's feed number: increasing, never reused while the server runs. A delta
//      group adds "by" to every client whose number lies in one of its inclusive ranges; numbers in a range that
//      the console does not know belong to clients already removed. After a broadcast every client has the
//      same delta, so 10,000 changed rows travel as one group with a handful of ranges. A row names its
//      "instance"; with Redis the rows include the other instances' clients, which carry "traffic":false and
//      no traffic figures, and get no deltas.
//   {"event":"metrics","metrics":{...same as GET /metrics...}}
//   {"event":"log","records":[{"timestamp","level","event","message",...fields}...],"dropped":n}
//   {"event":"shutdown","state":"running|draining|closing|finished","step":0..6,"reason":...,"remaining":n,
//    "clients_at_start":n,"seconds_left":s,"timeout_seconds":t}
//   {"event":"receipt","id":<notification id>,"sent":n,"acknowledged":n}   (a notification sent with "ack": true,
//    whenever its counts change)
// The path is protocol::AdminPath (Protocol.h). Commands, console to server (answers:
// {"reply":<command>,"ok":bool,...,"request_id":<echoed>}, a failure with "error" (a code below) and "message"):
//   {"command":"broadcast","message":...,"type":...,"data":{...},"targets":[client ids]} (no targets: everyone;
//    instead of targets, "channel" or "user" as POST /notify takes them; "ack": true as there); the answer
//    carries "notification_id"
//   {"command":"shutdown","reason":...,"drain_seconds":s}   (drain_seconds: optional, at most SHUTDOWN_TIMEOUT)
//   {"command":"close_all_now"}   {"command":"snapshot"}
namespace herald::admin {

namespace event {
inline constexpr QLatin1StringView Snapshot{"snapshot"};
inline constexpr QLatin1StringView Clients{"clients"};
inline constexpr QLatin1StringView Metrics{"metrics"};
inline constexpr QLatin1StringView Log{"log"};
inline constexpr QLatin1StringView Shutdown{"shutdown"};
inline constexpr QLatin1StringView Receipt{"receipt"};
} // namespace event

namespace command {
inline constexpr QLatin1StringView Broadcast{"broadcast"};
inline constexpr QLatin1StringView Shutdown{"shutdown"};
inline constexpr QLatin1StringView CloseAllNow{"close_all_now"};
inline constexpr QLatin1StringView Snapshot{"snapshot"};
} // namespace command

namespace key {
inline constexpr QLatin1StringView Event{"event"};
inline constexpr QLatin1StringView Command{"command"};
inline constexpr QLatin1StringView Reply{"reply"};
inline constexpr QLatin1StringView Ok{"ok"};
inline constexpr QLatin1StringView Error{"error"};
inline constexpr QLatin1StringView Message{"message"};
inline constexpr QLatin1StringView RequestId{"request_id"};
inline constexpr QLatin1StringView Targets{"targets"};
inline constexpr QLatin1StringView Recipients{"recipients"};
inline constexpr QLatin1StringView Reason{"reason"};
inline constexpr QLatin1StringView DrainSeconds{"drain_seconds"};
inline constexpr QLatin1StringView NotificationId{"notification_id"};
inline constexpr QLatin1StringView Ack{"ack"};
inline constexpr QLatin1StringView Sent{"sent"};
inline constexpr QLatin1StringView Acknowledged{"acknowledged"};

inline constexpr QLatin1StringView Clients{"clients"};
inline constexpr QLatin1StringView Metrics{"metrics"};
inline constexpr QLatin1StringView Status{"status"};
inline constexpr QLatin1StringView Shutdown{"shutdown"};
inline constexpr QLatin1StringView Added{"added"};
inline constexpr QLatin1StringView Removed{"removed"};
inline constexpr QLatin1StringView Deltas{"deltas"};
inline constexpr QLatin1StringView By{"by"};
inline constexpr QLatin1StringView Ranges{"ranges"};
inline constexpr QLatin1StringView RoundTrips{"rtt"};
inline constexpr QLatin1StringView Records{"records"};
inline constexpr QLatin1StringView Dropped{"dropped"};

// A client row.
inline constexpr QLatin1StringView Number{"n"};
inline constexpr QLatin1StringView Id{"id"};
inline constexpr QLatin1StringView Remote{"remote"};
inline constexpr QLatin1StringView Identity{"identity"};
inline constexpr QLatin1StringView Transport{"transport"}; // protocol::transport: "websocket" or "sse"
inline constexpr QLatin1StringView ConnectedAt{"connected_at"};
inline constexpr QLatin1StringView MessagesIn{"messages_in"};
inline constexpr QLatin1StringView MessagesOut{"messages_out"};
inline constexpr QLatin1StringView BytesIn{"bytes_in"};
inline constexpr QLatin1StringView BytesOut{"bytes_out"};
inline constexpr QLatin1StringView RoundTripMs{"rtt_ms"};
inline constexpr QLatin1StringView State{"state"};
inline constexpr QLatin1StringView Instance{"instance"};
inline constexpr QLatin1StringView HasTraffic{"traffic"}; // false: figures not known here (another instance's)

// A shutdown event.
inline constexpr QLatin1StringView Step{"step"};
inline constexpr QLatin1StringView Remaining{"remaining"};
inline constexpr QLatin1StringView ClientsAtStart{"clients_at_start"};
inline constexpr QLatin1StringView SecondsLeft{"seconds_left"};
inline constexpr QLatin1StringView TimeoutSeconds{"timeout_seconds"};

// A log record: these four, then the event's own fields.
inline constexpr QLatin1StringView Timestamp{"timestamp"};
inline constexpr QLatin1StringView Level{"level"};
inline constexpr QLatin1StringView LogEvent{"event"};
inline constexpr QLatin1StringView LogMessage{"message"};
} // namespace key

// Client row states and shutdown states.
namespace state {
inline constexpr QLatin1StringView Open{"open"};
inline constexpr QLatin1StringView Closing{"closing"};
inline constexpr QLatin1StringView Running{"running"};
inline constexpr QLatin1StringView Draining{"draining"};
inline constexpr QLatin1StringView Finished{"finished"};
} // namespace state

// The "error" of a failed command.
namespace error {
inline constexpr QLatin1StringView InvalidJson{"invalid_json"};
inline constexpr QLatin1StringView UnknownCommand{"unknown_command"};
inline constexpr QLatin1StringView ValidationError{"validation_error"};
inline constexpr QLatin1StringView ShuttingDown{"shutting_down"};
inline constexpr QLatin1StringView NotConnected{"not_connected"}; // the console's own: the link is down
} // namespace error

// Close code and reason an attached console gets once the server has shut down.
inline constexpr quint16 ServerStoppedCloseCode = 1001;
inline constexpr QLatin1StringView ServerStoppedCloseReason{"Server stopped"};

} // namespace herald::admin
