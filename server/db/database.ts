import 'reflect-metadata';
import pg from 'pg';
import sqlite3 from 'sqlite3';
import { DataSource, type EntityManager, type EntityTarget, type ObjectLiteral } from 'typeorm';
import type { HubConfig } from '../../config/load.js';
import { entities, migrations } from './entities.js';
import { SqliteStatements } from './sqlite-statements.js';
import { SqliteWriter } from './sqlite-writer.js';
import { RunAlone, type WriteRun } from './concurrent-phase.js';
import { WalCheckpointer } from './wal-checkpointer.js';

/** A write transaction: its manager, plus work to run only once it has committed (publishing events). */
export interface Tx {
  manager: EntityManager;
  afterCommit(fn: () => void): void;
  /**
   * Adds a row to the event log; `committed` gets its sequence number after the commit, in the order
   * of the other after-commit work. Sequence order is commit order: SQLite has one writer; on
   * PostgreSQL the rows are written in the commit's own round trip, under a lock held only for it.
   */
  appendEvent(row: EventValues, committed: (seq: number) => void): Promise<void>;
  /** Find option that locks the rows read until commit (PostgreSQL); SQLite's single writer needs none. */
  forUpdate: { mode: 'pessimistic_write' } | undefined;
  /** {@link Database.insertId} inside this transaction. */
  insertId<T extends ObjectLiteral>(entity: EntityTarget<T>, values: Partial<T>, idColumn?: string): Promise<number>;
  /** Plain SQL with `?` placeholders, for hot paths where building queries costs more than running them. */
  sql<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
  /** Inserts a row given by column name and returns its generated id. */
  insertRow(table: string, row: Record<string, unknown>, idColumn?: string): Promise<number>;
  /**
   * The id the next row of `table` (an AUTOINCREMENT `id`) will get, on SQLite: its single writer runs
   * one write at a time, so a write may name its row's id up front and send the statements that need
   * it together with the insert. Null on PostgreSQL, where concurrent transactions share the sequence.
   */
  nextId(table: string): Promise<number | null>;
  /**
   * Pieces of work that do not depend on each other: on SQLite they go to the connection at once,
   * saving round trips through the event loop (the single writer's pace); PostgreSQL's client takes
   * one query at a time, so there they run one after the other. Results in order.
   */
  together<T extends unknown[]>(...work: Thunks<T>): Promise<T>;
  /**
   * For writes marked `concurrent`, before their first change: the keys of what this write changes.
   * On SQLite such writes run side by side; one whose key another already holds runs again after
   * them, alone. Elsewhere a no-op.
   */
  claim(...keys: string[]): void;
  /** For writes marked `concurrent`, before their first change: this one changes more than it can claim, so it runs alone. */
  alone(): void;
}

/** A row of the event log by column name, as `EventLog` writes it. */
export interface EventValues {
  type: string;
  line_id: number | null;
  conversation_id: number | null;
  assignee_id: number | null;
  prev_assignee_id: number | null;
  actor_id: number | null;
  payload: string;
  created_at: number;
}

/** One function per result of `Tx.together`, each starting its piece of work. */
type Thunks<T extends unknown[]> = { [K in keyof T]: () => Promise<T[K]> };

export interface WriteOptions {
  /** Re-run the whole transaction when it lost a race on a unique key (find-or-create paths). */
  retryOnConflict?: boolean;
  /**
   * The write may run side by side with others of its SQLite transaction: it calls `Tx.claim` (or
   * `Tx.alone`) before its first change, and appends at most one event.
   */
  concurrent?: boolean;
}

const EVENT_LOG_LOCK = 7_242_001;
const EVENT_COLUMNS = ['type', 'line_id', 'conversation_id', 'assignee_id', 'prev_assignee_id', 'actor_id', 'payload', 'created_at'] as const;
const MAX_ATTEMPTS = 6;

/**
 * The one door to the database. SQLite has a single writer (and TypeORM one connection), so its
 * transactions are queued in-process and committed in groups; PostgreSQL runs them concurrently and
 * lets unique keys decide races.
 */
export class Database {
  private readonly pgText = new Map<string, string>();
  private readonly sqlite: { writer: SqliteWriter; statements: SqliteStatements; checkpointer: WalCheckpointer } | null;

  private constructor(readonly source: DataSource, readonly kind: 'sqlite' | 'postgres', checkpointer?: WalCheckpointer) {
    this.sqlite = checkpointer
      ? { writer: new SqliteWriter(source), statements: new SqliteStatements((source.driver as unknown as { databaseConnection: sqlite3.Database }).databaseConnection), checkpointer }
      : null;
  }

