import express from 'express';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LoadGauge } from './load-shedding.js';

describe('load shedding', () => {
  const servers: Array<{ close(): void }> = [];
  afterEach(() => servers.splice(0).forEach((s) => s.close()));

  async function serve(gauge: LoadGauge, slow: Promise<void>) {
    const app = express();
    app.use(gauge.middleware((p) => p === '/healthz'));
    app.get('/slow', async (_req, res) => {
      await slow;
      res.json({ ok: true });
    });
    app.get('/fast', (_req, res) => res.json({ ok: true }));
    app.get('/healthz', (_req, res) => res.json({ status: 'ok' }));
    const server = app.listen(0, '127.0.0.1');
    servers.push(server);
    await new Promise((r) => server.once('listening', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('refuses new requests with 503 and Retry-After while too many are in progress, and takes them again after', async () => {
    let release!: () => void;
    const gauge = new LoadGauge({ maxLagMs: 10_000, maxInFlight: 1 });
    const url = await serve(gauge, new Promise<void>((r) => (release = r)));
    const slow = fetch(`${url}/slow`);
    await new Promise((r) => setTimeout(r, 50));
    const refused = await fetch(`${url}/fast`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('2');
    expect((await refused.json()).error).toMatchObject({ code: 'unavailable', message: expect.stringContaining('1 requests in progress') });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    release();
    expect((await slow).status).toBe(200);
    expect((await fetch(`${url}/fast`)).status).toBe(200);
  });

  it('refuses new requests while the event loop lags behind, then recovers', async () => {
    const gauge = new LoadGauge({ maxLagMs: 150, maxInFlight: 1000 }, 10);
    gauge.start();
    const url = await serve(gauge, Promise.resolve());
    expect((await fetch(`${url}/fast`)).status).toBe(200);
    const pending = fetch(`${url}/fast`);
    const until = performance.now() + 400;
    while (performance.now() < until);
    const res = await pending;
    expect(res.status).toBe(503);
    expect((await res.json()).error.message).toContain('event loop');
    // Recovered as soon as a timer fires on time again.
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 20));
      status = (await fetch(`${url}/fast`)).status;
    }
    expect(status).toBe(200);
    gauge.stop();
  });
});
