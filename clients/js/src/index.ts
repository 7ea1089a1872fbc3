export { HeraldClient } from "./client.js";
export type {
  ClientState,
  Disconnection,
  HeraldClientOptions,
  HeraldEvents,
  SubscribeResult,
  WebSocketConstructor,
  WebSocketLike,
} from "./client.js";
export { HeraldError } from "./errors.js";
export type { HeraldErrorCode } from "./errors.js";
export { Backoff } from "./backoff.js";
export type { BackoffOptions } from "./backoff.js";
export { StreamPositions } from "./positions.js";
export { AllStream, UserStream, CloseCode } from "./protocol.js";
export type { Notification, ShutdownNotice, StreamPosition, StreamRecovery, Welcome } from "./protocol.js";
