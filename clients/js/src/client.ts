import { Backoff, type BackoffOptions } from "./backoff.js";
import { Emitter } from "./emitter.js";
import { HeraldError, errorForClose } from "./errors.js";
import { StreamPositions } from "./positions.js";
import {
  AllStream,
  ChannelNamePattern,
  CloseCode,
  MessageType,
  UserStream,
  type Notification,
  type ShutdownNotice,
  type StreamPosition,
  type StreamRecovery,
  type Welcome,
} from "./protocol.js";

/** What the client needs of a WebSocket: the browser's, Node 22's global one, or the `ws` package's. */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}
export type WebSocketConstructor = new (url: string) => WebSocketLike;

export interface HeraldClientOptions {
  /** The server's WebSocket endpoint: `wss://notify.example.com/ws`. */
  url: string | URL;
  /** Channels to join at connect (and at every reconnection, with their positions). */
  channels?: string[];
  /** The client JWT, or a function that returns a fresh one; called before every connection attempt. */
  token?: string | (() => string | Promise<string>);
  /** The WebSocket implementation: defaults to `globalThis.WebSocket`. On Node.js 20 pass `ws`'s. */
  WebSocket?: WebSocketConstructor;
  /** Back-off between reconnection attempts, or `false` never to reconnect. */
  reconnect?: BackoffOptions | false;
  /** After this long without hearing from the server, ask it (`ping`); default 25,000 ms. */
  pingIntervalMs?: number;
  /** A ping unanswered this long means the link is dead: drop it and reconnect; default 10,000 ms. */
  pingTimeoutMs?: number;
  /** Acknowledge each notification that asks for it once every `notification` listener has run (and the promises
   *  they returned have resolved); a listener that throws or rejects leaves it unacknowledged. Default true. */
  autoAck?: boolean;
  /** Positions kept from an earlier run (`client.positions`), to recover from on the first connection. */
  positions?: Record<string, StreamPosition>;
}

export type ClientState = "idle" | "connecting" | "connected" | "closed";

export interface SubscribeResult {
  channel: string;
  /** The channel's position, when it keeps history. */
  position?: StreamPosition;
  /** When the subscription recovered from a position: whether it was complete. */
  recovery?: StreamRecovery;
}

export interface Disconnection {
  code: number;
  reason: string;
  /** Why, unless the application closed the client itself. */
  error?: HeraldError;
  /** When the next attempt starts; absent when the client will not reconnect. */
  reconnectInMs?: number;
}

export type HeraldEvents = {
  /** An attempt to connect begins (the first, or a reconnection: attempt counts the failures since the last). */
  connecting: [{ attempt: number }];
  /** The server's welcome: this connection is up. */
  connected: [Welcome];
  disconnected: [Disconnection];
  /** A notification (`POST /notify`, the console), once: a repeat at a reconnection's seam is dropped. */
  notification: [Notification];
  periodic: [Notification];
  /** What a reconnection (or a subscribe with a position) recovered, per stream. `recovered: false`: refetch. */
  recovery: [StreamRecovery];
  /** The server is shutting down; the client reconnects after it closes. */
  shutdown: [ShutdownNotice];
  /** A refusal or a lost link, with its code. */
  error: [HeraldError];
  /** Every message from the server, as parsed. */
  message: [Record<string, unknown>];
  state: [ClientState];
};

interface Pending<T> {
  resolve(value: T): void;
  reject(error: HeraldError): void;
  promise: Promise<T>;
}

function pending<T>(): Pending<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: HeraldError) => void;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  promise.catch(() => undefined); // a refusal also reaches "error"; nobody has to await a subscribe
  return { resolve, reject, promise };
}

const OPEN = 1;

/**
 * A Herald connection that stays up: it reconnects with back-off, comes back with the position of every stream so
 * the server replays what was missed, and says when that was not possible. One instance per connection.
 */
export class HeraldClient extends Emitter<HeraldEvents> {
  private readonly options: HeraldClientOptions;
  private readonly WebSocketImpl: WebSocketConstructor;
  private readonly backoff: Backoff | null;
  private readonly pingIntervalMs: number;
  private readonly pingTimeoutMs: number;
  private readonly streamPositions: StreamPositions;
  private readonly wanted = new Set<string>();
  private readonly subscribing = new Map<string, Pending<SubscribeResult>>();
  private readonly unsubscribing = new Map<string, Pending<void>>();

  private socket: WebSocketLike | null = null;
  private currentState: ClientState = "idle";
  private welcome: Welcome | null = null;
  /** Streams named in this connection's `since=`: their welcome positions wait for the recovery's answer. */
  private recovering = new Set<string>();
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private lastHeardAt = 0;
  private pingSentAt = 0;

