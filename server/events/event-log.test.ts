import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, postgresAvailable } from '../../tests/helpers/postgres.js';
import { Database } from '../db/database.js';
import { EventBus, type EventScope, type PublishedEvent } from './event-bus.js';
import { EventLog } from './event-log.js';

const databases = ['sqlite', ...((await postgresAvailable()) ? ['postgres' as const] : [])] as const;
const scope: EventScope = { lineId: 1, conversationId: 7, assigneeId: null, prevAssigneeId: null };
const payload = (n: number) => ({ user: { id: n } }) as never;

describe.each(databases)('the event log (%s)', (kind) => {
  let db: Database;
  let pgDb: { url: string; drop(): Promise<void> } | null = null;
  let log: EventLog;
  const published: PublishedEvent[] = [];
  const stored = async () => (await db.manager.query('SELECT seq, payload FROM events ORDER BY seq')) as Array<{ seq: number | string; payload: string }>;

  let dir: string | null = null;

  beforeAll(async () => {
    pgDb = kind === 'postgres' ? await createTestDatabase() : null;
    dir = pgDb ? null : mkdtempSync(path.join(tmpdir(), 'omniline-events-'));
    db = await Database.open(pgDb ? { kind: 'postgres', url: pgDb.url } : { kind: 'sqlite', file: path.join(dir!, 'db.sqlite') });
    const bus = new EventBus();
    bus.subscribe((e) => published.push(e));
    log = new EventLog(bus);
  });
  afterAll(async () => {
    await db?.close();
    await pgDb?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('publishes after the commit, with the sequence numbers stored, in append order', async () => {
    published.length = 0;
    await db.write(async (tx) => {
      await log.append(tx, 'user.updated', payload(1), scope, 5);
      await log.append(tx, 'user.updated', payload(2), scope);
      expect(published).toHaveLength(0);
    });
    await new Promise((r) => setImmediate(r));
    const rows = await stored();
    expect(published.map((e) => e.seq)).toEqual(rows.map((r) => Number(r.seq)));
    expect(published.map((e) => (e.payload as { user: { id: number } }).user.id)).toEqual([1, 2]);
    expect(published[0]!.scope).toEqual(scope);
    expect(JSON.parse(rows[0]!.payload)).toEqual({ user: { id: 1 } });
  });

  it('stores and publishes nothing of a transaction that fails after its append', async () => {
    const before = (await stored()).length;
    published.length = 0;
    await expect(db.write(async (tx) => {
      await log.append(tx, 'user.updated', payload(3), scope);
      throw new Error('changed my mind');
    })).rejects.toThrow('changed my mind');
    await new Promise((r) => setImmediate(r));
    expect(published).toHaveLength(0);
    expect(await stored()).toHaveLength(before);
  });

  it('an event row the database refuses fails its transaction whole: nothing stored or published, and the next write goes through', async () => {
    const before = (await stored()).length;
    published.length = 0;
    const valid = { type: 'user.updated', line_id: 1, conversation_id: null, assignee_id: null, prev_assignee_id: null, actor_id: null, payload: '{}', created_at: Date.now() };
    await expect(db.write(async (tx) => {
      await tx.appendEvent(valid, () => published.push({} as never));
      // The payload column is NOT NULL: on PostgreSQL this fails inside the commit's own round trip.
      await tx.appendEvent({ ...valid, payload: null as never }, () => published.push({} as never));
    })).rejects.toThrow(/null|NULL/);
    await new Promise((r) => setImmediate(r));
    expect(published).toHaveLength(0);
    expect(await stored()).toHaveLength(before);
    await db.write((tx) => log.append(tx, 'user.updated', payload(9), scope));
    expect(await stored()).toHaveLength(before + 1);
  });

  it('text with quotes, backslashes and SQL in it is stored as it was given', async () => {
    const text = "it's \\ '); DROP TABLE events; -- \u00e9\u4e2d";
    await db.write((tx) => log.append(tx, 'user.updated', { user: { id: 4, name: text } } as never, scope));
    const last = (await stored()).at(-1)!;
    expect(JSON.parse(last.payload)).toEqual({ user: { id: 4, name: text } });
  });

  // A reader that resumes from the last seq it saw (a console's `sync`, another node's tail) never
  // skips an event: no smaller seq may become visible after a larger one. Writers hold their
  // transactions open for a while before and after appending, as busy ingests do.
  it('a reader following the log never sees a sequence number appear behind one it has read', async () => {
    let stop = false;
    let last = 0;
    const seen: number[] = [];
    const reader = (async () => {
      while (!stop) {
        const rows = (await db.manager.query(kind === 'postgres' ? 'SELECT seq FROM events WHERE seq > $1 ORDER BY seq' : 'SELECT seq FROM events WHERE seq > ? ORDER BY seq', [last])) as Array<{ seq: number | string }>;
        for (const r of rows) seen.push((last = Number(r.seq)));
      }
    })();
    const pause = (tx: { sql(text: string, params?: unknown[]): Promise<unknown> }) =>
      kind === 'postgres' ? tx.sql('SELECT pg_sleep(?)', [Math.random() / 100]) : new Promise((r) => setTimeout(r, Math.random() * 2));
    await Promise.all(Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; i < 25; i++) {
        await db.write(async (tx) => {
          await pause(tx);
          await log.append(tx, 'user.updated', payload(w * 100 + i), scope);
          await pause(tx);
        });
      }
    }));
    await new Promise((r) => setTimeout(r, 50));
    stop = true;
    await reader;
    const all = (await stored()).map((r) => Number(r.seq));
    const fromFirst = all.filter((s) => s >= seen[0]!);
    expect(seen).toEqual(fromFirst);
  }, 60_000);
});
