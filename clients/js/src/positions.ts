import type { Notification, StreamPosition, StreamRecovery } from "./protocol.js";

interface Tracked extends StreamPosition {
  /** The highest offset of a notification received in this epoch: what a repeat is recognised by. */
  seen?: number;
}

/**
 * Where each stream of this client stands, to come back from after a reconnection (`since=`), and which
 * notifications were already had. Two figures per stream: the position to recover from (the highest the server
 * gave or a notification carried) and the highest offset actually received, because a notification at or below a
 * position just given may still arrive and is then one not yet had.
 */
export class StreamPositions {
  private readonly streams = new Map<string, Tracked>();

  constructor(initial: Record<string, StreamPosition> = {}) {
    for (const [stream, position] of Object.entries(initial))
      this.streams.set(stream, { offset: position.offset, epoch: position.epoch });
  }

  /** The position to recover `stream` from, if this client has one. */
  sinceOf(stream: string): StreamPosition | undefined {
    const tracked = this.streams.get(stream);
    return tracked && { offset: tracked.offset, epoch: tracked.epoch };
  }

  /** A position the server gave (welcome, subscribed, a recovery that only gave positions). */
  given(stream: string, position: StreamPosition): void {
    const tracked = this.streams.get(stream);
    if (tracked && tracked.epoch === position.epoch) tracked.offset = Math.max(tracked.offset, position.offset);
    else this.streams.set(stream, { offset: position.offset, epoch: position.epoch });
  }

  /** Notes a notification; false when it is one already received (a repeat at a reconnection's seam). */
  received(notification: Notification): boolean {
    const { stream, offset, epoch } = notification;
    if (typeof stream !== "string" || typeof offset !== "number" || typeof epoch !== "string") return true;
    const tracked = this.streams.get(stream);
    if (!tracked || tracked.epoch !== epoch) {
      this.streams.set(stream, { offset, epoch, seen: offset });
      return true;
    }
    if (tracked.seen !== undefined && offset <= tracked.seen) return false;
    tracked.seen = offset;
    tracked.offset = Math.max(tracked.offset, offset);
    return true;
  }

  /** What a recovery came to: complete, the replay is in and the position moves on; incomplete, the stream starts
   *  again from the position given (a new epoch, or history that no longer reaches back). */
  recovered(result: Pick<StreamRecovery, "stream" | "recovered"> & Partial<StreamPosition>): void {
    if (result.recovered && typeof result.offset === "number" && typeof result.epoch === "string") {
      this.given(result.stream, { offset: result.offset, epoch: result.epoch });
      return;
    }
    if (typeof result.offset === "number" && typeof result.epoch === "string")
      this.streams.set(result.stream, { offset: result.offset, epoch: result.epoch });
    else this.streams.delete(result.stream); // the stream keeps nothing: there is nothing to come back from
  }

  forget(stream: string): void {
    this.streams.delete(stream);
  }

  /** Every stream's position, to keep (in localStorage, say) and pass back as the `positions` option. */
  toJSON(): Record<string, StreamPosition> {
    const all: Record<string, StreamPosition> = {};
    for (const [stream, { offset, epoch }] of this.streams) all[stream] = { offset, epoch };
    return all;
  }
}
