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
