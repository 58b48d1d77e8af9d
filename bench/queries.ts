/**
 * `npm run bench:queries`: the inbox and search queries against the databases `npm run bench:seed`
 * wrote (1,000,000 messages, 100,000 conversations by default), through the real HTTP API of a hub
 * running on each of them in a process of its own, as the admin and as an operator of one line.
 * Every query runs RUNS times after WARMUP runs; times are client-side, request sent → JSON parsed.
 *
 *   npm run bench:seed -- --database sqlite && npm run bench:seed -- --database postgres
 *   npm run bench:queries                      # every seeded database found
 *   npm run bench:queries -- --databases sqlite --runs 50
 *
 * The last line is one JSON object: per database and query p50/p95/max in ms and the page size.
 */
import { existsSync, readFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { login, type ApiClient } from '../tests/helpers/clients.js';
import { runMain } from './lib/main.js';
import { int, rawOption } from './lib/options.js';
import { ServerChild } from './lib/server-child.js';
import { fmt, percentile, round } from './lib/stats.js';
import { machineTicks, processCpuMs } from './lib/usage.js';

const RUNS = int('RUNS', 30, 1);
const WARMUP = int('WARMUP', 3, 0);
const TARGET_MS = 50;
const databases = (rawOption('DATABASES') ?? 'sqlite,postgres').split(',').map((d) => d.trim()).filter(Boolean);
const baseDir = path.resolve(rawOption('DIR') ?? path.join(tmpdir(), 'omniline-seed'));

interface Manifest {
  database: 'sqlite' | 'postgres';
  dir: string;
  url: string | null;
  conversations: number;
  messages: number;
  contacts: number;
  admin: { email: string; password: string };
  operatorPassword: string;
  lines: Array<{ id: number }>;
  operators: Array<{ id: number; email: string; lineId: number }>;
}

interface Query {
  name: string;
  who: 'admin' | 'operator';
  path: string;
  /** Counts toward the targets: the inbox's first page and contact search (< 50 ms). */
  target: boolean;
}

function queries(messagesOf: number): Query[] {
  const q: Query[] = [];
  const add = (name: string, who: Query['who'], p: string, target = false) => q.push({ name, who, path: p, target });
  for (const who of ['admin', 'operator'] as const) {
    add(`${who} list all`, who, '/api/conversations', true);
    add(`${who} list queue`, who, '/api/conversations?scope=queue', true);
    add(`${who} list mine`, who, '/api/conversations?scope=mine', true);
    add(`${who} list closed`, who, '/api/conversations?scope=closed', true);
  }
  // Contact search: a first name, part of a surname, an e-mail domain, digits of a phone number, a fragment
  // nothing matches (without an index every row is looked at), one that a third of the rows match, and
  // two characters (too short for a trigram index), common and rare.
  for (const [label, frag] of [['name', 'olivia'], ['surname', 'mill'], ['email', 'proton'], ['phone', '55501'], ['no match', 'zzqx'], ['common', 'com'], ['2 chars', 'ki'], ['2 chars rare', 'qx']] as const) {
    add(`admin contacts ${label} "${frag}"`, 'admin', `/api/contacts?q=${encodeURIComponent(frag)}`, true);
  }
  add('operator contacts name "olivia"', 'operator', '/api/contacts?q=olivia', true);
  add('operator contacts no match "zzqx"', 'operator', '/api/contacts?q=zzqx', true);
  // Conversation search also looks into message texts.
  for (const [label, frag] of [['name', 'olivia'], ['message text', 'kettle'], ['common text', 'order'], ['no match', 'zzqx'], ['2 chars', 'ki']] as const) {
    add(`admin conversations q ${label} "${frag}"`, 'admin', `/api/conversations?q=${encodeURIComponent(frag)}`);
  }
  add('operator conversations q name "olivia"', 'operator', '/api/conversations?q=olivia');
  add('admin messages first page', 'admin', `/api/conversations/${messagesOf}/messages`);
  return q;
}

async function timed(client: ApiClient, p: string): Promise<{ ms: number; items: number }> {
  const t0 = performance.now();
  const r = await client.call('GET', p);
  const ms = performance.now() - t0;
  if (r.status !== 200) throw new Error(`GET ${p}: ${r.status} ${JSON.stringify(r.body)}`);
  return { ms, items: Array.isArray(r.body?.items) ? r.body.items.length : 0 };
}

async function runDatabase(m: Manifest) {
  const hub = await ServerChild.startHub({ env: { BENCH_DATA_DIR: m.dir, BENCH_DATABASE_URL: m.url ?? undefined } });
  try {
    const { url } = hub.info as { url: string };
    const operator = m.operators.find((o) => o.lineId === m.lines[1]?.id) ?? m.operators[0]!;
    const clients = { admin: await login(url, m.admin.email, m.admin.password), operator: await login(url, operator.email, m.operatorPassword) };
    const first = await clients.admin.call('GET', '/api/conversations');
    const convId = (first.body.items as Array<{ id: number }>)[0]!.id;
    console.log(`\n[${m.database}] ${m.conversations} conversations, ${m.messages} messages, ${m.contacts} contacts; hub ${url}; operator ${operator.email} (line ${operator.lineId})`);
    const out: Record<string, { p50: number | null; p95: number | null; max: number | null; items: number; target: boolean }> = {};
    const t0 = performance.now();
    const m0 = machineTicks();
    const hub0 = processCpuMs(hub.pid);
    const self0 = process.cpuUsage();
    for (const q of queries(convId)) {
      for (let i = 0; i < WARMUP; i++) await timed(clients[q.who], q.path);
      const times: number[] = [];
      let items = 0;
      for (let i = 0; i < RUNS; i++) {
        const r = await timed(clients[q.who], q.path);
        times.push(r.ms);
        items = r.items;
      }
      times.sort((a, b) => a - b);
      const res = { p50: round(percentile(times, 50), 2), p95: round(percentile(times, 95), 2), max: round(times.at(-1)!, 2), items, target: q.target };
      out[q.name] = res;
      const flag = res.p95! < TARGET_MS ? '' : q.target ? '   <-- over 50 ms' : '   (over 50 ms; not a target query)';
      console.log(`[${m.database}] ${q.name.padEnd(44)} p50 ${fmt(res.p50!, 2).padStart(8)} ms  p95 ${fmt(res.p95!, 2).padStart(8)} ms  max ${fmt(res.max!, 2).padStart(8)} ms  (${items} items)${flag}`);
    }
    // What else ran meanwhile: the whole machine minus the hub and this process (PostgreSQL counts as other).
    const ms = performance.now() - t0;
    const m1 = machineTicks();
    const machine = m0 && m1 ? ((m1.busy - m0.busy) / (m1.total - m0.total)) * os.availableParallelism() * 100 : NaN;
    const hubCpu = ((processCpuMs(hub.pid) - hub0) / ms) * 100;
    const u = process.cpuUsage(self0);
    const others = Math.max(0, machine - hubCpu - ((u.user + u.system) / 1000 / ms) * 100);
    console.log(`[${m.database}] during the queries: hub CPU ${fmt(hubCpu, 0)}%, whole machine ${fmt(machine, 0)}% of ${os.availableParallelism() * 100}% (other processes${m.database === 'postgres' ? ', PostgreSQL included,' : ''} ≈ ${fmt(others, 0)}%)`);
    return { queries: out, hubCpu, others };
  } finally {
    await hub.stop();
  }
}

async function main() {
  const result: Record<string, unknown> = { runs: RUNS };
  let worst = 0;
  for (const db of databases) {
    const file = path.join(baseDir, db, 'seed.json');
    if (!existsSync(file)) {
      console.log(`[${db}] no seeded database at ${file}; run npm run bench:seed -- --database ${db}`);
      continue;
    }
    const m = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
    const { queries: r, hubCpu, others } = await runDatabase(m);
    const targetWorst = Math.max(...Object.values(r).filter((x) => x.target).map((x) => x.p95 ?? Infinity));
    worst = Math.max(worst, targetWorst);
    result[db] = {
      conversations: m.conversations, messages: m.messages, contacts: m.contacts, target_p95_max_ms: targetWorst,
      hub_cpu_pct: round(hubCpu, 0), other_cpu_pct: round(others, 0), queries: r,
    };
  }
  result.target_ms = TARGET_MS;
  result.target_met = worst < TARGET_MS;
  console.log(`\n[result] slowest target query (inbox first page, contact search), p95: ${fmt(worst, 2)} ms — ${worst < TARGET_MS ? 'under' : 'NOT under'} ${TARGET_MS} ms`);
  console.log(JSON.stringify(result));
}

runMain(main);
