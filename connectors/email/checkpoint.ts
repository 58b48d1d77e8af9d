import type { ConnectorContext } from '../contract.js';

/**
 * Where a folder's sync stands: every mail up to `lastUid` under `uidValidity` is committed in the
 * hub. Saved in the channel's durable state only after the mail before it was ingested, so a crash
 * re-reads at most the mail that was not acknowledged (and ingest drops the repeat by Message-ID).
 */
export interface Checkpoint {
  uidValidity: string;
  lastUid: number;
  /** Newest INTERNALDATE taken in (ms), the anchor of a re-sync after a UIDVALIDITY change. */
  lastDate: number | null;
  /** When the checkpoint was saved (ms). */
  savedAt: number;
}

/** What to read from a folder now: UIDs after the checkpoint, or everything since a date. */
export type SyncPlan = { kind: 'after'; uid: number } | { kind: 'since'; date: Date; reason: 'first sync' | 'UIDVALIDITY changed' };

const DAY = 86_400_000;

/**
 * No fixed look-back: after downtime everything past the checkpoint is read. Only a folder seen for
 * the first time reaches back `firstSyncDays`; a changed UIDVALIDITY (UIDs renumbered) re-reads from
 * a day before the newest mail taken in, and duplicates are dropped by Message-ID.
 */
export function planSync(cp: Checkpoint | null, box: { uidValidity: string; uidNext: number }, now: number, firstSyncDays: number): SyncPlan {
  if (!cp) {
    if (firstSyncDays === 0) return { kind: 'after', uid: Math.max(0, box.uidNext - 1) };
    return { kind: 'since', date: startOfDay(now - firstSyncDays * DAY), reason: 'first sync' };
  }
  if (cp.uidValidity === box.uidValidity) return { kind: 'after', uid: cp.lastUid };
  const anchor = Math.min(cp.lastDate ?? cp.savedAt, cp.savedAt);
  return { kind: 'since', date: startOfDay(anchor - Math.max(1, firstSyncDays) * DAY), reason: 'UIDVALIDITY changed' };
}

/** SEARCH SINCE compares dates only, in the server's zone: start a day early rather than miss one. */
function startOfDay(ms: number): Date {
  const d = new Date(ms - DAY);
  d.setUTCHours(0, 0, 0, 0);
  return d;
}

const key = (folder: string) => `imap:${folder}`;

export class CheckpointStore {
  constructor(private readonly state: ConnectorContext['state']) {}

  async load(folder: string): Promise<Checkpoint | null> {
    const raw = await this.state.get(key(folder));
    if (!raw) return null;
    try {
      const cp = JSON.parse(raw) as Checkpoint;
      return typeof cp.uidValidity === 'string' && Number.isInteger(cp.lastUid) ? cp : null;
    } catch {
      return null;
    }
  }

  async save(folder: string, cp: Omit<Checkpoint, 'savedAt'>): Promise<void> {
    await this.state.set(key(folder), JSON.stringify({ ...cp, savedAt: Date.now() }));
  }
}
