/** Thrown by a write of a concurrent phase that must run alone; the writer runs it again after the phase. */
export class RunAlone extends Error {
  constructor() {
    super('this write runs alone, after the concurrent ones');
  }
}

/**
 * What the writes running side by side at the start of one SQLite transaction share. Each of them, before
 * its first change, claims the keys of what it changes (a dialog, a message's external id); a write
 * whose key another already holds, or that changes more than it can claim, runs again after the phase,
 * alone, in the same transaction. Ids they reserve come from one counter, and each appends at most
 * one event, so the writer can publish them in sequence order.
 */
export class ConcurrentPhase {
  private readonly claimed = new Set<string>();
  private readonly ids = new Map<string, { first: Promise<number>; used: number }>();

  claim(keys: string[]): void {
    if (keys.some((k) => this.claimed.has(k))) throw new RunAlone();
    for (const k of keys) this.claimed.add(k);
  }

  /** Consecutive ids of `table` for the phase's writes; `first` asks the database for the next one once. */
  nextId(table: string, first: () => Promise<number>): Promise<number> {
    let counter = this.ids.get(table);
    if (!counter) this.ids.set(table, (counter = { first: first(), used: 0 }));
    const offset = counter.used++;
    return counter.first.then((id) => id + offset);
  }
}

/** One run of one write: the phase it runs in (null: alone) and the sequence number of the event it appended. */
export interface WriteRun {
  phase: ConcurrentPhase | null;
  seq: number | null;
}
