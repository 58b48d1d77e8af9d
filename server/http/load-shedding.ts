import type { RequestHandler } from 'express';

export interface LoadLimits {
  /** Event-loop delay above which new work is refused until it recovers. */
  maxLagMs: number;
  /** HTTP requests in progress above which new ones are refused. */
  maxInFlight: number;
}

/**
 * Tells when this process is past what it can do well, so new work is refused with a clear answer
 * (and providers retry later) instead of every request slowing down until the process falls over.
 * Lag is read the cheap way: how late a short timer fires.
 */
export class LoadGauge {
  private lagMs = 0;
  private inFlight = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(readonly limits: LoadLimits, private readonly sampleMs = 20) {}

  start(): void {
    if (this.timer) return;
    let expected = performance.now() + this.sampleMs;
    this.timer = setInterval(() => {
      const now = performance.now();
      this.lagMs = Math.max(0, now - expected);
      expected = now + this.sampleMs;
    }, this.sampleMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Why new work should be refused now, or null when there is room. */
  overloaded(): string | null {
    if (this.lagMs > this.limits.maxLagMs) return `the server is overloaded (event loop ${Math.round(this.lagMs)} ms behind)`;
    if (this.inFlight >= this.limits.maxInFlight) return `the server is overloaded (${this.inFlight} requests in progress)`;
    return null;
  }

  /**
   * Express middleware: 503 with Retry-After while overloaded. Health checks and metrics always
   * answer, so a load balancer and Prometheus still see the node.
   */
  middleware(exempt: (path: string) => boolean): RequestHandler {
    return (req, res, next) => {
      if (exempt(req.path)) return next();
      const why = this.overloaded();
      if (why) {
        res.setHeader('Retry-After', '2');
        res.status(503).json({ error: { code: 'unavailable', message: `Try again in a moment: ${why}`, details: null } });
        return;
      }
      this.inFlight++;
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        this.inFlight--;
      };
      res.once('finish', finish);
      res.once('close', finish);
      next();
    };
  }
}
