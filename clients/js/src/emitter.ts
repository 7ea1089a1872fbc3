/** A small typed event emitter: no dependency on Node's events or the DOM's EventTarget, so it runs on both. */
export class Emitter<Events extends { [name: string]: unknown[] }> {
  private readonly listeners: { [E in keyof Events]?: Array<(...args: Events[E]) => unknown> } = {};

  /** Adds a listener; the function returned removes it. */
  on<E extends keyof Events>(event: E, listener: (...args: Events[E]) => unknown): () => void {
    (this.listeners[event] ??= []).push(listener);
    return () => this.off(event, listener);
  }

  once<E extends keyof Events>(event: E, listener: (...args: Events[E]) => unknown): () => void {
    const remove = this.on(event, (...args: Events[E]) => {
      remove();
      return listener(...args);
    });
    return remove;
  }

  off<E extends keyof Events>(event: E, listener: (...args: Events[E]) => unknown): void {
    const list = this.listeners[event];
    if (!list) return;
    const index = list.indexOf(listener);
    if (index >= 0) list.splice(index, 1);
  }

  /** Calls every listener and returns what they returned (a promise, say), in order, or null when one threw: that
   *  exception is reported through `failed` and does not stop the others. */
  protected emit<E extends keyof Events>(event: E, ...args: Events[E]): unknown[] | null {
    const results: unknown[] = [];
    let threw = false;
    for (const listener of [...(this.listeners[event] ?? [])]) {
      try {
        results.push(listener(...args));
      } catch (error) {
        threw = true;
        this.failed(error);
      }
    }
    return threw ? null : results;
  }

  protected listenerCount<E extends keyof Events>(event: E): number {
    return this.listeners[event]?.length ?? 0;
  }

  /** Where an exception thrown by a listener goes: reported as an uncaught exception, as a browser's EventTarget
   *  does, after the other listeners ran. */
  protected failed(error: unknown): void {
    setTimeout(() => {
      throw error;
    }, 0);
  }
}
