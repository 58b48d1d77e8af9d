import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStatements } from './sqlite-statements.js';

let dir: string;
let db: sqlite3.Database;
let statements: SqliteStatements;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'omniline-statements-'));
  db = new sqlite3.Database(join(dir, 'db.sqlite'));
  await new Promise<void>((resolve, reject) => db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)', (err) => (err ? reject(err) : resolve())));
  statements = new SqliteStatements(db, 2);
});

afterEach(async () => {
  await statements.clear();
  // Closing fails while any statement is left unfinalized: this also checks that clear() finalized them all.
  await new Promise<void>((resolve, reject) => db.close((err) => (err ? reject(err) : resolve())));
  rmSync(dir, { recursive: true, force: true });
});

describe('kept prepared statements', () => {
  it('runs writes and reads, returning the new rowid and the rows', async () => {
    expect((await statements.run('INSERT INTO t (name) VALUES (?)', ['a'])).lastID).toBe(1);
    expect((await statements.run('INSERT INTO t (name) VALUES (?)', ['b'])).lastID).toBe(2);
    expect(await statements.all('SELECT name FROM t WHERE id > ? ORDER BY id', [0])).toEqual([{ name: 'a' }, { name: 'b' }]);
  });

  it('rejects SQL that does not prepare, without an unhandled error, and keeps working after it', async () => {
    await expect(statements.all('SELEC name FROM t')).rejects.toThrow(/syntax error/);
    await expect(statements.all('SELEC name FROM t')).rejects.toThrow(/syntax error/);
    await expect(statements.run('INSERT INTO t (name) VALUES (?)', [null])).rejects.toThrow(/NOT NULL/);
    expect((await statements.run('INSERT INTO t (name) VALUES (?)', ['c'])).changes).toBe(1);
  });

  it('evicts the least recently used statement past its limit and prepares it again when needed', async () => {
    await statements.run('INSERT INTO t (name) VALUES (?)', ['x']);
    for (let i = 0; i < 3; i++) {
      expect(await statements.all('SELECT name FROM t WHERE id = ?', [1])).toEqual([{ name: 'x' }]);
      expect(await statements.all('SELECT COUNT(*) AS n FROM t')).toEqual([{ n: 1 }]);
      expect(await statements.all('SELECT id FROM t WHERE name = ?', ['x'])).toEqual([{ id: 1 }]);
    }
  });

  it('gives calls running at once a statement each, keeps up to its per-text limit for the next burst', async () => {
    await statements.run('INSERT INTO t (name) VALUES (?)', ['x']);
    let prepared = 0;
    const prepare = db.prepare.bind(db);
    db.prepare = ((...args: Parameters<typeof db.prepare>) => {
      prepared++;
      return prepare(...args);
    }) as typeof db.prepare;
    const pooled = new SqliteStatements(db, 8, 4);
    const burst = async (n: number) => {
      const before = prepared;
      const rows = await Promise.all(Array.from({ length: n }, () => pooled.all<{ name: string }>('SELECT name FROM t WHERE id = ?', [1])));
      expect(rows.every((r) => r[0]!.name === 'x')).toBe(true);
      return prepared - before;
    };
    expect(await burst(6)).toBe(6);
    expect(await burst(4)).toBe(0);
    expect(await burst(6)).toBe(2);
    await pooled.clear();
  });
});
