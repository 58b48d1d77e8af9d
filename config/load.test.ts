import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseEnv } from './load.js';

describe('configuration', () => {
  it.each([
    [{ PORT: 'abc' }, /^Invalid configuration: PORT .*\(got "abc"\)$/],
    [{ PORT: '70000' }, /PORT/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must be sqlite:<file> or postgres/],
    [{ REDIS_URL: 'http://x' }, /REDIS_URL/],
    [{ PUBLIC_URL: 'ftp://x' }, /PUBLIC_URL/],
    [{ HUB_SECRET: 'short' }, /HUB_SECRET must be at least 32 characters/],
    [{ HUB_ADMIN_EMAIL: 'nope' }, /HUB_ADMIN_EMAIL/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
  ])('%o stops start-up with one line naming the variable', (env, message) => {
    expect(() => parseEnv(env)).toThrow(ConfigError);
    try {
      parseEnv(env);
    } catch (err) {
      expect((err as Error).message).toMatch(message);
      expect((err as Error).message.split('\n')).toHaveLength(1);
    }
  });

  it('refuses REDIS_URL on SQLite with one line: several nodes cannot share a SQLite file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'omni-cfg-'));
    expect(() => loadConfig({ DATA_DIR: dir, REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(ConfigError);
    try {
      loadConfig({ DATA_DIR: dir, REDIS_URL: 'redis://127.0.0.1:6379' });
    } catch (err) {
      expect((err as Error).message).toBe('Invalid configuration: REDIS_URL needs DATABASE_URL=postgres://… (several nodes cannot share a SQLite file)');
    }
    const pg = loadConfig({ DATA_DIR: dir, REDIS_URL: 'redis://127.0.0.1:6379', DATABASE_URL: 'postgres://u@h/db', CLUSTER_LEASE_SECONDS: '3' });
    expect(pg).toMatchObject({ redisUrl: 'redis://127.0.0.1:6379', redisKeyPrefix: 'omniline:', clusterLeaseMs: 3000, trustProxy: 'loopback' });
    expect(() => loadConfig({ DATA_DIR: dir, CLUSTER_LEASE_SECONDS: '1' })).toThrow(/CLUSTER_LEASE_SECONDS must be at least 2/);
  });

  it('takes the WhatsApp Web snapshot period and client module, refusing a module that is not an existing absolute path', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'omni-cfg-'));
    expect(loadConfig({ DATA_DIR: dir }).whatsapp).toEqual({ snapshotEveryMs: 900_000, clientModule: null });
    const module = path.join(dir, 'client.ts');
    writeFileSync(module, 'export {};');
    expect(loadConfig({ DATA_DIR: dir, WHATSAPP_SNAPSHOT_SECONDS: '2', WHATSAPP_CLIENT_MODULE: module }).whatsapp).toEqual({ snapshotEveryMs: 2000, clientModule: module });
    expect(() => loadConfig({ DATA_DIR: dir, WHATSAPP_CLIENT_MODULE: 'client.ts' })).toThrow('Invalid configuration: WHATSAPP_CLIENT_MODULE must be the absolute path of an existing file (got "client.ts")');
    expect(() => loadConfig({ DATA_DIR: dir, WHATSAPP_CLIENT_MODULE: path.join(dir, 'gone.ts') })).toThrow(/WHATSAPP_CLIENT_MODULE must be the absolute path/);
    expect(() => loadConfig({ DATA_DIR: dir, WHATSAPP_SNAPSHOT_SECONDS: '0' })).toThrow(/WHATSAPP_SNAPSHOT_SECONDS/);
  });

  it('defaults to SQLite under DATA_DIR and generates a lasting hub secret', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'omni-cfg-'));
    const a = loadConfig({ DATA_DIR: dir });
    expect(a.database).toEqual({ kind: 'sqlite', file: path.join(dir, 'omniline.sqlite') });
    expect(a.port).toBe(3000);
    expect(a.publicUrl).toBe('http://localhost:3000');
    expect(a.secret.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(path.join(dir, 'hub-secret'), 'utf8').trim()).toBe(a.secret);
    expect(loadConfig({ DATA_DIR: dir }).secret).toBe(a.secret);
    expect(loadConfig({ DATA_DIR: dir, DATABASE_URL: 'postgres://u@h/db' }).database).toEqual({ kind: 'postgres', url: 'postgres://u@h/db' });
  });
});
