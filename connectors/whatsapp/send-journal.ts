import type { ConnectorContext } from '../contract.js';

/** What is known of one outbound message's sending: parts confirmed, and the part that may have gone out unconfirmed. */
export interface JournalEntry {
  startedAt: number;
  ids: string[];
  /** Index of a part whose send was started but not confirmed (the worker died or timed out). */
  inDoubt?: number;
  done?: boolean;
}

const KEY = 'sendJournal';
const KEEP = 500;

/**
 * A small durable journal of recent sends, so a retried send never goes out twice: parts already
 * confirmed are skipped, and a part in doubt is looked up in the chat before it is sent again.
 */
export class SendJournal {
  private entries: Record<string, JournalEntry> | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly state: ConnectorContext['state']) {}

  async get(messageId: number): Promise<JournalEntry> {
    this.entries ??= JSON.parse((await this.state.get(KEY)) ?? '{}') as Record<string, JournalEntry>;
    return (this.entries[messageId] ??= { startedAt: Date.now(), ids: [] });
  }

  /** Persists the journal (the entry objects are edited in place), keeping the newest entries only. */
  save(): Promise<void> {
    const all = this.entries ?? {};
    const ids = Object.keys(all).map(Number).sort((a, b) => a - b);
    for (const id of ids.slice(0, Math.max(0, ids.length - KEEP))) delete all[id];
    const snapshot = JSON.stringify(all);
    this.writing = this.writing.catch(() => undefined).then(() => this.state.set(KEY, snapshot));
    return this.writing;
  }
}
