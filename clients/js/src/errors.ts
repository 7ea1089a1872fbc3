import { CloseCode } from "./protocol.js";

/**
 * Every reason this client reports, as `HeraldError.code`. The server's own refusals keep the server's code
 * (`forbidden`, `too_many_channels`, ...); the ones below are the client's names for what the transport said.
 */
export type HeraldErrorCode =
  // The link: the handshake was refused (401/403/400/429/503: a browser does not say which) or the server is
  // unreachable; the link went quiet past the ping timeout; it broke without a close frame.
  | "connect_failed"
  | "ping_timeout"
  | "connection_lost"
  // The server closed: shutting down (1001), this client broke the protocol (1002, 1007), sent a message over
  // MAX_MESSAGE_SIZE (1009), sent too much (1008 rate_limited) or read too slowly (1008 slow_consumer).
  | "server_shutdown"
  | "protocol_error"
  | "message_too_big"
  | "rate_limited"
  | "slow_consumer"
  | "closed_by_server"
  // The server's answers to a message of this client.
  | "invalid_json"
  | "invalid_message"
  | "unknown_type"
  | "binary_not_supported"
  | "invalid_channel"
  | "too_many_channels"
  | "already_subscribed"
  | "not_subscribed"
  | "forbidden"
  | "invalid_position"
  // A request that could not be answered: the client was closed, or the token callback failed.
  | "client_closed"
  | "token_failed";

export class HeraldError extends Error {
  readonly code: HeraldErrorCode | string;
  /** The WebSocket close code, when the error is a close. */
  readonly closeCode: number | undefined;
  /** The channel a refusal concerns, when it concerns one. */
  readonly channel: string | undefined;

  constructor(code: HeraldErrorCode | string, message: string, details: { closeCode?: number; channel?: string } = {}) {
    super(message);
    this.name = "HeraldError";
    this.code = code;
    this.closeCode = details.closeCode;
    this.channel = details.channel;
  }
}

/** What a close tells: its code for the application, and whether trying again can help. */
export function errorForClose(code: number, reason: string, opened: boolean): HeraldError {
  const details = { closeCode: code };
  if (!opened) return new HeraldError("connect_failed", `Could not connect (close ${code}${reason ? `: ${reason}` : ""})`, details);
  switch (code) {
    case CloseCode.GoingAway:
      return new HeraldError("server_shutdown", reason || "The server is shutting down", details);
    case CloseCode.ProtocolError:
    case CloseCode.InvalidPayload:
      return new HeraldError("protocol_error", reason || "The server closed: protocol error", details);
    case CloseCode.MessageTooBig:
      return new HeraldError("message_too_big", reason || "A message was larger than the server allows", details);
    case CloseCode.PolicyViolation: {
      // The server's 1008 reasons begin with their code: "rate_limited: ...", "slow_consumer: ...".
      const code1008 = reason.split(":", 1)[0];
      if (code1008 === "rate_limited" || code1008 === "slow_consumer")
        return new HeraldError(code1008, reason, details);
      return new HeraldError("closed_by_server", reason || "Closed by the server (policy)", details);
    }
    case CloseCode.Abnormal:
      return new HeraldError("connection_lost", "The connection was lost", details);
    default:
      return new HeraldError("closed_by_server", reason || `Closed by the server (${code})`, details);
  }
}
