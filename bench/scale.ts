/**
 * `npm run bench:scale`: one hub with 10,000 connected visitor sockets and 200 operators (each one
 * socket, all members of the line) at 500 visitor messages/s — visitor → operator latency, the hub's
 * memory and CPU — and the bare Socket.IO relay's ceiling with the same socket counts, in the same run.
 * See docs/performance.md ("Scale") for the method.
 *
 *   npm run bench:scale
 *   npm run bench:scale -- --visitors 1000 --operators 20 --rate 100 --duration 5      # quick run
 *   npm run bench:scale -- --database postgres
 *
 * Processes: this coordinator (set-up over HTTP, then only timing and bookkeeping), the hub
 * (bench/hub-process.ts), WORKERS load generators (bench/scale-worker.ts) holding the sockets, and
 * after the hub has stopped the bare relay (bench/relay-process.ts). The hub's CPU and memory are
 * read from /proc/<pid>. The last line printed is one JSON object.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { login } from '../tests/helpers/clients.js';
import { runMain } from './lib/main.js';
import { choice, int, num, rawOption } from './lib/options.js';
import { dropDatabase, recreateDatabase } from './lib/pg.js';
import { ID_SPACE, type ClosedLoopArgs, type FixedRateArgs, type Report } from './lib/scale-protocol.js';
import { ServerChild } from './lib/server-child.js';
import { addOperators, visitorTokens } from './lib/setup.js';
import { fmt, monoMs, percentile, round, sleep } from './lib/stats.js';
import { commandCpuMs, machineTicks, processCpuMs, processMemory } from './lib/usage.js';

/** The hub allows 20 visitor sends per 10 s per socket (connectors/webchat/send-budget.ts). */
const SEND_BUDGET_PER_S = 20 / 10;

const opts = {
  visitors: int('VISITORS', 10_000, 1),
  operators: int('OPERATORS', 200, 1),
  /** Messages per second in the measured phase, all senders together. */
  rate: num('RATE', 500, 1),
  /** Visitors that send (the first SENDERS); the others stay connected and idle, as most visitors on a site do. */
  senders: int('SENDERS', 2000, 1),
  duration: num('DURATION', 30, 1),
  warmup: num('WARMUP', 5, 0),
  workers: int('WORKERS', 2, 1),
  /** Seconds of the hub's closed-loop throughput phase; 0 skips it. */
  tpSeconds: num('TP_SECONDS', 10, 0),
  relaySeconds: num('RELAY_SECONDS', 10, 1),
  /** Messages in flight per worker in the closed-loop phases. */
  window: int('WINDOW', 32, 1),
  database: choice('DATABASE', ['sqlite', 'postgres'] as const, 'sqlite'),
  cpuProf: rawOption('CPU_PROF'),
  /**
   * Scheduling priority of the load workers (0–19, higher yields more). The workers share the two
   * cores with the server under test; at equal priority they take its CPU in bursts, which is a cost
   * of measuring on one machine, not of the server.
   */
  workerNice: int('WORKER_NICE', 10, 0),
  /** More node flags for the hub, after production's (config/node-flags.ts): `--trace-gc`, or `--max-semi-space-size=16` for V8's default. */
  hubNodeArgs: rawOption('HUB_NODE_ARGS'),
  /** A CSV file for the measured messages, one line each: when sent (ms after the first), ms to the first operator socket, ms to the ack. */
  timeline: rawOption('TIMELINE'),
};
if (opts.workerNice > 19) throw new Error(`WORKER_NICE must be 0–19 (got ${opts.workerNice})`);
// A value that starts with `--` must be joined with `=` (`--hub-node-args=--trace-gc`), or it reads as a flag of its own.
for (const [name, value] of [['HUB_NODE_ARGS', opts.hubNodeArgs], ['TIMELINE', opts.timeline]] as const) {
  if (value === 'true') throw new Error(`${name} needs a value: --${name.toLowerCase().replace(/_/g, '-')}=<value>`);
}
opts.senders = Math.min(opts.senders, opts.visitors);
const perSender = opts.rate / opts.senders;
if (perSender > SEND_BUDGET_PER_S * 0.95) {
  throw new Error(`RATE/SENDERS = ${perSender.toFixed(2)} msg/s per visitor exceeds the hub's per-socket budget (20 per 10 s); add senders`);
}

