import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, visitor, type ApiClient } from '../helpers/clients.js';
import { startHub, type TestHub } from '../helpers/hub.js';

/** Blocks this process's event loop, as a burst of work too big for one process would. */
function hog(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('under overload the hub refuses new work clearly instead of falling over', () => {
  let t: TestHub;
  let admin: ApiClient;
  beforeAll(async () => {
    t = await startHub({ env: { MAX_EVENT_LOOP_LAG_MS: '150' } });
    admin = await login(t.url, t.admin.email, t.admin.password);
  });
  afterAll(() => t.stop());

  it('HTTP gets 503 with Retry-After and a reason, the widget an "unavailable" answer it can retry; health still answers; then it recovers', async () => {
    const v = await visitor(t.url, t.demoWidgetKey);
    const api = admin.call('GET', '/api/me');
    const health = fetch(`${t.url}/healthz`);
    const send = v.send('are you there?');
    hog(500);
    const refused = await api;
    expect(refused.status).toBe(503);
    expect(refused.body.error).toMatchObject({ code: 'unavailable', message: expect.stringContaining('overloaded') });
    expect((await health).status).toBe(200);
    const ack = await send;
    expect(ack).toMatchObject({ ok: false, error: { code: 'unavailable' } });

    let again = await admin.call('GET', '/api/me');
    for (let i = 0; i < 100 && again.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 20));
      again = await admin.call('GET', '/api/me');
    }
    expect(again.status).toBe(200);
    const retried = await v.send('are you there?');
    expect(retried.ok).toBe(true);
    v.socket.close();
  });
});
