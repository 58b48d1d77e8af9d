import type { ImapFlow } from 'imapflow';
import type { ConnectorLogger } from '../contract.js';
import { planSync, type CheckpointStore } from './checkpoint.js';
import type { MailIntake } from './intake.js';
import type { EmailSettings } from './settings.js';

export interface SyncDeps {
  checkpoints: CheckpointStore;
  intake: MailIntake;
  settings: EmailSettings;
  logger: ConnectorLogger;
  stopped(): boolean;
}

const BATCH_MESSAGES = 25;
const BATCH_BYTES = 16 * 1024 * 1024;

/**
 * Reads what is new in the selected folder and hands it to intake, oldest first, moving the
 * checkpoint after each mail the hub has committed. Returns how many mails it took in.
 */
export async function syncFolder(client: ImapFlow, folder: string, d: SyncDeps): Promise<number> {
  const box = client.mailbox;
  if (!box) throw new Error(`folder ${folder} is not selected`);
  const uidValidity = box.uidValidity.toString();
  const cp = await d.checkpoints.load(folder);
  const plan = planSync(cp, { uidValidity, uidNext: box.uidNext }, Date.now(), d.settings.firstSyncDays);
  if (plan.kind === 'since') d.logger.info({ folder, since: plan.date.toISOString(), reason: plan.reason }, 'e-mail folder sync from a date');
  const found = plan.kind === 'after'
    ? await client.search({ uid: `${plan.uid + 1}:*` }, { uid: true })
    : await client.search({ since: plan.date }, { uid: true });
  const after = plan.kind === 'after' ? plan.uid : 0;
  const uids = (found || []).filter((u) => u > after).sort((a, b) => a - b);
  let lastDate = cp?.uidValidity === uidValidity ? cp.lastDate : null;
  if (!uids.length) {
    if (cp?.uidValidity !== uidValidity) await d.checkpoints.save(folder, { uidValidity, lastUid: Math.max(after, box.uidNext - 1), lastDate: cp?.lastDate ?? null });
    return 0;
  }
  let taken = 0;
  for (let i = 0; i < uids.length && !d.stopped(); i += BATCH_MESSAGES) {
    const chunk = uids.slice(i, i + BATCH_MESSAGES);
    const meta = await client.fetchAll(chunk.join(','), { uid: true, size: true, internalDate: true }, { uid: true });
    const info = new Map(meta.map((m) => [m.uid, { size: m.size ?? 0, date: m.internalDate ? new Date(m.internalDate).getTime() : null }]));
    for (const group of byBytes(chunk.filter((u) => info.has(u)), (u) => info.get(u)!.size, d.settings.maxMessageBytes)) {
      const sources = group.oversized
        ? new Map([[group.uids[0]!, (await client.fetchOne(String(group.uids[0]), { uid: true, headers: true }, { uid: true }) || undefined)?.headers]])
        : new Map((await client.fetchAll(group.uids.join(','), { uid: true, source: true }, { uid: true })).map((m) => [m.uid, m.source]));
      for (const uid of group.uids) {
        if (d.stopped()) return taken;
        const raw = sources.get(uid);
        if (raw) {
          const size = info.get(uid)!.size;
          const result = await takeOne(d, folder, uid, () => (group.oversized ? d.intake.takeOversized(raw, size) : d.intake.take(raw)));
          if (result === 'ingested') taken++;
        }
        lastDate = Math.max(lastDate ?? 0, info.get(uid)!.date ?? 0) || lastDate;
        await d.checkpoints.save(folder, { uidValidity, lastUid: uid, lastDate });
      }
    }
    if (d.settings.markAsRead) await client.messageFlagsAdd(chunk.join(','), ['\\Seen'], { uid: true });
  }
  return taken;
}

/** A mail the hub refuses for its content is logged and passed over; anything else stops the sync to be retried. */
async function takeOne(d: SyncDeps, folder: string, uid: number, take: () => Promise<string>): Promise<string> {
  try {
    return await take();
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code !== 'validation_failed' && code !== 'mail_unreadable') throw err;
    d.logger.error({ err, folder, uid }, 'e-mail could not be taken in and is skipped');
    return 'skipped';
  }
}

/** Groups UIDs so one FETCH stays under a byte budget; a mail above the per-mail limit goes alone, headers only. */
function* byBytes(uids: number[], sizeOf: (uid: number) => number, maxMessage: number): Generator<{ uids: number[]; oversized: boolean }> {
  let group: number[] = [];
  let bytes = 0;
  for (const uid of uids) {
    const size = sizeOf(uid);
    if (size > maxMessage) {
      if (group.length) yield { uids: group, oversized: false };
      group = [];
      bytes = 0;
      yield { uids: [uid], oversized: true };
      continue;
    }
    if (group.length && bytes + size > BATCH_BYTES) {
      yield { uids: group, oversized: false };
      group = [];
      bytes = 0;
    }
    group.push(uid);
    bytes += size;
  }
  if (group.length) yield { uids: group, oversized: false };
}
