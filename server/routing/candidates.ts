import type { LineSettings } from '../../shared/routing.js';
import type { Database } from '../db/database.js';
import type { Candidate } from './distribute.js';

/** Plain SQL with `?` placeholders: `Tx.sql` inside a transaction, {@link readSql} outside one. */
export type SqlQuery = (text: string, params?: unknown[]) => Promise<Array<Record<string, unknown>>>;

/** {@link SqlQuery} on the database's shared connection, for reads that need no transaction. */
export function readSql(db: Database): SqlQuery {
  return (text, params = []) => {
    let n = 0;
    return db.manager.query(db.kind === 'postgres' ? text.replace(/\?/g, () => `$${++n}`) : text, params);
  };
}

/**
 * Line members with what distribution needs: queue position, presence, capacity, when they last got
 * a dialog of this line, and their load. Load counts dialogs in every line (capacity is per person),
 * only answered ones when the line says so.
 */
export async function lineCandidates(sql: SqlQuery, lineId: number, settings: Pick<LineSettings, 'routing'>): Promise<Candidate[]> {
  const answered = settings.routing.capacityCounts === 'answered' ? ' AND c.first_reply_at IS NOT NULL' : '';
  const rows = await sql(
    `SELECT u.id AS "userId", lm.position, u.presence, u.max_open_dialogs AS capacity, lm.last_assigned_at AS "lastAssignedAt",
       (SELECT COUNT(*) FROM conversations c WHERE c.assignee_id = u.id AND c.status <> 'closed'${answered}) AS load
     FROM line_members lm JOIN users u ON u.id = lm.user_id WHERE lm.line_id = ?`,
    [lineId],
  );
  return rows.map((r) => ({
    userId: Number(r.userId), position: Number(r.position), presence: r.presence as Candidate['presence'], capacity: Number(r.capacity),
    load: Number(r.load), lastAssignedAt: r.lastAssignedAt === null ? null : Number(r.lastAssignedAt),
  }));
}
