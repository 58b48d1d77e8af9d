import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tar from 'tar';

/**
 * The parts of a Chromium profile that hold a WhatsApp Web session, the same ones whatsapp-web.js's
 * RemoteAuth restores sessions from; the rest of the profile is cache, rebuilt on the next start.
 */
export const SESSION_PARTS = ['Default/IndexedDB', 'Default/Local Storage'] as const;
export const MAX_SNAPSHOT_BYTES = 64 * 1024 * 1024;
/** Names the snapshot a session folder was last packed into or restored from. */
const MARKER = '.omniline-snapshot';

export interface SessionSnapshot {
  id: string;
  /** A gzip'd tar of the session parts. */
  data: Uint8Array;
}

/** Where LocalAuth keeps a client's Chromium profile. */
export const sessionDir = (dataPath: string, clientId: string) => path.join(dataPath, `session-${clientId}`);

const within = (entry: string) => SESSION_PARTS.some((part) => entry === part || entry.startsWith(`${part}/`));

/** Packs a session folder; null when it holds no session. */
export async function packSession(dir: string, maxBytes = MAX_SNAPSHOT_BYTES): Promise<SessionSnapshot | null> {
  const parts = SESSION_PARTS.filter((p) => existsSync(path.join(dir, p)));
  if (!parts.length) return null;
  const file = `${dir}.pack.tgz`;
  try {
    await tar.c({ gzip: true, cwd: dir, file, portable: true }, [...parts]);
    const { size } = await stat(file);
    if (size > maxBytes) throw new Error(`the session packs to ${mib(size)} MiB, above the ${mib(maxBytes)} MiB a snapshot may hold`);
    const snapshot = { id: randomUUID(), data: await readFile(file) };
    await writeFile(path.join(dir, MARKER), snapshot.id);
    return snapshot;
  } finally {
    await rm(file, { force: true });
  }
}

/**
 * Makes `dir` hold the snapshot's session. A folder last packed into this very snapshot is kept: it is
 * the snapshot or newer (this node ran the session since). Any other folder is replaced whole, and only
 * once the snapshot is unpacked, so a bad snapshot leaves the folder as it was.
 */
export async function restoreSession(dir: string, snapshot: SessionSnapshot): Promise<'kept' | 'restored'> {
  if ((await readFile(path.join(dir, MARKER), 'utf8').catch(() => null)) === snapshot.id) return 'kept';
  const staging = `${dir}.restoring`;
  const file = `${dir}.restore.tgz`;
  try {
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging, { recursive: true });
    await writeFile(file, snapshot.data);
    let outside: string | null = null;
    await tar.x({
      file, cwd: staging, strict: true,
      filter: (entry) => {
        if (within(entry)) return true;
        outside ??= entry;
        return false;
      },
    });
    if (outside) throw new Error(`the snapshot holds ${outside}, outside a session`);
    await writeFile(path.join(staging, MARKER), snapshot.id);
    await rm(dir, { recursive: true, force: true });
    await rename(staging, dir);
    return 'restored';
  } finally {
    await rm(file, { force: true });
    await rm(staging, { recursive: true, force: true });
  }
}

const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
