/** Failures per key in a sliding window: in-process ({@link RateLimiter}) or shared by several nodes (`RedisRateLimiter`). */
export interface Limiter {
  /** Milliseconds until the key may try again, or 0 when it may now. */
  retryAfter(key: string): number | Promise<number>;
  hit(key: string): void | Promise<void>;
  reset(key: string): void | Promise<void>;
}

/**
 * Counts failures per key in a sliding window, in this process. A single node uses it; several nodes
 * share `RedisRateLimiter` instead, or each would count alone and multiply the allowance.
 */
export class RateLimiter implements Limiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until the key may try again, or 0 when it may now. */
  retryAfter(key: string): number {
    const recent = this.recent(key);
    if (recent.length < this.max) return 0;
    return recent[0]! + this.windowMs - this.now();
  }

  hit(key: string): void {
    const recent = this.recent(key);
    recent.push(this.now());
    this.hits.set(key, recent);
    if (this.hits.size > 100_000) this.sweep();
  }

  reset(key: string): void {
    this.hits.delete(key);
  }

  private recent(key: string): number[] {
    const since = this.now() - this.windowMs;
    return (this.hits.get(key) ?? []).filter((t) => t > since);
  }

  private sweep(): void {
    for (const key of this.hits.keys()) if (this.recent(key).length === 0) this.hits.delete(key);
  }
}