  constructor(options: HeraldClientOptions) {
    super();
    this.options = options;
    const impl = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!impl) throw new TypeError("No WebSocket here: pass one as the WebSocket option (on Node.js 20, the ws package's)");
    this.WebSocketImpl = impl;
    this.backoff = options.reconnect === false ? null : new Backoff(options.reconnect ?? {});
    this.pingIntervalMs = options.pingIntervalMs ?? 25_000;
    this.pingTimeoutMs = options.pingTimeoutMs ?? 10_000;
    this.streamPositions = new StreamPositions(options.positions);
    for (const channel of options.channels ?? []) {
      if (!ChannelNamePattern.test(channel)) throw new HeraldError("invalid_channel", `Not a channel name: "${channel}"`, { channel });
      this.wanted.add(channel);
    }
  }

  get state(): ClientState {
    return this.currentState;
  }

  /** This connection's id (the welcome's `client_id`), while connected. */
  get clientId(): string | undefined {
    return this.welcome?.client_id;
  }

  /** The channels this client is in, or will join when it connects. */
  get channels(): string[] {
    return [...this.wanted];
  }

  /** Where every stream stands: keep it to come back from later (the `positions` option). */
  get positions(): Record<string, StreamPosition> {
    return this.streamPositions.toJSON();
  }

  /** Connects, and keeps connecting until `close()`. Resolves with the first welcome. */
  connect(): Promise<Welcome> {
    if (this.currentState === "connected" && this.welcome) return Promise.resolve(this.welcome);
    const welcomed = new Promise<Welcome>((resolve, reject) => {
      const offWelcome = this.once("connected", (welcome) => {
        offClosed();
        resolve(welcome);
      });
      const offClosed = this.on("state", (state) => {
        if (state !== "closed") return;
        offWelcome();
        offClosed();
        reject(new HeraldError("client_closed", "The client was closed before it connected"));
      });
    });
    if (this.currentState === "idle" || this.currentState === "closed") {
      this.setState("connecting");
      void this.attempt();
    }
    return welcomed;
  }

  /** Closes the connection for good: no reconnection; open requests are refused with `client_closed`. */
  close(): void {
    if (this.currentState === "closed") return;
    this.clearReconnect();
    const socket = this.detach();
    if (socket) socket.close(CloseCode.Normal, "client closed");
    const error = new HeraldError("client_closed", "The client was closed");
    this.refuseOpenRequests(error);
    this.setState("closed");
    this.emit("disconnected", { code: CloseCode.Normal, reason: "client closed" });
  }

  /** Joins a channel; with a position kept for it, recovers what was missed first. */
  subscribe(channel: string): Promise<SubscribeResult> {
    if (!ChannelNamePattern.test(channel))
      return Promise.reject(new HeraldError("invalid_channel", `Not a channel name: "${channel}"`, { channel }));
    const open = this.subscribing.get(channel);
    if (open) return open.promise;
    if (this.wanted.has(channel) && this.currentState === "connected") return Promise.resolve(this.joined(channel));
    const request = pending<SubscribeResult>();
    this.subscribing.set(channel, request);
    this.wanted.add(channel);
    if (this.currentState === "connected") this.askToSubscribe(channel);
    return request.promise;
  }

  /** Leaves a channel, and forgets its position. */
  unsubscribe(channel: string): Promise<void> {
    const wasWanted = this.wanted.delete(channel);
    this.streamPositions.forget(channel);
    this.subscribing.get(channel)?.reject(new HeraldError("client_closed", `Unsubscribed from "${channel}" before it was joined`, { channel }));
    this.subscribing.delete(channel);
    if (!wasWanted || this.currentState !== "connected") return Promise.resolve();
    const request = this.unsubscribing.get(channel) ?? pending<void>();
    this.unsubscribing.set(channel, request);
    this.send({ type: MessageType.Unsubscribe, channel });
    return request.promise;
  }

  /** Acknowledges a notification that asked for it (`"ack": true`); false when there is no connection to say it on. */
  ack(notification: Notification | string): boolean {
    const id = typeof notification === "string" ? notification : notification.id;
    if (!id || this.currentState !== "connected") return false;
    return this.send({ type: MessageType.Ack, id });
  }

  private setState(state: ClientState): void {
    if (this.currentState === state) return;
    this.currentState = state;
    this.emit("state", state);
  }

  private async attempt(): Promise<void> {
    this.emit("connecting", { attempt: this.backoff?.attempts ?? 0 });
    let token: string | undefined;
    try {
      token = typeof this.options.token === "function" ? await this.options.token() : this.options.token;
    } catch (cause) {
      if (this.currentState === "closed") return;
      this.fail(new HeraldError("token_failed", `The token callback failed: ${String(cause)}`), CloseCode.Abnormal, "");
      return;
    }
    if (this.currentState === "closed") return;
    const socket = new this.WebSocketImpl(this.connectionUrl(token));
    this.socket = socket;
    let opened = false;
    let closing = false;
    socket.onopen = () => {
      opened = true;
      this.lastHeardAt = Date.now();
    };
    socket.onmessage = (event) => {
      if (this.socket !== socket) return;
      this.lastHeardAt = Date.now();
      this.pingSentAt = 0;
      if (typeof event.data === "string") this.receive(event.data);
    };
    socket.onerror = () => undefined; // the close that follows says what happened
    socket.onclose = (event) => {
      if (this.socket !== socket || closing) return;
      closing = true;
      const welcomed = opened && this.welcome !== null;
      this.detach();
      this.fail(errorForClose(event.code, event.reason, welcomed), event.code, event.reason);
    };
  }

  /** The endpoint with what this client brings: its channels, the position of every stream to recover, its token. */
  private connectionUrl(token: string | undefined): string {
    const url = new URL(String(this.options.url));
    url.searchParams.delete("channels");
    url.searchParams.delete("since");
    url.searchParams.delete("token");
    if (this.wanted.size > 0) url.searchParams.set("channels", [...this.wanted].join(","));
    this.recovering = new Set();
    // A stream of this connection only: $all, $user (known from an earlier welcome, so there is a token), its channels.
    for (const stream of [AllStream, UserStream, ...this.wanted]) {
      const since = this.streamPositions.sinceOf(stream);
      if (!since) continue;
      url.searchParams.append("since", `${stream}:${since.offset}:${since.epoch}`);
      this.recovering.add(stream);
    }
    if (token) url.searchParams.set("token", token);
    return url.toString();
  }

  private receive(text: string): void {
    let message: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return;
      message = parsed as Record<string, unknown>;
    } catch {
      return; // Herald sends JSON objects only
    }
    this.emit("message", message);
    switch (message.type) {
      case MessageType.Welcome:
        return this.welcomed(message as Welcome);
      case MessageType.Recovery:
        return this.recoveryAnswered(message.streams as Record<string, Partial<StreamRecovery>> | undefined);
      case MessageType.Subscribed:
        return this.subscribed(message);
      case MessageType.Unsubscribed:
        return this.settleUnsubscribe(String(message.channel));
      case MessageType.Error:
        return this.refused(message);
      case MessageType.Shutdown:
        this.emit("shutdown", message as ShutdownNotice);
        return;
      case MessageType.Periodic:
        this.emit("periodic", message as Notification);
        return;
      case MessageType.Pong:
      case MessageType.Status:
        return;
      default:
        return this.notified(message as Notification);
    }
  }

  private welcomed(welcome: Welcome): void {
    this.welcome = welcome;
    this.backoff?.reset();
    for (const [stream, position] of Object.entries(welcome.streams ?? {}))
      if (!this.recovering.has(stream)) this.streamPositions.given(stream, position);
    this.startPinging();
    this.setState("connected");
    // Channels asked for while connecting were in the URL: the welcome lists them.
    for (const channel of welcome.channels ?? []) this.settleSubscribe(channel, this.joined(channel));
    // Left while connecting, after the URL was made: leave now.
    for (const channel of welcome.channels ?? [])
      if (!this.wanted.has(channel)) this.send({ type: MessageType.Unsubscribe, channel });
    // Asked for after the URL was made: ask now.
    for (const channel of this.subscribing.keys())
      if (!(welcome.channels ?? []).includes(channel)) this.askToSubscribe(channel);
    this.emit("connected", welcome);
  }

  private recoveryAnswered(streams: Record<string, Partial<StreamRecovery>> | undefined): void {
    for (const [stream, entry] of Object.entries(streams ?? {})) {
      this.recovering.delete(stream);
      if (typeof entry.recovered !== "boolean") {
        if (typeof entry.offset === "number" && typeof entry.epoch === "string")
          this.streamPositions.given(stream, { offset: entry.offset, epoch: entry.epoch });
        continue;
      }
      this.reportRecovery(stream, entry);
    }
  }

  private reportRecovery(stream: string, entry: Partial<StreamRecovery>): StreamRecovery {
    const result: StreamRecovery = {
      stream,
      recovered: entry.recovered === true,
      replayed: entry.replayed ?? 0,
      offset: entry.offset ?? 0,
      epoch: entry.epoch ?? "",
      ...(entry.reason ? { reason: entry.reason } : {}),
    };
    this.streamPositions.recovered({ ...entry, stream, recovered: result.recovered });
    this.emit("recovery", result);
    return result;
  }

  private subscribed(message: Record<string, unknown>): void {
    const channel = String(message.channel);
    let recovery: StreamRecovery | undefined;
    if (typeof message.recovered === "boolean") {
      recovery = this.reportRecovery(channel, message as Partial<StreamRecovery>);
    } else if (typeof message.offset === "number" && typeof message.epoch === "string") {
      this.streamPositions.given(channel, { offset: message.offset, epoch: message.epoch });
    }
    const answer = this.joined(channel);
    if (recovery) answer.recovery = recovery;
    this.settleSubscribe(channel, answer);
  }

  /** What a subscribe resolves with: the channel, and its position when it keeps history. */
  private joined(channel: string): SubscribeResult {
    const position = this.streamPositions.sinceOf(channel);
    return position ? { channel, position } : { channel };
  }

  /** Asks the server to join `channel`, from its kept position when there is one (the server replays from it). */
  private askToSubscribe(channel: string): void {
    const since = this.streamPositions.sinceOf(channel);
    this.send(since ? { type: MessageType.Subscribe, channel, since } : { type: MessageType.Subscribe, channel });
  }

  private settleSubscribe(channel: string, answer: SubscribeResult): void {
    this.subscribing.get(channel)?.resolve(answer);
    this.subscribing.delete(channel);
  }

  private settleUnsubscribe(channel: string): void {
    this.unsubscribing.get(channel)?.resolve();
    this.unsubscribing.delete(channel);
  }

  private refused(message: Record<string, unknown>): void {
    const code = String(message.code ?? "error");
    const channel = typeof message.channel === "string" ? message.channel : undefined;
    const error = new HeraldError(code, String(message.message ?? code), channel === undefined ? {} : { channel });
    if (channel !== undefined) {
      if (code === "not_subscribed") this.settleUnsubscribe(channel);
      const request = this.subscribing.get(channel);
      if (request && code === "already_subscribed") {
        this.settleSubscribe(channel, { channel });
      } else if (request && code !== "not_subscribed") {
        this.subscribing.delete(channel);
        this.wanted.delete(channel);
        request.reject(error);
      }
    }
    this.emit("error", error);
  }

  private notified(notification: Notification): void {
    if (!this.streamPositions.received(notification)) return; // had it already
    const results = this.emit("notification", notification);
    if (!notification.ack || !notification.id || this.options.autoAck === false || results === null) return;
    const id = notification.id;
    if (results.some((r) => r instanceof Promise || (typeof r === "object" && r !== null && "then" in r)))
      Promise.all(results).then(() => this.ack(id), () => undefined);
    else this.ack(id);
  }

  private send(message: Record<string, unknown>): boolean {
    if (!this.socket || this.socket.readyState !== OPEN) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  /** Asks the server when nothing has been heard for a while; a question left unanswered means a dead link, which
   *  no close event may ever report (a laptop's sleep, a NAT that forgot the connection). */
  private startPinging(): void {
    this.stopPinging();
    this.lastHeardAt = Date.now();
    this.pingSentAt = 0;
    const tick = Math.max(10, Math.min(this.pingIntervalMs, this.pingTimeoutMs) / 4);
    this.pingTimer = setInterval(() => {
      const now = Date.now();
      if (this.pingSentAt > 0 && now - this.pingSentAt >= this.pingTimeoutMs) {
        const socket = this.detach();
        socket?.close(4000, "ping timeout");
        this.fail(new HeraldError("ping_timeout", `No answer from the server for ${now - this.lastHeardAt} ms`), CloseCode.Abnormal, "ping timeout");
      } else if (this.pingSentAt === 0 && now - this.lastHeardAt >= this.pingIntervalMs) {
        this.pingSentAt = now;
        this.send({ type: MessageType.Ping });
      }
    }, tick);
  }

  private stopPinging(): void {
    if (this.pingTimer !== null) clearInterval(this.pingTimer);
    this.pingTimer = null;
  }

  /** Lets go of the socket: nothing it reports later is heard. */
  private detach(): WebSocketLike | null {
    const socket = this.socket;
    this.socket = null;
    this.welcome = null;
    this.stopPinging();
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = null;
      // Not null: closing a socket still connecting reports an error, which ws throws when nobody listens.
      socket.onerror = () => undefined;
    }
    return socket;
  }

  private fail(error: HeraldError, code: number, reason: string): void {
    this.emit("error", error);
    if (!this.backoff) {
      this.refuseOpenRequests(new HeraldError("client_closed", "The connection ended and reconnect is off"));
      this.setState("closed");
      this.emit("disconnected", { code, reason, error });
      return;
    }
    const delay = this.backoff.next();
    this.setState("connecting");
    this.emit("disconnected", { code, reason, error, reconnectInMs: delay });
    this.clearReconnect();
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (this.currentState === "connecting") void this.attempt();
    }, delay);
  }

  private clearReconnect(): void {
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
  }

  private refuseOpenRequests(error: HeraldError): void {
    for (const request of this.subscribing.values()) request.reject(error);
    for (const request of this.unsubscribing.values()) request.reject(error);
    this.subscribing.clear();
    this.unsubscribing.clear();
  }
}
