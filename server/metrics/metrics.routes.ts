import { timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { HubMetrics } from './hub-metrics.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * `GET /metrics` in Prometheus' text format. Counts and queue sizes are business facts: with a token
 * configured Prometheus must present it; without one only a scraper on the same host may read them.
 */
export function metricsHandler(metrics: HubMetrics, token: string | null) {
  return async (req: Request, res: Response) => {
    if (!allowed(req, token)) {
      res.status(token ? 401 : 403).json({ error: { code: token ? 'unauthenticated' : 'forbidden', message: token ? 'Send the metrics token as a Bearer token' : 'Metrics are readable from loopback only; set METRICS_TOKEN to scrape from elsewhere', details: null } });
      return;
    }
    res.setHeader('Content-Type', metrics.contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.send(await metrics.text());
  };
}

function allowed(req: Request, token: string | null): boolean {
  if (!token) return LOOPBACK.has(req.socket.remoteAddress ?? '') && !req.headers['x-forwarded-for'];
  const given = Buffer.from(/^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '');
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}
