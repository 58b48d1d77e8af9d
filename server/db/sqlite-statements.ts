import type sqlite3 from 'sqlite3';

/**
 * Prepared statements kept per SQL text on the one SQLite connection. node-sqlite3 prepares a new
 * statement for every call otherwise, which costs about as much main-thread time as running it; the
 * hot paths (ingest, the event log) run the same few texts thousands of times a second.
 *
 * A statement runs one call at a time, and node-sqlite3 starts a queued call only once the previous
 * one has come back through the event loop: writes running side by side (`Tx.together`, the writer's
 * concurrent phase) would wait a turn each. So a text keeps as many statements as were ever busy at
 * once (up to `perText`, the writer's largest batch), and each call takes an idle one.
 */
export class SqliteStatements {
  /** Idle statements by text, the most recently used text last. */
  private readonly idle = new Map<string, Array<Promise<sqlite3.Statement>>>();
  private kept = 0;

  constructor(private readonly db: sqlite3.Database, private readonly max = 1024, private readonly perText = 64) {}

  all<R>(text: string, params: unknown[] = []): Promise<R[]> {
    return this.use(text, (statement) => new Promise((resolve, reject) => statement.all(params, (err: Error | null, rows: R[]) => (err ? reject(err) : resolve(rows)))));
  }

  /** Runs a write; `lastID` is the rowid an INSERT made. */
  run(text: string, params: unknown[] = []): Promise<{ lastID: number; changes: number }> {
    return this.use(text, (statement) => new Promise((resolve, reject) =>
      statement.run(params, function (this: sqlite3.RunResult, err: Error | null) {
        if (err) reject(err);
        else resolve({ lastID: this.lastID, changes: this.changes });
      })));
  }

  /** Finalizes every kept statement (before the connection closes; nothing may be running). */
  async clear(): Promise<void> {
    const all = [...this.idle.values()].flat();
    this.idle.clear();
    this.kept = 0;
    await Promise.all(all.map(finalize));
  }

  private async use<T>(text: string, call: (statement: sqlite3.Statement) => Promise<T>): Promise<T> {
    const prepared = this.take(text);
    // A statement whose prepare failed is not kept: the failure is the answer, and the next call prepares anew.
    const statement = await prepared;
    try {
      return await call(statement);
    } finally {
      this.give(text, prepared);
    }
  }

  private take(text: string): Promise<sqlite3.Statement> {
    const idle = this.idle.get(text);
    const kept = idle?.pop();
    if (kept) {
      this.kept--;
      return kept;
    }
    return new Promise<sqlite3.Statement>((resolve, reject) => {
      const statement = this.db.prepare(text, (err: Error | null) => (err ? reject(err) : resolve(statement)));
    });
  }

  private give(text: string, prepared: Promise<sqlite3.Statement>): void {
    const idle = this.idle.get(text) ?? [];
    this.idle.delete(text);
    this.idle.set(text, idle);
    if (idle.length >= this.perText) return void finalize(prepared);
    idle.push(prepared);
    this.kept++;
    // Past the limit, the least recently used texts give up their statements.
    for (const [oldText, oldIdle] of this.idle) {
      if (this.kept <= this.max) break;
      this.idle.delete(oldText);
      this.kept -= oldIdle.length;
      oldIdle.forEach((s) => void finalize(s));
    }
  }
}

/** Finalizes a statement once prepared; one that failed to prepare has nothing to finalize. */
function finalize(prepared: Promise<sqlite3.Statement>): Promise<void> {
  return prepared.then((s) => new Promise<void>((resolve) => s.finalize(() => resolve())), () => undefined);
}
