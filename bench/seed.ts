/**
 * `npm run bench:seed`: a large, realistic database for `npm run bench:queries` — contacts with
 * names, e-mails and phones, conversations across four lines and eight channels in every status,
 * and their messages — written with multi-row INSERTs in transactions, straight SQL through the
 * hub's Database class after its migrations. The target is always fresh: the data folder is
 * deleted (and on PostgreSQL the database dropped and created) first.
 *
 *   npm run bench:seed -- --database sqlite --conversations 100000 --messages 1000000
 *   npm run bench:seed -- --database postgres --conversations 100000 --messages 1000000
 *
 * The data folder (hub secret, SQLite file) and a manifest `seed.json` that bench/queries.ts reads
 * stay in `--dir` (default /tmp/omniline-seed/<database>). The last line is one JSON object.
 */
import { rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { loadConfig, type HubConfig } from '../config/load.js';
import { Database, type Tx } from '../server/db/database.js';
import { createHub } from '../server/hub.js';
import { BENCH_ADMIN, OPERATOR_PASSWORD, operatorEmail } from './lib/bench-users.js';
import { runMain } from './lib/main.js';
import { choice, int, rawOption } from './lib/options.js';
import { recreateDatabase } from './lib/pg.js';
import { fmt } from './lib/stats.js';

const database = choice('DATABASE', ['sqlite', 'postgres'] as const, 'sqlite');
const CONVERSATIONS = int('CONVERSATIONS', 100_000, 1);
const MESSAGES = int('MESSAGES', 1_000_000, CONVERSATIONS);
/** Fewer contacts than conversations: returning clients have several dialogs. */
const CONTACTS = Math.min(CONVERSATIONS, int('CONTACTS', Math.round(CONVERSATIONS * 0.8), 1));
const OPERATORS_PER_LINE = int('OPERATORS_PER_LINE', 50, 1);
const dir = path.resolve(rawOption('DIR') ?? path.join(tmpdir(), 'omniline-seed', database));
const pgDatabase = rawOption('PG_DATABASE') ?? 'omniline_seed';

const LINES = [
  { name: 'Sales & support', weight: 0.4 }, { name: 'Billing', weight: 0.3 }, { name: 'Technical support', weight: 0.2 }, { name: 'Wholesale', weight: 0.1 },
];
const DAY = 86_400_000;
const SPAN = 365 * DAY;

// ---------------------------------------------------------------------------------------------
// Deterministic data: the same options give the same database.

let state = 0x9e3779b9;
/** mulberry32 */
function rnd(): number {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const between = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));

const FIRST = ['Olivia', 'Liam', 'Emma', 'Noah', 'Amelia', 'Oliver', 'Ava', 'Elijah', 'Sophia', 'Lucas', 'Isabella', 'Mateo', 'Mia', 'Levi', 'Charlotte',
  'Ethan', 'Harper', 'James', 'Evelyn', 'Henry', 'Luna', 'Leo', 'Gianna', 'Jack', 'Aria', 'Daniel', 'Ella', 'Sebastian', 'Nora', 'Aiden', 'Hazel',
  'Anna', 'Maria', 'Ivan', 'Olga', 'Dmitri', 'Elena', 'Sergei', 'Katarina', 'Pavel', 'Fatima', 'Omar', 'Aisha', 'Yusuf', 'Mei', 'Hiroshi', 'Yuki',
  'Priya', 'Arjun', 'Lars', 'Ingrid', 'Pierre', 'Camille', 'Jürgen', 'Zoë', 'Søren', 'Chloé', 'Tomás', 'Lucía', 'Giulia'];
const LAST = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez', 'Gonzalez',
  'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez',
  'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores', 'Ivanova', 'Petrov', 'Kowalski',
  'Novak', 'Müller', 'Schmidt', 'Rossi', 'Bianchi', 'Dubois', 'Lefebvre', 'Tanaka', 'Suzuki', 'Kim', 'Park', 'Chen', 'Wang', 'Singh', 'Patel', 'Haddad', 'Larsen'];
const DOMAINS = ['gmail.com', 'yahoo.com', 'outlook.com', 'icloud.com', 'proton.me', 'example.org', 'mail.ru', 'web.de', 'northwind.test', 'contoso.test'];
const ascii = (s: string) => s.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase();

