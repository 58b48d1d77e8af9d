import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Database } from './database.js';

let dir: string;
let db: Database;
let other: sqlite3.Database;

/** What another connection sees: only committed rows. */
const committed = () => new Promise<string[]>((resolve, reject) =>
  other.all('SELECT name FROM t ORDER BY id', (err, rows: Array<{ name: string }>) => (err ? reject(err) : resolve(rows.map((r) => r.name)))));

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'omniline-writer-'));
  const file = join(dir, 'db.sqlite');
  db = await Database.open({ kind: 'sqlite', file }, { migrate: false });
  await db.source.query('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)');
  other = new sqlite3.Database(file);
});

afterEach(async () => {
  await new Promise((r) => other.close(r));
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SQLite writes (group commit)', () => {
  it('commits concurrent writes in fewer transactions than writes, each reported only once it is committed', async () => {
    let commits = 0;
    const seenWhenReported: boolean[] = [];
    const original = db.source.driver.createQueryRunner.bind(db.source.driver);
    db.source.driver.createQueryRunner = (mode) => {
      const runner = original(mode);
      const commit = runner.commitTransaction.bind(runner);
      const depth = () => (runner as unknown as { transactionDepth: number }).transactionDepth;
      // Depth 1 is the transaction itself; deeper commits release a write's savepoint.
      runner.commitTransaction = async () => {
        const outer = depth() === 1;
        await commit();
        if (outer) commits++;
      };
      return runner;
    };
    const names = Array.from({ length: 40 }, (_, i) => `n${i}`);
    await Promise.all(names.map(async (name) => {
      await db.write((tx) => tx.insertRow('t', { name }));
      seenWhenReported.push((await committed()).includes(name));
    }));
    expect((await committed()).sort()).toEqual([...names].sort());
    expect(seenWhenReported.every(Boolean)).toBe(true);
    expect(commits).toBeGreaterThan(0);
    expect(commits).toBeLessThan(names.length);
  });

  it('fails a write that breaks a unique key alone: the others of its batch are stored', async () => {
    const results = await Promise.allSettled(['a', 'b', 'a', 'c'].map((name) => db.write((tx) => tx.insertRow('t', { name }))));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[2] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
    expect(await committed()).toEqual(['a', 'b', 'c']);
  });

  it('runs work queued after a commit callback in the next transaction and publishes in commit order', async () => {
    const published: string[] = [];
    await Promise.all(['x', 'y', 'z'].map((name) => db.write(async (tx) => {
      await tx.insertRow('t', { name });
      tx.afterCommit(() => published.push(name));
    })));
    await new Promise((r) => setImmediate(r));
    expect(published).toEqual(['x', 'y', 'z']);
  });

  it('keeps nothing of a write that throws, fails it alone, and stores the writes around it', async () => {
    const runs: string[] = [];
    const results = await Promise.allSettled([
      db.write((tx) => tx.insertRow('t', { name: 'p' })),
      ...['q', 'r', 's'].map((name) => db.write(async (tx) => {
        runs.push(name);
        await tx.insertRow('t', { name });
        if (name === 'r') throw new Error('refused');
      })),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(await committed()).toEqual(['p', 'q', 's']);
    // p ran alone (the queue was empty); q, r and s shared a transaction that r's failure rolled back.
    expect(runs).toEqual(['q', 'r', 'q', 's']);
  });

  it('runs a write that succeeded again at most once, however many writes of its batch fail', async () => {
    const runs = new Map<string, number>();
    const names = Array.from({ length: 60 }, (_, i) => `w${i}`);
    const results = await Promise.allSettled(names.map((name, i) => db.write(async (tx) => {
      runs.set(name, (runs.get(name) ?? 0) + 1);
      await tx.insertRow('t', { name });
      if (i % 2) throw new Error('refused');
    })));
    expect(results.map((r) => r.status)).toEqual(names.map((_, i) => (i % 2 ? 'rejected' : 'fulfilled')));
    expect(await committed()).toEqual(names.filter((_, i) => i % 2 === 0));
    expect(Math.max(...runs.values())).toBeLessThanOrEqual(2);
  });

  it('fails a write whose SQL does not prepare, and the writer goes on with the next', async () => {
    await expect(db.write((tx) => tx.sql('SELEC name FROM t'))).rejects.toThrow(/syntax error/);
    await db.write((tx) => tx.insertRow('t', { name: 'after' }));
    expect(await committed()).toEqual(['after']);
  });
});

describe('SQLite writes marked concurrent', () => {
  /** Holds the writer in a transaction until released, so the writes queued meanwhile form one batch. */
  function holdWriter() {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const done = db.write(async () => held);
    return { release, done };
  }
  const event = (type: string) => ({ type, line_id: null, conversation_id: null, assignee_id: null, prev_assignee_id: null, actor_id: null, payload: '{}', created_at: 0 });

  beforeEach(async () => {
    await db.source.query(`CREATE TABLE events (seq INTEGER PRIMARY KEY AUTOINCREMENT, type TEXT, line_id INTEGER, conversation_id INTEGER, assignee_id INTEGER,
      prev_assignee_id INTEGER, actor_id INTEGER, payload TEXT, created_at INTEGER)`);
  });

  it('run side by side in one transaction, with consecutive ids reserved up front', async () => {
    let inFlight = 0;
    let most = 0;
    const hold = holdWriter();
    const writes = Array.from({ length: 8 }, (_, i) => db.write(async (tx) => {
      most = Math.max(most, ++inFlight);
      const [, id] = await tx.together(() => tx.sql('SELECT COUNT(*) AS n FROM t'), () => tx.nextId('t'));
      tx.claim(`row:${i}`);
      await tx.insertRow('t', { id, name: `c${i}` });
      inFlight--;
      return id;
    }, { concurrent: true }));
    hold.release();
    const ids = await Promise.all(writes);
    expect(most).toBe(8);
    expect([...ids].sort((a, b) => a! - b!)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect((await committed()).sort()).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7']);
  });

  it('run one that claims a key already held, or asks to run alone, after the others, in the same transaction, seeing their rows', async () => {
    const seen: Record<string, { alone: boolean; rows: number }> = {};
    let inFlight = 0;
    const hold = holdWriter();
    const write = (name: string, key: string | null) => db.write(async (tx) => {
      inFlight++;
      try {
        const [{ n }] = (await tx.sql<{ n: number }>('SELECT COUNT(*) AS n FROM t')) as [{ n: number }];
        const alone = inFlight === 1;
        if (key) tx.claim(key);
        else tx.alone();
        seen[name] = { alone, rows: n };
        await tx.insertRow('t', { name });
      } finally {
        inFlight--;
      }
    }, { concurrent: true });
    const writes = [write('a', 'dialog:1'), write('b', 'dialog:2'), write('a again', 'dialog:1'), write('new dialog', null)];
    hold.release();
    await Promise.all(writes);
    expect(seen.a).toEqual({ alone: false, rows: 0 });
    expect(seen.b).toEqual({ alone: false, rows: 0 });
    // Run again after the phase: one at a time, and they see what the phase wrote.
    expect(seen['a again']!.alone).toBe(true);
    expect(seen['new dialog']!.alone).toBe(true);
    expect(seen['a again']!.rows + seen['new dialog']!.rows).toBe(5);
    expect((await committed()).sort()).toEqual(['a', 'a again', 'b', 'new dialog']);
  });

  it('publish their events in sequence order, whichever write appended first', async () => {
    const published: string[] = [];
    const hold = holdWriter();
    const writes = ['slow', 'fast'].map((name) => db.write(async (tx) => {
      tx.claim(name);
      // The first write of the batch takes longer to reach its event: the second gets the lower seq.
      if (name === 'slow') for (let i = 0; i < 5; i++) await tx.sql('SELECT COUNT(*) FROM t');
      await tx.appendEvent(event(name), (seq) => published.push(`${name}:${seq}`));
    }, { concurrent: true }));
    hold.release();
    await Promise.all(writes);
    await new Promise((r) => setImmediate(r));
    expect(published).toEqual(['fast:1', 'slow:2']);
  });

  it('fail a write that throws alone: the others are stored', async () => {
    const hold = holdWriter();
    const writes = ['x', 'y', 'w'].map((name) => db.write(async (tx) => {
      tx.claim(name);
      await tx.insertRow('t', { name });
      if (name === 'y') throw new Error('refused');
    }, { concurrent: true }));
    hold.release();
    const results = await Promise.allSettled(writes);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/refused/);
    expect((await committed()).sort()).toEqual(['w', 'x']);
  });

  it('refuse a second event from one write of the phase', async () => {
    const hold = holdWriter();
    const writes = [
      db.write(async (tx) => {
        tx.claim('z');
        await tx.appendEvent(event('one'), () => undefined);
        await tx.appendEvent(event('two'), () => undefined);
      }, { concurrent: true }),
      db.write(async (tx) => {
        tx.claim('v');
        await tx.appendEvent(event('three'), () => undefined);
      }, { concurrent: true }),
    ];
    hold.release();
    const results = await Promise.allSettled(writes);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/one event at most/);
    expect(await db.source.query('SELECT type FROM events')).toEqual([{ type: 'three' }]);
  });
});
