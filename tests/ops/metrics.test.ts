import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, login, visitor, type ApiClient } from '../helpers/clients.js';
import { startHub, type TestHub } from '../helpers/hub.js';

const TOKEN = 'prometheus-scrape-token-0123';

/** One sample's value from Prometheus' text format, or undefined when the series is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics', () => {
  let t: TestHub;
  let admin: ApiClient;
  beforeAll(async () => {
    t = await startHub();
    admin = await login(t.url, t.admin.email, t.admin.password);
  });
  afterAll(() => t.stop());

  it('counts messages per channel, times ingest, and reports queues, sockets and the outbox backlog', async () => {
    const v = await visitor(t.url, t.demoWidgetKey);
    await v.send('first');
    await v.send('second');
    const conv = await eventually(async () => (await admin.call('GET', '/api/conversations?scope=queue')).body.items[0], 'queued');
    const res = await fetch(`${t.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(sample(text, 'omniline_messages_total{channel_id="1",channel_type="webchat",direction="in"}')).toBe(2);
    expect(sample(text, 'omniline_ingest_duration_seconds_count{channel_type="webchat"}')).toBe(2);
    expect(sample(text, 'omniline_queue_length{line_id="1"}')).toBe(1);
    expect(sample(text, 'omniline_queue_oldest_wait_seconds{line_id="1"}')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'omniline_connected_sockets{namespace="/visitor"}')).toBe(1);
    expect(sample(text, 'omniline_outbox_backlog')).toBe(0);
    expect(text).toContain('omniline_process_resident_memory_bytes');

    await admin.call('POST', `/api/conversations/${conv.id}/assign`, { assigneeId: admin.session.user.id });
    await admin.call('POST', `/api/conversations/${conv.id}/messages`, { text: 'hello' });
    await admin.call('POST', `/api/conversations/${conv.id}/notes`, { text: 'internal' });
    const after = await (await fetch(`${t.url}/metrics`)).text();
    expect(sample(after, 'omniline_messages_total{channel_id="1",channel_type="webchat",direction="out"}')).toBe(1);
    expect(sample(after, 'omniline_queue_length{line_id="1"}')).toBeUndefined();
    v.socket.close();
  });

  it('is refused through a proxy when no token is set: only a scraper on this host may read it', async () => {
    const res = await fetch(`${t.url}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(res.status).toBe(403);
    expect((await res.json()).error.message).toContain('METRICS_TOKEN');
  });
});

describe('GET /metrics with METRICS_TOKEN', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startHub({ env: { METRICS_TOKEN: TOKEN } });
  });
  afterAll(() => t.stop());

  it('needs the bearer token, from anywhere', async () => {
    expect((await fetch(`${t.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${t.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-wrong-token' } })).status).toBe(401);
    const ok = await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}`, 'x-forwarded-for': '203.0.113.9' } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('omniline_outbox_backlog 0');
  });
});
