// Herald's WebSocket protocol as this client reads and writes it (the server's README, "WebSocket protocol").
// Everything the client puts on the wire or matches on is named here once.

/** A stream's place in its history: the offset of its newest notification, in the history named by epoch. */
export interface StreamPosition {
  offset: number;
  epoch: string;
}

/** Where a reconnection left a stream: complete, or what the application must refetch. */
export interface StreamRecovery extends StreamPosition {
  stream: string;
  /** Every notification missed while away was replayed, in order. False: refetch the application's state. */
  recovered: boolean;
  /** How many notifications were replayed. */
  replayed: number;
  /** Why recovery was not complete: epoch_changed, too_old, too_many, not_kept, unavailable. */
  reason?: string;
}

/** A notification as the server sent it (`POST /notify`), with its position when its stream keeps history. */
export interface Notification {
  type: string;
  id?: string;
  message?: unknown;
  data?: unknown;
  timestamp?: string;
  channel?: string;
  stream?: string;
  offset?: number;
  epoch?: string;
  ack?: boolean;
  [field: string]: unknown;
}

/** The first message of every connection. */
export interface Welcome {
  client_id: string;
  channels?: string[];
  streams?: Record<string, StreamPosition>;
  [field: string]: unknown;
}

export interface ShutdownNotice {
  reason?: string;
  grace_seconds?: number;
  [field: string]: unknown;
}

export const MessageType = {
  Welcome: "welcome",
  Ping: "ping",
  Pong: "pong",
  Error: "error",
  Periodic: "periodic",
  Shutdown: "shutdown",
  Subscribe: "subscribe",
  Subscribed: "subscribed",
  Unsubscribe: "unsubscribe",
  Unsubscribed: "unsubscribed",
  Recovery: "recovery",
  Ack: "ack",
  Status: "status",
} as const;

/** The stream of broadcasts to everyone, and the one of notifications sent to this client's user. */
export const AllStream = "$all";
export const UserStream = "$user";

/** RFC 6455 close codes Herald uses, and the ones a browser reports for a link that broke. */
export const CloseCode = {
  Normal: 1000,
  GoingAway: 1001,
  ProtocolError: 1002,
  Abnormal: 1006,
  InvalidPayload: 1007,
  PolicyViolation: 1008,
  MessageTooBig: 1009,
} as const;

/** A channel name: 1 to 128 letters, digits and `_ . : - @`, as the server checks it. */
export const ChannelNamePattern = /^[A-Za-z0-9_.:\-@]{1,128}$/;