const IN = [
  'Hello, I would like to know where my order #{n} is.', 'Hi! Is the {p} still in stock?', 'Can I change the delivery address for order #{n}?',
  'My payment failed twice, can you help?', 'Do you ship to {c}?', 'The {p} arrived damaged, what should I do?', 'How long does a refund take?',
  'I was charged twice for invoice {n}.', 'Can I get a discount for 20 units of {p}?', 'What are your opening hours on weekends?',
  'The tracking number {n} does not work.', 'I forgot my password and the reset e-mail never came.', 'Is there a warranty on the {p}?',
  'Thanks, that solved it!', 'Could you send me the invoice as PDF?', 'Why was my account blocked?', 'I need to cancel my subscription.',
];
const OUT = [
  'Hi {f}, thanks for reaching out! Let me check that for you.', 'Your order #{n} left our warehouse yesterday and should arrive in 2–3 days.',
  'I have refunded the duplicate charge; it takes 3–5 business days to show.', 'Yes, we ship to {c}. Delivery takes about a week.',
  'Sorry about that! I have sent a replacement {p} today.', 'Could you share a photo of the damage, please?', 'Done — anything else I can help with?',
  'I have reset your password; please check your spam folder too.', 'The {p} has a two-year warranty.', 'I have sent the invoice to your e-mail.',
];
const NOTES = ['Customer is a repeat buyer, be nice.', 'Escalated to billing, waiting for their answer.', 'Possible fraud, check the card owner.'];
const PRODUCTS = ['blue kettle', 'office chair', 'standing desk', 'wireless mouse', 'espresso machine', 'winter jacket', 'garden hose', 'phone case'];
const COUNTRIES = ['Canada', 'Germany', 'Brazil', 'Japan', 'Kazakhstan', 'Norway', 'Chile', 'Portugal'];
const fill = (t: string, first: string) =>
  t.replace('{n}', String(between(10_000, 999_999))).replace('{p}', pick(PRODUCTS)).replace('{c}', pick(COUNTRIES)).replace('{f}', first);

// ---------------------------------------------------------------------------------------------
// Bulk SQL

/** Most bound parameters in one statement: SQLite's SQLITE_MAX_VARIABLE_NUMBER (32766), PostgreSQL's protocol limit (65535). */
const MAX_PARAMS = database === 'sqlite' ? 32_000 : 65_000;