  static async open(db: HubConfig['database'], opts: { migrate: boolean } = { migrate: true }): Promise<Database> {
    const common = { entities, migrations, migrationsRun: false, synchronize: false, logging: false } as const;
    const source =
      db.kind === 'sqlite'
        ? new DataSource({ ...common, type: 'sqlite', database: db.file, busyErrorRetry: 50, enableWAL: true, driver: quietSqlite })
        : new DataSource({ ...common, type: 'postgres', url: db.url, extra: { max: 20 } });
    await source.initialize();
    if (db.kind === 'sqlite') {
      await source.query('PRAGMA foreign_keys = ON');
      await source.query('PRAGMA synchronous = NORMAL');
      // Checkpoints run beside the writer (WalCheckpointer), not inside its commits.
      await source.query('PRAGMA wal_autocheckpoint = 0');
    }
    if (opts.migrate) await source.runMigrations({ transaction: 'each' });
    if (db.kind === 'postgres') return new Database(source, db.kind);
    const checkpointer = await WalCheckpointer.open(db.file);
    checkpointer.start();
    return new Database(source, db.kind, checkpointer);
  }

  get manager(): EntityManager {
    return this.source.manager;
  }

  async write<T>(fn: (tx: Tx) => Promise<T>, opts: WriteOptions = {}): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(fn, opts.concurrent === true);
      } catch (err) {
        const retry = isTransientConflict(err) || (opts.retryOnConflict === true && isUniqueViolation(err));
        if (!retry || attempt >= MAX_ATTEMPTS) throw err;
        await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
      }
    }
  }

  private async once<T>(fn: (tx: Tx) => Promise<T>, concurrent: boolean): Promise<T> {
    const after: Array<() => void> = [];
    const result = this.sqlite
      ? await this.sqlite.writer.run((manager, run) => {
        // The writer may run a write again (another write of its batch failed): only the last run counts.
        after.length = 0;
        return fn(this.sqliteTx(manager, after, run));
      }, concurrent)
      : await this.postgresWrite(fn, after);
    // Published on the next turn, in commit order: the writer moves on to the next transaction while
    // this one's events fan out to sockets, instead of holding the single SQLite writer for it.
    if (after.length) setImmediate(() => after.forEach((f) => f()));
    return result;
  }

  /** Plain SQL goes through kept prepared statements: only the writer uses them, a statement per call running at once. */
  private sqliteTx(manager: EntityManager, after: Array<() => void>, run: WriteRun): Tx {
    const statements = this.sqlite!.statements;
    const insertRow = async (table: string, row: Record<string, unknown>) => {
      const cols = Object.keys(row);
      return (await statements.run(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`, cols.map((c) => row[c]))).lastID;
    };
    return {
      manager,
      afterCommit: (f) => after.push(f),
      forUpdate: undefined,
      insertId: (entity, values, idColumn) => this.insertId(manager, entity, values, idColumn),
      sql: (text, params) => statements.all(text, params),
      insertRow,
      nextId: (table) => {
        // AUTOINCREMENT never reuses an id, even of a deleted last row: sqlite_sequence remembers it.
        const next = async () => (await statements.all<{ next: number }>(
          `SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = ?), 0), COALESCE((SELECT MAX(id) FROM ${table}), 0)) + 1 AS next`, [table]))[0]!.next;
        return run.phase ? run.phase.nextId(table, next) : next();
      },
      // One writer: sequence order is commit order already (the writer orders a concurrent phase's writes by it).
      appendEvent: async (row, committed) => {
        if (run.phase && run.seq !== null) throw new Error('a concurrent write appends one event at most');
        const seq = await insertRow('events', { ...row });
        run.seq = seq;
        after.push(() => committed(seq));
      },
      together: <T extends unknown[]>(...work: Thunks<T>) => Promise.all(work.map((w) => w())) as Promise<T>,
      claim: (...keys) => run.phase?.claim(keys),
      alone: () => {
        if (run.phase) throw new RunAlone();
      },
    };
  }

  /**
   * A PostgreSQL transaction whose event rows wait for the end: the event-log lock, their INSERT and
   * the COMMIT then go in one round trip (the simple query protocol runs several statements). Taken
   * at the first append instead, the lock would make each transaction with an event wait for the
   * previous one's remaining round trips, each through a busy event loop: commits one at a time.
   */
  private async postgresWrite<T>(fn: (tx: Tx) => Promise<T>, after: Array<() => void>): Promise<T> {
    const runner = this.source.createQueryRunner();
    const events: Array<{ row: EventValues; seq: number }> = [];
    try {
      await runner.startTransaction();
      const result = await fn(this.postgresTx(runner.manager, after, events));
      if (!events.length) {
        await runner.commitTransaction();
        return result;
      }
      const client = (runner as unknown as { databaseConnection: pg.ClientBase }).databaseConnection;
      const values = events.map(({ row }) => `(${EVENT_COLUMNS.map((c) => literal(row[c])).join(', ')})`).join(', ');
      const replies = (await client.query(
        `SELECT pg_advisory_xact_lock(${EVENT_LOG_LOCK}); INSERT INTO events (${EVENT_COLUMNS.join(', ')}) VALUES ${values} RETURNING seq; COMMIT`,
      )) as unknown as pg.QueryResult[];
      // The COMMIT went with the query: TypeORM must not roll back or commit again.
      (runner as { isTransactionActive: boolean }).isTransactionActive = false;
      // One INSERT takes its sequence numbers in VALUES order.
      replies.find((r) => r.command === 'INSERT')!.rows.map((r) => Number(r.seq)).sort((a, b) => a - b).forEach((seq, i) => (events[i]!.seq = seq));
      return result;
    } catch (err) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw err;
    } finally {
      await runner.release();
    }
  }

  private postgresTx(manager: EntityManager, after: Array<() => void>, events: Array<{ row: EventValues; seq: number }>): Tx {
    return {
      manager,
      afterCommit: (f) => after.push(f),
      forUpdate: { mode: 'pessimistic_write' },
      insertId: (entity, values, idColumn) => this.insertId(manager, entity, values, idColumn),
      sql: (text, params) => manager.query(this.dialect(text), params),
      insertRow: async (table, row, idColumn = 'id') => {
        const cols = Object.keys(row);
        const text = `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING ${idColumn}`;
        const [r] = (await manager.query(text, cols.map((c) => row[c]))) as Array<Record<string, unknown>>;
        return Number(r![idColumn]);
      },
      nextId: async () => null,
      appendEvent: async (row, committed) => {
        const pending = { row, seq: 0 };
        events.push(pending);
        after.push(() => committed(pending.seq));
      },
      together: async <T extends unknown[]>(...work: Thunks<T>) => {
        const results: unknown[] = [];
        for (const w of work) results.push(await w());
        return results as T;
      },
      // Transactions run concurrently here anyway; row locks and unique keys settle what they share.
      claim: () => undefined,
      alone: () => undefined,
    };
  }

  /**
   * Inserts one row and returns its generated id in one statement. TypeORM's `save`/`insert` read
   * the row back for defaults; on the hot paths (ingest, events) that doubles the round trips.
   */
  async insertId<T extends ObjectLiteral>(manager: EntityManager, entity: EntityTarget<T>, values: Partial<T>, idColumn = 'id'): Promise<number> {
    const qb = manager.createQueryBuilder().insert().into(entity).values(values as never).updateEntity(false);
    if (this.kind === 'postgres') {
      const r = await qb.returning(idColumn).execute();
      return Number((r.raw as Array<Record<string, unknown>>)[0]![idColumn]);
    }
    const r = await qb.execute();
    return Number(r.raw);
  }

  /** `?` placeholders as this database wants them (PostgreSQL numbers them). */
  private dialect(text: string): string {
    if (this.kind === 'sqlite') return text;
    let cached = this.pgText.get(text);
    if (!cached) {
      let n = 0;
      cached = text.replace(/\?/g, () => `$${++n}`);
      this.pgText.set(text, cached);
    }
    return cached;
  }

  async close(): Promise<void> {
    await this.sqlite?.checkpointer.close();
    await this.sqlite?.statements.clear();
    if (this.source.isInitialized) await this.source.destroy();
  }
}

export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string }; message?: string };
  const code = e?.driverError?.code ?? e?.code;
  return code === '23505' || (code === 'SQLITE_CONSTRAINT' && /UNIQUE/.test(e?.message ?? ''));
}

/** A value written into SQL text: the event rows hold only numbers (whose text cannot carry SQL), strings and nulls. */
function literal(v: string | number | null): string {
  if (v === null) return 'NULL';
  return typeof v === 'number' ? String(v) : pg.escapeLiteral(v);
}

function isTransientConflict(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string } };
  const code = e?.driverError?.code ?? e?.code;
  return code === '40001' || code === '40P01' || code === 'SQLITE_BUSY';
}

/**
 * TypeORM calls `verbose()` on the sqlite3 module, which wraps every statement in stack-trace
 * capture (9% of ingest time in profiles). This hands it the plain module instead.
 */
const quietSqlite = Object.assign(Object.create(sqlite3) as typeof sqlite3, { verbose: () => sqlite3 });
