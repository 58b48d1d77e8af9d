import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { WalCheckpointer } from './wal-checkpointer.js';

let dir: string;
let file: string;
let writer: sqlite3.Database;
const exec = (sql: string) => new Promise<void>((resolve, reject) => writer.exec(sql, (err) => (err ? reject(err) : resolve())));

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'omniline-wal-'));
  file = join(dir, 'db.sqlite');
  writer = new sqlite3.Database(file);
  await exec('PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)');
});

afterEach(async () => {
  await new Promise((r) => writer.close(r));
  rmSync(dir, { recursive: true, force: true });
});

it('moves committed pages from the write-ahead log into the database file, from a connection of its own', async () => {
  const checkpointer = await WalCheckpointer.open(file);
  await exec(`BEGIN; ${Array.from({ length: 200 }, (_, i) => `INSERT INTO t (body) VALUES ('${'x'.repeat(500)}${i}');`).join(' ')} COMMIT;`);
  const before = statSync(file).size;
  expect(statSync(`${file}-wal`).size).toBeGreaterThan(100_000);
  await checkpointer.checkpoint();
  expect(statSync(file).size).toBeGreaterThan(before + 100_000);
  await checkpointer.close();
});

it('runs one checkpoint at a time and stops on close', async () => {
  const checkpointer = await WalCheckpointer.open(file, 10);
  checkpointer.start();
  expect(checkpointer.checkpoint()).toBe(checkpointer.checkpoint());
  await checkpointer.close();
  await exec("INSERT INTO t (body) VALUES ('after close')");
  const wal = statSync(`${file}-wal`).size;
  await new Promise((r) => setTimeout(r, 50));
  expect(statSync(`${file}-wal`).size).toBe(wal);
});
