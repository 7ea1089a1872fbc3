export interface BackoffOptions {
  /** The first delay, in milliseconds (default 500). */
  initialDelayMs?: number;
  /** The longest delay (default 30,000). */
  maxDelayMs?: number;
  /** Each failed attempt multiplies the delay by this (default 2). */
  factor?: number;
  /** The share of each delay drawn at random, 0 to 1 (default 0.5): clients dropped together come back apart. */
  jitter?: number;
}

/** Exponential back-off with jitter: the delays before each reconnection attempt. */
export class Backoff {
  private attempt = 0;
  private readonly initial: number;
  private readonly max: number;
  private readonly factor: number;
  private readonly jitter: number;

  constructor(options: BackoffOptions = {}, private readonly random: () => number = Math.random) {
    this.initial = options.initialDelayMs ?? 500;
    this.max = options.maxDelayMs ?? 30_000;
    this.factor = options.factor ?? 2;
    this.jitter = Math.min(1, Math.max(0, options.jitter ?? 0.5));
  }

  /** The delay before the next attempt; each call counts one more failure. */
  next(): number {
    const ceiling = Math.min(this.max, this.initial * Math.pow(this.factor, this.attempt));
    this.attempt += 1;
    return Math.round(ceiling * (1 - this.jitter * this.random()));
  }

  /** After a connection that worked: the next failure starts from the first delay again. */
  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
