import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../shared/events.js';
import { login, operatorSocket, sync, type ApiClient } from '../helpers/clients.js';
import { startHub, type TestHub } from '../helpers/hub.js';
import { postgresAvailable } from '../helpers/postgres.js';

const databases = ['sqlite', ...((await postgresAvailable()) ? ['postgres' as const] : [])] as const;

describe.each(databases)('a reconnecting client misses nothing (%s)', (database) => {
  let t: TestHub;
  let admin: ApiClient;
  beforeAll(async () => {
    t = await startHub({ database });
    admin = await login(t.url, t.admin.email, t.admin.password);
  });
  afterAll(() => t.stop());

  it('disconnects, misses 20 events, reconnects and receives all 20, in order, once', async () => {
    const first = await operatorSocket(t.url, admin.cookie);
    const start = await sync(first.socket, null);
    if (!start.ok) throw new Error(start.error.message);
    await t.hub.ingest.ingest({ channelId: t.demoChannelId, externalId: 'warm', sender: { externalId: 'v1' }, text: 'warm-up' });
    await new Promise((r) => setTimeout(r, 100));
    const lastSeen = first.events.at(-1)!.seq;
    first.socket.close();

    for (let i = 0; i < 20; i++) {
      await t.hub.ingest.ingest({ channelId: t.demoChannelId, externalId: `missed-${i}`, sender: { externalId: 'v1' }, text: `missed ${i}` });
    }
    const second = await operatorSocket(t.url, admin.cookie);
    const missed: EventEnvelope[] = [];
    let after = lastSeen;
    for (;;) {
      const page = await sync(second.socket, after);
      if (!page.ok) throw new Error(page.error.message);
      missed.push(...page.events);
      after = page.lastSeq;
      if (!page.hasMore) break;
    }
    const texts = missed.filter((e) => e.type === 'message.created').map((e) => (e.type === 'message.created' ? e.payload.message.text : ''));
    expect(texts).toEqual(Array.from({ length: 20 }, (_, i) => `missed ${i}`));
    const seqs = missed.map((e) => e.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(seqs[0]).toBeGreaterThan(lastSeen);
    second.socket.close();
  });

  it('pages long gaps and rejects a malformed sync request', async () => {
    const s = await operatorSocket(t.url, admin.cookie);
    const bad = await new Promise<any>((r) => s.socket.emit('sync', { afterSeq: -5 } as never, r));
    expect(bad).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    const bad2 = await new Promise<any>((r) => s.socket.emit('sync', 'nonsense' as never, r));
    expect(bad2.ok).toBe(false);
    s.socket.close();
  });
});
