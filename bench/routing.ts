/**
 * `npm run bench:routing`: with 500 operators at capacity and 5,000 dialogs queued on one line,
 * the time from a capacity slot freeing (a dialog closed, committed) to the longest-waiting queued
 * dialog being assigned (its event published). Hub in-process on SQLite; the last line is one JSON object.
 */
import { performance } from 'node:perf_hooks';
import type { PublishedEvent } from '../server/events/event-bus.js';
import { ConversationEntity } from '../server/conversations/conversation.entity.js';
import { startHub } from '../tests/helpers/hub.js';

const OPERATORS = Number(process.env.OPERATORS ?? 500);
const QUEUED = Number(process.env.QUEUED ?? 5000);
const CAPACITY = Number(process.env.CAPACITY ?? 2);
const SAMPLES = Number(process.env.SAMPLES ?? 300);

const t = await startHub();
const db = t.hub.db.manager;
const now = Date.now();
const seq = (n: number) => `WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ${n})`;

// Bulk seeding in SQL; then one pass of the real routing engine assigns the first OPERATORS × CAPACITY.
await db.query(`${seq(OPERATORS)} INSERT INTO users (email, name, password_hash, role, presence, max_open_dialogs, created_at)
  SELECT 'op' || i || '@bench.local', 'Operator ' || i, 'x', 'operator', 'online', ${CAPACITY}, ${now} FROM seq`);
const line = await t.hub.lines.create({ name: 'Bench line', routing: { mode: 'evenly', passOnSeconds: 0 } });
await db.query(`INSERT INTO line_members (line_id, user_id, position) SELECT ${line.id}, id, id FROM users WHERE email LIKE '%@bench.local'`);
const channel = await t.hub.channels.create({ type: 'webchat', name: 'Bench chat', lineId: line.id });
const total = OPERATORS * CAPACITY + QUEUED;
await db.query(`${seq(total)} INSERT INTO contacts (name, created_at, updated_at) SELECT 'Client ' || i, ${now}, ${now} FROM seq`);
await db.query(`INSERT INTO conversations (line_id, channel_id, contact_id, contact_external_id, thread_key, status, last_message_preview,
  last_message_at, waiting_since, unread_count, created_at, updated_at)
  SELECT ${line.id}, ${channel.id}, id, 'bench-' || id, '', 'queued', 'hello', ${now} + id, ${now} + id, 1, ${now} + id, ${now} + id FROM contacts WHERE name LIKE 'Client %'`);
const started = performance.now();
t.hub.routing.kick(line.id);
await t.hub.routing.idle();
console.log(`seeded ${OPERATORS} operators (capacity ${CAPACITY}) and ${total} dialogs; initial distribution of ${OPERATORS * CAPACITY} took ${Math.round(performance.now() - started)} ms`);

const freed = new Map<number, number>();
const latencies: number[] = [];
let waiting: ((e: PublishedEvent) => void) | null = null;
t.hub.bus.subscribe((e) => {
  if (e.type !== 'conversation.updated') return;
  const c = e.payload.conversation;
  if (c.status === 'closed' && c.assigneeId !== null) freed.set(c.assigneeId, performance.now());
  else if (c.status === 'open' && c.assigneeId !== null && freed.has(c.assigneeId)) waiting?.(e);
});

const staff = { userId: 1, allLines: true, lineIds: [], conversationIds: [], role: 'admin' };
for (let i = 0; i < SAMPLES; i++) {
  const busy = await db.findOneOrFail(ConversationEntity, { where: { lineId: line.id, status: 'open' }, order: { id: 'ASC' } });
  const assigned = new Promise<PublishedEvent>((resolve) => (waiting = resolve));
  await t.hub.conversations.close(staff, busy.id);
  const e = await assigned;
  if (e.type !== 'conversation.updated') throw new Error('unreachable');
  latencies.push(performance.now() - freed.get(e.payload.conversation.assigneeId!)!);
  freed.clear();
}

const sorted = [...latencies].sort((a, b) => a - b);
const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const round = (x: number) => Math.round(x * 100) / 100;
const result = { operators: OPERATORS, queued: QUEUED, capacity: CAPACITY, samples: SAMPLES, p50_ms: round(pct(50)), p99_ms: round(pct(99)), max_ms: round(sorted.at(-1)!) };
console.log(`slot freed → next dialog assigned: p50 ${result.p50_ms} ms, p99 ${result.p99_ms} ms, max ${result.max_ms} ms over ${SAMPLES} slots`);
await t.stop();
console.log(JSON.stringify(result));