// Id ranges of the phases (ids are global, carried in the message text; see bench/scale-worker.ts):
// priming and the closed loops give each worker PER_WORKER ids of its own.
const PER_WORKER = 100_000;
const total = Math.round(opts.rate * (opts.warmup + opts.duration));
const PRIME = 0;
const LATENCY = PRIME + opts.workers * PER_WORKER;
const THROUGHPUT = LATENCY + total;
const RELAY = THROUGHPUT + opts.workers * PER_WORKER;
if (RELAY + opts.workers * PER_WORKER > ID_SPACE) throw new Error('too many workers or messages for the id space; lower WORKERS, RATE or DURATION');
if (opts.senders > opts.workers * PER_WORKER) throw new Error(`at most ${opts.workers * PER_WORKER} senders`);

const log = (line: string) => console.log(line);

function fdLimit(): number {
  const m = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
  return !m || m[1] === 'unlimited' ? Infinity : Number(m[1]);
}

/** CPU of the hub, the workers, PostgreSQL (when the hub uses it) and the whole machine over a window, in % of one core. */
function cpuWindow(hubPid: number, workerPids: number[]) {
  const pg = opts.database === 'postgres';
  const t0 = performance.now();
  const db0 = pg ? commandCpuMs('postgres') : 0;
  const hub0 = processCpuMs(hubPid);
  const w0 = workerPids.map(processCpuMs);
  const self0 = process.cpuUsage();
  const m0 = machineTicks();
  return () => {
    const ms = performance.now() - t0;
    const hub = ((processCpuMs(hubPid) - hub0) / ms) * 100;
    const workers = (workerPids.reduce((a, pid, i) => a + processCpuMs(pid) - w0[i]!, 0) / ms) * 100;
    const u = process.cpuUsage(self0);
    const self = ((u.user + u.system) / 1000 / ms) * 100;
    const m1 = machineTicks();
    const machine = m0 && m1 ? ((m1.busy - m0.busy) / (m1.total - m0.total)) * os.availableParallelism() * 100 : NaN;
    const db = pg ? ((commandCpuMs('postgres') - db0) / ms) * 100 : 0;
    return { hub, workers, coordinator: self, db, machine, others: Math.max(0, machine - hub - workers - self - db) };
  };
}

/** Samples the resident memory of a process every second while it runs. */
function rssSampler(pid: number) {
  let max = 0;
  const timer = setInterval(() => (max = Math.max(max, processMemory(pid).rssMiB)), 1000);
  return () => {
    clearInterval(timer);
    return Math.max(max, processMemory(pid).rssMiB);
  };
}

interface Merged {
  sentAt: number[];
  dueAt: number[];
  ackAt: number[];
  ackError: Array<string | null>;
  firstSeen: number[];
  lastSeen: number[];
  seenBy: number[];
}

async function collect(workers: ServerChild[], from: number, to: number): Promise<Merged> {
  const reports = await Promise.all(workers.map((w) => w.call<Report>('report', { from, to })));
  const n = to - from;
  const pickSet = (k: 'sentAt' | 'dueAt' | 'ackAt') => Array.from({ length: n }, (_, i) => reports.map((r) => r[k][i]!).find((v) => !Number.isNaN(v)) ?? NaN);
  return {
    sentAt: pickSet('sentAt'), dueAt: pickSet('dueAt'), ackAt: pickSet('ackAt'),
    ackError: Array.from({ length: n }, (_, i) => reports.map((r) => r.ackError[i]).find((v) => v) ?? null),
    firstSeen: Array.from({ length: n }, (_, i) => Math.min(...reports.map((r) => (Number.isNaN(r.firstSeen[i]!) ? Infinity : r.firstSeen[i]!)))).map((v) => (v === Infinity ? NaN : v)),
    lastSeen: Array.from({ length: n }, (_, i) => Math.max(...reports.map((r) => (Number.isNaN(r.lastSeen[i]!) ? -Infinity : r.lastSeen[i]!)))).map((v) => (v === -Infinity ? NaN : v)),
    seenBy: Array.from({ length: n }, (_, i) => reports.reduce((a, r) => a + r.seenBy[i]!, 0)),
  };
}