async function insertMany(tx: Tx, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  const per = Math.floor(MAX_PARAMS / columns.length);
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per);
    await tx.sql(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array(chunk.length).fill(tuple).join(', ')}`, chunk.flat());
  }
}

// ---------------------------------------------------------------------------------------------

interface Setup {
  lines: Array<{ id: number; channelIds: number[]; operatorIds: number[] }>;
  operators: Array<{ id: number; email: string; lineId: number }>;
}

/** A real hub's first start (migrations, admin, line 1, site chat), then lines, channels and operators through its services. */
async function setUp(config: HubConfig): Promise<Setup> {
  const hub = await createHub(config, { logger: pino({ level: 'silent' }) });
  await hub.start();
  try {
    const adminId = Number((await hub.db.manager.query(`SELECT id FROM users WHERE email = '${BENCH_ADMIN.email}'`))[0].id);
    const first = await hub.users.create({ email: operatorEmail(0), name: 'Operator 0', role: 'operator', password: OPERATOR_PASSWORD });
    const [{ password_hash: hash }] = await hub.db.manager.query(`SELECT password_hash FROM users WHERE id = ${first.id}`);
    const total = LINES.length * OPERATORS_PER_LINE;
    const now = Date.now();
    await hub.db.write((tx) => insertMany(tx, 'users', ['email', 'name', 'password_hash', 'role', 'presence', 'max_open_dialogs', 'created_at'],
      Array.from({ length: total - 1 }, (_, k) => [operatorEmail(k + 1), `Operator ${k + 1}`, hash, 'operator', 'offline', 10, now])));
    const ids = ((await hub.db.manager.query(`SELECT id, email FROM users WHERE role = 'operator' ORDER BY id`)) as Array<{ id: number; email: string }>)
      .map((r) => ({ id: Number(r.id), email: r.email }));
    const lines: Setup['lines'] = [];
    const operators: Setup['operators'] = [];
    for (let l = 0; l < LINES.length; l++) {
      const members = ids.slice(l * OPERATORS_PER_LINE, (l + 1) * OPERATORS_PER_LINE);
      const memberIds = members.map((m) => m.id);
      const lineId = l === 0 ? 1 : (await hub.lines.create({ name: LINES[l]!.name, memberIds: [adminId], crm: { createLead: true, sourceName: 'Website' } })).id;
      await hub.lines.update(lineId, { memberIds: l === 0 ? [adminId, ...memberIds] : memberIds });
      if (l > 0) await hub.channels.create({ type: 'webchat', name: `${LINES[l]!.name} chat`, lineId, settings: { title: LINES[l]!.name } });
      await hub.channels.create({ type: 'webchat', name: `${LINES[l]!.name} shop chat`, lineId, settings: { title: `${LINES[l]!.name} (shop)` } });
      const channelIds = ((await hub.db.manager.query(`SELECT id FROM channels WHERE line_id = ${lineId} ORDER BY id`)) as Array<{ id: number }>).map((r) => Number(r.id));
      lines.push({ id: lineId, channelIds, operatorIds: memberIds });
      operators.push(...members.map((m) => ({ ...m, lineId })));
    }
    return { lines, operators };
  } finally {
    await hub.stop();
  }
}

interface Counts { contacts: number; identities: number; conversations: number; messages: number; byStatus: Record<string, number> }

async function seedBulk(db: Database, setup: Setup, now: number): Promise<Counts> {
  const counts: Counts = { contacts: 0, identities: 0, conversations: 0, messages: 0, byStatus: {} };
  // Contacts and their web-chat identity, oldest first.
  const contacts: Array<{ first: string; visitor: string }> = [];
  const BATCH = 20_000;
  for (let start = 0; start < CONTACTS; start += BATCH) {
    const rows: unknown[][] = [];
    const idRows: unknown[][] = [];
    for (let i = start; i < Math.min(CONTACTS, start + BATCH); i++) {
      const first = pick(FIRST);
      const last = pick(LAST);
      const at = now - SPAN + Math.floor((i / CONTACTS) * SPAN);
      const email = rnd() < 0.8 ? `${ascii(first)}.${ascii(last)}${i}@${pick(DOMAINS)}` : null;
      const phone = rnd() < 0.5 ? `+1555${String(between(0, 9_999_999)).padStart(7, '0')}` : null;
      const visitor = `v${i.toString(36)}${Math.floor(rnd() * 2 ** 32).toString(36)}`;
      contacts.push({ first, visitor });
      rows.push([`${first} ${last}`, email, phone, at, at]);
      idRows.push([i + 1, 'webchat', visitor]);
    }
    await db.write(async (tx) => {
      await insertMany(tx, 'contacts', ['name', 'email', 'phone', 'created_at', 'updated_at'], rows);
      await insertMany(tx, 'contact_identities', ['contact_id', 'channel_type', 'external_id'], idRows);
    });
    counts.contacts += rows.length;
    counts.identities += idRows.length;
  }

  // Messages per conversation: 1 … 2×average−1, then corrected to the exact total.
  const avg = MESSAGES / CONVERSATIONS;
  const perConv = Array.from({ length: CONVERSATIONS }, () => Math.max(1, Math.round(1 + rnd() * 2 * (avg - 1))));
  let diff = MESSAGES - perConv.reduce((a, b) => a + b, 0);
  while (diff !== 0) {
    const k = Math.floor(rnd() * CONVERSATIONS);
    if (diff > 0) (perConv[k]!++, diff--);
    else if (perConv[k]! > 1) (perConv[k]!--, diff++);
  }

  const lineCut = LINES.map((_, l) => LINES.slice(0, l + 1).reduce((a, x) => a + x.weight, 0));
  const convColumns = ['line_id', 'channel_id', 'contact_id', 'contact_external_id', 'thread_key', 'status', 'assignee_id', 'last_message_preview', 'last_message_at',
    'waiting_since', 'unread_count', 'first_reply_at', 'closed_at', 'flags', 'created_at', 'updated_at'];
  const msgColumns = ['conversation_id', 'channel_id', 'direction', 'visibility', 'kind', 'author_id', 'text', 'html', 'external_id', 'delivery_status',
    'delivery_error', 'meta', 'created_at'];
  const CONV_BATCH = 10_000;
  for (let start = 0; start < CONVERSATIONS; start += CONV_BATCH) {
    const convRows: unknown[][] = [];
    const msgRows: unknown[][] = [];
    for (let k = start; k < Math.min(CONVERSATIONS, start + CONV_BATCH); k++) {
      // New contacts spread evenly over time; the other conversations are returning contacts' earlier,
      // closed dialogs (one live dialog per contact and channel is a unique index).
      const fresh = Math.floor(((k + 1) * CONTACTS) / CONVERSATIONS) > Math.floor((k * CONTACTS) / CONVERSATIONS);
      const contactIdx = fresh ? Math.floor(((k + 1) * CONTACTS) / CONVERSATIONS) - 1 : Math.floor(rnd() * Math.max(1, Math.floor((k * CONTACTS) / CONVERSATIONS)));
      const contact = contacts[contactIdx]!;
      const r = rnd();
      const line = setup.lines[lineCut.findIndex((c) => r < c)] ?? setup.lines[0]!;
      const channelId = pick(line.channelIds);
      const recent = k >= CONVERSATIONS * 0.97;
      const s = rnd();
      const status = !fresh ? 'closed' : recent ? (s < 0.45 ? 'open' : s < 0.8 ? 'queued' : s < 0.85 ? 'waiting' : 'closed') : s < 0.02 ? 'open' : 'closed';
      const operator = pick(line.operatorIds);
      const assignee = status === 'queued' ? null : status === 'closed' && rnd() < 0.1 ? null : operator;
      const createdAt = now - SPAN + Math.floor((k / CONVERSATIONS) * (SPAN - DAY)) + between(0, 60_000);
      const convId = k + 1;
      let t = createdAt;
      let firstReply: number | null = null;
      let lastIn = t;
      let unread = 0;
      let last = '';
      const n = perConv[k]!;
      for (let j = 0; j < n; j++) {
        const inbound = j === 0 || (rnd() < 0.55 && status !== 'queued') || status === 'queued';
        const note = !inbound && assignee !== null && rnd() < 0.03;
        const text = fill(inbound ? pick(IN) : note ? pick(NOTES) : pick(OUT), contact.first);
        if (j > 0) t += between(20_000, 600_000);
        if (inbound) {
          msgRows.push([convId, channelId, 'in', 'public', 'text', null, text, null, `${contact.visitor}:s${k}-${j}`, null, null, '{}', t]);
          lastIn = t;
          unread++;
        } else {
          msgRows.push([convId, channelId, 'out', note ? 'internal' : 'public', 'text', assignee ?? operator, text, null, null, note ? null : 'delivered', null, '{}', t]);
          if (!note) {
            firstReply ??= t;
            unread = 0;
          }
        }
        if (!note) last = text;
      }
      const closedAt = status === 'closed' ? t + between(60_000, 3_600_000) : null;
      const live = status !== 'closed';
      convRows.push([line.id, channelId, contactIdx + 1, contact.visitor, '', status, assignee, last.slice(0, 200), t,
        live && unread > 0 ? lastIn : null, live ? unread : 0, firstReply, closedAt, assignee === null ? '{}' : JSON.stringify({ assignedAt: createdAt + 5_000 }),
        createdAt, closedAt ?? t]);
      counts.byStatus[status] = (counts.byStatus[status] ?? 0) + 1;
    }
    await db.write(async (tx) => {
      await insertMany(tx, 'conversations', convColumns, convRows);
      await insertMany(tx, 'messages', msgColumns, msgRows);
    });
    counts.conversations += convRows.length;
    counts.messages += msgRows.length;
    process.stdout.write(`\r  ${counts.conversations} conversations, ${counts.messages} messages`);
  }
  process.stdout.write('\n');
  return counts;
}

async function main() {
  const started = performance.now();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const url = database === 'postgres' ? await recreateDatabase(pgDatabase) : null;
  const config = loadConfig({
    NODE_ENV: 'production', DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1', PUBLIC_URL: 'http://127.0.0.1', LOG_LEVEL: 'silent',
    HUB_ADMIN_EMAIL: BENCH_ADMIN.email, HUB_ADMIN_PASSWORD: BENCH_ADMIN.password, ...(url ? { DATABASE_URL: url } : {}),
  });
  console.log(`seeding ${database} (${config.database.kind === 'sqlite' ? config.database.file : pgDatabase}): ${CONTACTS} contacts, ${CONVERSATIONS} conversations, ${MESSAGES} messages`);
  const setup = await setUp(config);
  const setupS = (performance.now() - started) / 1000;
  const db = await Database.open(config.database, { migrate: false });
  const now = Date.now();
  const bulkStart = performance.now();
  let counts: Counts;
  try {
    counts = await seedBulk(db, setup, now);
    // PostgreSQL's autovacuum would analyze the tables after a load like this; doing it now means the
    // queries see the plans a running server has. SQLite is left as the hub leaves it (it never runs ANALYZE).
    if (database === 'postgres') await db.manager.query('VACUUM ANALYZE');
  } finally {
    await db.close();
  }
  const bulkS = (performance.now() - bulkStart) / 1000;
  const totalS = (performance.now() - started) / 1000;
  const manifest = {
    database, dir, url, pgDatabase: url ? pgDatabase : null, seededAt: now, ...counts, admin: BENCH_ADMIN,
    operatorPassword: OPERATOR_PASSWORD, lines: setup.lines.map((l) => ({ id: l.id, channelIds: l.channelIds, operators: l.operatorIds.length })),
    operators: setup.operators,
  };
  writeFileSync(path.join(dir, 'seed.json'), JSON.stringify(manifest, null, 2));
  console.log(`statuses: ${Object.entries(counts.byStatus).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  console.log(`hub set-up ${fmt(setupS)} s, bulk insert ${fmt(bulkS)} s (${fmt((counts.messages + counts.conversations + counts.contacts * 2) / bulkS, 0)} rows/s), total ${fmt(totalS)} s; manifest ${path.join(dir, 'seed.json')}`);
  console.log(JSON.stringify({ database, contacts: counts.contacts, conversations: counts.conversations, messages: counts.messages, setup_s: Math.round(setupS * 10) / 10, bulk_s: Math.round(bulkS * 10) / 10, total_s: Math.round(totalS * 10) / 10, dir }));
}

runMain(main);