/** Waits until every message sent in the ranges reached every operator socket and was acked; gives up after 10 s without progress. */
async function drain(workers: ServerChild[], ranges: Array<[number, number]>, expectedSeen: number, stallMs = 10_000): Promise<void> {
  let last = -1;
  let lastChange = performance.now();
  for (;;) {
    let seen = 0;
    let pending = 0;
    for (const [from, to] of ranges) {
      for (const p of await Promise.all(workers.map((w) => w.call<{ seen: number; pending: number }>('progress', { from, to })))) {
        seen += p.seen;
        pending += p.pending;
      }
    }
    if (seen >= expectedSeen && pending === 0) return;
    if (seen + pending !== last) {
      last = seen + pending;
      lastChange = performance.now();
    } else if (performance.now() - lastChange > stallMs) return;
    await sleep(100);
  }
}

/** Throughput of a closed-loop phase: messages delivered to an operator / (last first-delivery − first send). */
function throughput(m: Merged) {
  const sent = m.sentAt.filter((v) => !Number.isNaN(v));
  const seen = m.firstSeen.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  const start = sent.reduce((a, b) => Math.min(a, b), Infinity);
  const msgsPerS = seen.length / ((seen.at(-1)! - start) / 1000);
  const lo = Math.floor(seen.length * 0.1);
  const hi = Math.max(lo, Math.ceil(seen.length * 0.9) - 1);
  return { sent: sent.length, delivered: seen.length, msgsPerS, steady: hi > lo ? (hi - lo) / ((seen[hi]! - seen[lo]!) / 1000) : NaN };
}

/** `--timeline`: per message [sent, first seen by an operator, acked] (monotonic ms; NaN when it never was), relative to the first send. */
function writeTimeline(file: string, rows: Array<[number, number, number]>): void {
  // Not Math.min(...rows): a long --duration gives more rows than a call takes arguments.
  const t0 = rows.reduce((min, r) => Math.min(min, r[0]), Infinity);
  const ms = (x: number) => (Number.isNaN(x) ? '' : x.toFixed(2));
  writeFileSync(file, `sent_ms,first_operator_ms,ack_ms\n${rows.map(([sent, seen, ack]) => [ms(sent - t0), ms(seen - sent), ms(ack - sent)].join(',')).join('\n')}\n`);
  log(`timeline of ${rows.length} messages written to ${file}`);
}

function senderCount(worker: number): number {
  return worker < opts.senders ? Math.floor((opts.senders - 1 - worker) / opts.workers) + 1 : 0;
}

async function closedLoop(workers: ServerChild[], base: number, seconds: number) {
  await Promise.all(workers.map((w, k) => w.call('closedLoop', { base: base + k * PER_WORKER, max: PER_WORKER, window: opts.window, seconds, senders: senderCount(k) } satisfies ClosedLoopArgs)));
  const ranges = workers.map((_, k) => [base + k * PER_WORKER, base + (k + 1) * PER_WORKER] as [number, number]);
  const merged = await Promise.all(ranges.map(([from, to]) => collect(workers, from, to)));
  const all: Merged = { sentAt: [], dueAt: [], ackAt: [], ackError: [], firstSeen: [], lastSeen: [], seenBy: [] };
  for (const m of merged) for (const k of Object.keys(all) as Array<keyof Merged>) (all[k] as unknown[]).push(...(m[k] as unknown[]));
  return all;
}

async function connect(workers: ServerChild[], url: string, cookies: Array<string | null>, visitor: { key?: string; tokens?: string[] }) {
  await Promise.all(workers.map((w, k) => w.call('operators', { url, cookies: cookies.filter((_, i) => i % opts.workers === k) })));
  await Promise.all(workers.map((w, k) => {
    const mine = Array.from({ length: opts.visitors }, (_, i) => i).filter((i) => i % opts.workers === k);
    return w.call('visitors', { url, key: visitor.key, tokens: visitor.tokens && mine.map((i) => visitor.tokens![i]!), count: mine.length });
  }));
}

async function main(): Promise<number> {
  const started = performance.now();
  const cpus = os.cpus();
  const sockets = opts.visitors + opts.operators;
  log(`Omniline scale benchmark — node ${process.version}, ${os.availableParallelism()} CPU(s) (${cpus[0]?.model.trim() ?? 'unknown'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, open-file limit ${fdLimit()}`);
  log(`config: ${opts.visitors} visitor sockets (${opts.senders} sending, ${fmt(perSender, 3)} msg/s each), ${opts.operators} operators, ${opts.rate} msg/s for ${opts.duration} s after ${opts.warmup} s warm-up; ` +
    `${opts.workers} load workers (nice ${opts.workerNice}); hub on ${opts.database}; closed loops: ${opts.window} in flight per worker, hub ${opts.tpSeconds} s, relay ${opts.relaySeconds} s`);
  // The hub and the relay each hold every socket; a worker its share.
  if (fdLimit() < sockets + 1000) throw new Error(`the open-file limit (${fdLimit()}) is below ${sockets + 1000}; raise it (ulimit -n; npm run bench:scale does)`);

  const pgName = opts.database === 'postgres' ? `omniline_scale_${process.pid}` : null;
  const dbUrl = pgName ? await recreateDatabase(pgName) : undefined;
  let hub: ServerChild | null = null;
  let relay: ServerChild | null = null;
  const workers: ServerChild[] = [];
  try {
    let nodeArgs: string[] = [];
    if (opts.cpuProf) nodeArgs = ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProf === 'true' ? path.join(os.tmpdir(), `omniline-scale-prof-${Date.now()}`) : path.resolve(opts.cpuProf)}`];
    if (opts.hubNodeArgs) nodeArgs = [...nodeArgs, ...opts.hubNodeArgs.split(/\s+/).filter(Boolean)];
    hub = await ServerChild.startHub({ nodeArgs, env: { BENCH_DATABASE_URL: dbUrl } });
    const { url, widgetKey, admin: adminCreds } = hub.info as { url: string; widgetKey: string; admin: { email: string; password: string } };
    log(`hub: ${url} (own process, pid ${hub.pid}, ${opts.database}); RSS after start ${fmt(processMemory(hub.pid).rssMiB, 0)} MiB`);

    // --- set-up ----------------------------------------------------------------------------------
    const admin = await login(url, adminCreds.email, adminCreds.password);
    let t = performance.now();
    const operators = await addOperators(url, admin, opts.operators);
    for (const o of operators) {
      const r = await o.client.call('PUT', '/api/me/presence', { presence: 'online' });
      if (r.status !== 200) throw new Error(`presence: ${r.status} ${JSON.stringify(r.body)}`);
    }
    log(`created ${opts.operators} operators, members of line 1, online (${fmt((performance.now() - t) / 1000)} s)`);
    t = performance.now();
    const tokens = await visitorTokens(url, widgetKey, opts.visitors, 50);
    log(`${opts.visitors} widget sessions (${fmt((performance.now() - t) / 1000)} s)`);
    for (let k = 0; k < opts.workers; k++) {
      const worker = await ServerChild.start(`worker ${k}`, 'bench/scale-worker.ts');
      os.setPriority(worker.pid, opts.workerNice);
      workers.push(worker);
    }
    const workerPids = workers.map((w) => w.pid);
    t = performance.now();
    await connect(workers, url, operators.map((o) => o.cookie), { key: widgetKey, tokens });
    const rssConnected = processMemory(hub.pid).rssMiB;
    log(`connected ${opts.operators} operator and ${opts.visitors} visitor sockets through ${opts.workers} workers (${fmt((performance.now() - t) / 1000)} s); hub RSS ${fmt(rssConnected, 0)} MiB`);

    // Each sender's first message opens a conversation (contact, lead, routing); done once, not measured.
    t = performance.now();
    const primed = await Promise.all(workers.map((w, k) => w.call<{ failed: string[] }>('prime', { base: PRIME + k * PER_WORKER, count: senderCount(k), concurrency: 10 })));
    const primeRanges = workers.map((_, k) => [PRIME + k * PER_WORKER, PRIME + k * PER_WORKER + senderCount(k)] as [number, number]);
    await drain(workers, primeRanges, opts.senders * opts.operators);
    const primeFailed = primed.flatMap((p) => p.failed);
    log(`primed ${opts.senders} conversations (one first message per sender, not measured; ${fmt((performance.now() - t) / 1000)} s)${primeFailed.length ? `; ${primeFailed.length} refused: ${[...new Set(primeFailed)].join(', ')}` : ''}`);

    // --- fixed rate: latency, CPU, memory -------------------------------------------------------------
    const warm = Math.round(opts.rate * opts.warmup);
    const t0 = monoMs() + 500;
    const sending = Promise.all(workers.map((w, k) => w.call<{ sent: number; lagP99Ms: number }>('fixedRate', {
      base: LATENCY, t0, rate: opts.rate, total, senders: opts.senders, workers: opts.workers, worker: k,
    } satisfies FixedRateArgs)));
    await sleep(Math.max(0, t0 + opts.warmup * 1000 - monoMs()));
    await hub.stats();
    const cpu = cpuWindow(hub.pid, workerPids);
    const rss = rssSampler(hub.pid);
    const sendRes = await sending;
    const usage = cpu();
    const hubStats = await hub.stats();
    const rssMax = rss();
    await drain(workers, [[LATENCY, LATENCY + total]], total * opts.operators);
    const lat = await collect(workers, LATENCY, LATENCY + total);
    const measured = Array.from({ length: total - warm }, (_, k) => warm + k);
    if (opts.timeline) writeTimeline(opts.timeline, measured.map((i) => [lat.sentAt[i]!, lat.firstSeen[i]!, lat.ackAt[i]!]));
    const latencies = measured.filter((i) => lat.seenBy[i]! > 0).map((i) => lat.firstSeen[i]! - lat.sentAt[i]!).sort((a, b) => a - b);
    const fanout = measured.filter((i) => lat.seenBy[i] === opts.operators).map((i) => lat.lastSeen[i]! - lat.sentAt[i]!).sort((a, b) => a - b);
    const acks = measured.filter((i) => !Number.isNaN(lat.ackAt[i]!) && !lat.ackError[i]).map((i) => lat.ackAt[i]! - lat.sentAt[i]!).sort((a, b) => a - b);
    const firstSent = measured.reduce((a, i) => Math.min(a, lat.sentAt[i]!), Infinity);
    const lastSeen = measured.reduce((a, i) => (lat.seenBy[i]! > 0 ? Math.max(a, lat.firstSeen[i]!) : a), -Infinity);
    const delivered = latencies.length;
    const msgsPerS = delivered / ((lastSeen - firstSent) / 1000);
    const rejectedLat = measured.filter((i) => lat.ackError[i]).length;
    const lagP99 = Math.max(...sendRes.map((r) => r.lagP99Ms));
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    const mem = processMemory(hub.pid);
    log('');
    log(`[latency] ${total} messages at ${opts.rate} msg/s (${warm} warm-up), ${measured.length} measured; delivered ${delivered} = ${fmt(msgsPerS, 0)} msg/s; rejected ${rejectedLat}`);
    log(`[latency] visitor send → first operator socket: p50 ${fmt(p50, 2)} ms, p90 ${fmt(percentile(latencies, 90), 2)} ms, p99 ${fmt(p99, 2)} ms, max ${fmt(latencies.at(-1) ?? NaN, 2)} ms`);
    log(`[latency] send → all ${opts.operators} operator sockets: p50 ${fmt(percentile(fanout, 50), 2)} ms, p99 ${fmt(percentile(fanout, 99), 2)} ms; send → ack p50 ${fmt(percentile(acks, 50), 2)} ms, p99 ${fmt(percentile(acks, 99), 2)} ms; send-schedule lag p99 ${fmt(lagP99, 2)} ms`);
    log(`[latency] hub: CPU ${fmt(usage.hub, 0)}% of one core, event-loop delay p99 ${fmt(hubStats.loopDelayP99Ms)} ms / max ${fmt(hubStats.loopDelayMaxMs)} ms; RSS ${fmt(mem.rssMiB, 0)} MiB now, ${fmt(rssMax, 0)} MiB max in the window, ${fmt(mem.peakMiB, 0)} MiB peak (VmHWM)`);
    log(`[latency] load workers ${fmt(usage.workers, 0)}%, coordinator ${fmt(usage.coordinator, 0)}%,${opts.database === 'postgres' ? ` PostgreSQL (all its processes) ${fmt(usage.db, 0)}%,` : ''} whole machine ${fmt(usage.machine, 0)}% of ${os.availableParallelism() * 100}% (other processes ≈ ${fmt(usage.others, 0)}%)`);

    // --- hub throughput, closed loop ------------------------------------------------------------------
    let tp: ReturnType<typeof throughput> | null = null;
    let tpUsage: ReturnType<ReturnType<typeof cpuWindow>> | null = null;
    let tpMerged: Merged | null = null;
    if (opts.tpSeconds > 0) {
      const cpuTp = cpuWindow(hub.pid, workerPids);
      tpMerged = await closedLoop(workers, THROUGHPUT, opts.tpSeconds);
      tpUsage = cpuTp();
      tp = throughput(tpMerged);
      log('');
      log(`[throughput] hub, closed loop (${opts.window * opts.workers} in flight): ${tp.delivered}/${tp.sent} delivered = ${fmt(tp.msgsPerS, 0)} msg/s (steady middle 80 %: ${fmt(tp.steady, 0)} msg/s); rejected ${tpMerged.ackError.filter(Boolean).length}`);
      log(`[throughput] hub CPU ${fmt(tpUsage.hub, 0)}%, load workers ${fmt(tpUsage.workers, 0)}%, other processes ≈ ${fmt(tpUsage.others, 0)}%`);
    }

    // Lost: sent to the hub (prime, warm-up, measured, throughput) and never seen by any operator socket.
    const primeMerged = await Promise.all(primeRanges.map(([from, to]) => collect(workers, from, to)));
    const hubPhases = [...primeMerged, lat, ...(tpMerged ? [tpMerged] : [])];
    let sentToHub = 0;
    let lost = 0;
    let partial = 0;
    for (const m of hubPhases) {
      m.sentAt.forEach((s, i) => {
        if (Number.isNaN(s) || m.ackError[i]) return;
        sentToHub++;
        if (m.seenBy[i] === 0) lost++;
        else if (m.seenBy[i]! < opts.operators) partial++;
      });
    }
    const rejected = hubPhases.reduce((a, m) => a + m.ackError.filter(Boolean).length, 0);
    const hubPeak = processMemory(hub.pid).peakMiB;
    await Promise.all(workers.map((w) => w.call('close')));
    const stopping = performance.now();
    await hub.stop(60_000);
    hub = null;
    log(`\nhub stopped in ${fmt((performance.now() - stopping) / 1000)} s`);

    // --- the bare relay, same sockets ------------------------------------------------------------------
    relay = await ServerChild.start('relay', 'bench/relay-process.ts');
    const relayUrl = (relay.info as { url: string }).url;
    await connect(workers, relayUrl, operators.map(() => null), {});
    const relayRssConnected = processMemory(relay.pid).rssMiB;
    const cpuRelay = cpuWindow(relay.pid, workerPids);
    const rl = throughput(await closedLoop(workers, RELAY, opts.relaySeconds));
    const rlUsage = cpuRelay();
    log('');
    log(`[relay] bare Socket.IO, ${opts.visitors} visitor + ${opts.operators} operator sockets, closed loop (${opts.window * opts.workers} in flight): ${rl.delivered}/${rl.sent} delivered = ${fmt(rl.msgsPerS, 0)} msg/s (steady middle 80 %: ${fmt(rl.steady, 0)} msg/s)`);
    log(`[relay] relay CPU ${fmt(rlUsage.hub, 0)}%, RSS ${fmt(relayRssConnected, 0)} MiB connected; load workers ${fmt(rlUsage.workers, 0)}%, other processes ≈ ${fmt(rlUsage.others, 0)}%`);
    await Promise.all(workers.map((w) => w.call('close')));
    await relay.stop();
    relay = null;

    // --- verdict --------------------------------------------------------------------------------
    const rateMet = msgsPerS >= opts.rate * 0.95;
    log('');
    log(`[result] p99 ${fmt(p99, 2)} ms at ${opts.rate} msg/s with ${opts.visitors} visitors and ${opts.operators} operators: ${p99 < 100 && rateMet ? 'under' : 'NOT under'} the 100 ms target`);
    log(`[result] hub resident memory ${fmt(hubPeak, 0)} MiB at its peak: ${hubPeak < 1536 ? 'under' : 'NOT under'} the 1.5 GiB target`);
    log(`[result] lost ${lost} of ${sentToHub}; delivered to only some operators ${partial}; rejected ${rejected}; total run ${fmt((performance.now() - started) / 1000)} s`);
    const result = {
      visitors: opts.visitors, operators: opts.operators, rate: opts.rate, msgs_per_s: round(msgsPerS, 0), p50_ms: round(p50, 2), p99_ms: round(p99, 2),
      max_ms: round(latencies.at(-1) ?? NaN, 2), rss_mib: round(hubPeak, 0), hub_cpu_pct: round(usage.hub, 0), relay_msgs_per_s: round(rl.msgsPerS, 0), lost,
      senders: opts.senders, duration_s: opts.duration, warmup_s: opts.warmup, database: opts.database, samples: latencies.length,
      p90_ms: round(percentile(latencies, 90), 2), fanout_p50_ms: round(percentile(fanout, 50), 2), fanout_p99_ms: round(percentile(fanout, 99), 2),
      ack_p50_ms: round(percentile(acks, 50), 2), ack_p99_ms: round(percentile(acks, 99), 2), send_lag_p99_ms: round(lagP99, 2),
      rss_mib_connected: round(rssConnected, 0), rss_mib_window_max: round(rssMax, 0),
      hub_loop_delay_p99_ms: round(hubStats.loopDelayP99Ms, 1), hub_tp_msgs_per_s: tp ? round(tp.msgsPerS, 0) : null, hub_cpu_pct_tp: tpUsage ? round(tpUsage.hub, 0) : null,
      relay_msgs_per_s_steady: round(rl.steady, 0), relay_cpu_pct: round(rlUsage.hub, 0), relay_rss_mib: round(relayRssConnected, 0),
      workers: opts.workers, worker_nice: opts.workerNice, worker_cpu_pct: round(usage.workers, 0), worker_cpu_pct_relay: round(rlUsage.workers, 0),
      db_cpu_pct: opts.database === 'postgres' ? round(usage.db, 0) : null, other_cpu_pct: round(usage.others, 0), other_cpu_pct_tp: tpUsage ? round(tpUsage.others, 0) : null, other_cpu_pct_relay: round(rlUsage.others, 0),
      partial_fanout: partial, rejected, target_p99_met: p99 < 100 && rateMet, target_rss_met: hubPeak < 1536,
      cpus: os.availableParallelism(), node: process.version,
    };
    console.log(JSON.stringify(result));
    return lost === 0 ? 0 : 1;
  } finally {
    await Promise.all(workers.map((w) => w.stop().catch(() => undefined)));
    await relay?.stop().catch(() => undefined);
    await hub?.stop().catch(() => undefined);
    if (pgName) await dropDatabase(pgName).catch(() => undefined);
  }
}

runMain(main);
