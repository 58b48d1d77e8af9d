/**
 * Chat benchmark: visitor → operator latency at a fixed message rate, sustained throughput, and the
 * bare Socket.IO relay ceiling on the same machine. See docs/performance.md for the method.
 *
 *   npm run bench
 *   npm run bench -- --visitors 50 --operators 5 --rate 50 --duration 5
 *   VISITORS=50 RATE=50 DURATION=5 npm run bench
 *
 * The last line printed is one JSON object with the figures.
 */
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Socket } from 'socket.io-client';
import { login } from '../tests/helpers/clients.js';
import { num, rawOption } from './lib/options.js';
import { addOperators, visitorTokens } from './lib/setup.js';
import { ServerChild } from './lib/server-child.js';
import { closeAll, inBatches, openSocket } from './lib/sockets.js';
import { fmt, percentile, round, sleep } from './lib/stats.js';
import { runMain } from './lib/main.js';
import { describeStats, describeUsage, meter } from './lib/usage.js';

/** The hub allows 20 visitor sends per 10 s per socket (connectors/webchat/send-budget.ts). */
const SEND_BUDGET = { max: 20, windowS: 10 };
const TEXT = 'Hello, I would like to know where my order is, please.';

// Options: `--name value`, `--name=value`, or the environment variable NAME; argv wins (bench/lib/options.ts).
const opts = {
  visitors: Math.round(num('VISITORS', 200, 1)),
  operators: Math.round(num('OPERATORS', 20, 1)),
  /** Messages per second in the latency phase, all visitors together. */
  rate: num('RATE', 200, 1),
  /** Seconds measured in the latency phase, after the warm-up. */
  duration: num('DURATION', 20, 1),
  /** Seconds sent at the same rate before measuring (first messages create contacts, conversations, leads). */
  warmup: num('WARMUP', 3, 0),
  /** Visitor sockets in the throughput phases (hub and relay); each has its own send budget. */
  tpVisitors: Math.round(num('TP_VISITORS', Number(rawOption('VISITORS') ?? 200), 1)),
  /** Messages per socket in the hub throughput phase; at most the per-socket budget. */
  tpPerSocket: Math.round(num('TP_PER_SOCKET', SEND_BUDGET.max, 1)),
  /** Messages per socket in the relay phase at most (the relay has no budget; TP_SECONDS ends it first). */
  relayPerSocket: Math.round(num('RELAY_PER_SOCKET', 1000, 1)),
  /** Sending stops after this many seconds in each throughput phase (what is in flight then is still counted). */
  tpSeconds: num('TP_SECONDS', 10, 1),
  /** Write a V8 CPU profile of the hub process into this folder (`--cpu-prof` alone: a temp folder). */
  cpuProf: rawOption('CPU_PROF'),
};

if (opts.tpPerSocket > SEND_BUDGET.max) throw new Error(`TP_PER_SOCKET must be ≤ ${SEND_BUDGET.max}: the hub accepts ${SEND_BUDGET.max} sends per ${SEND_BUDGET.windowS} s per socket`);
const perVisitorRate = opts.rate / opts.visitors;
if (perVisitorRate > (SEND_BUDGET.max / SEND_BUDGET.windowS) * 0.95) {
  throw new Error(`RATE/VISITORS = ${perVisitorRate.toFixed(2)} msg/s per visitor exceeds the hub's per-socket budget (${SEND_BUDGET.max} per ${SEND_BUDGET.windowS} s); add visitors`);
}

const log = (line: string) => console.log(line);

// ---------------------------------------------------------------------------------------------
// Message tracking: every message carries its id in its text ("m<id> …"); the send time is kept
// here, in this process, and compared with the first operator socket that receives it.

interface Sample {
  phase: string;
  /** performance.now() right before the visitor emitted `send`. */
  sentAt: number;
  /** When it should have been sent (fixed-rate phase only): a late client shows up as lag. */
  dueAt: number;
  ackAt: number;
  ackOk: boolean;
  ackError: string | null;
  /** First operator socket to receive the matching `message.created`. */
  seenAt: number;
  /** How many operator sockets received it. */
  seenBy: number;
}

class Tracker {
  readonly samples: Sample[] = [];

  next(phase: string, dueAt = NaN): number {
    this.samples.push({ phase, sentAt: NaN, dueAt, ackAt: NaN, ackOk: false, ackError: null, seenAt: NaN, seenBy: 0 });
    return this.samples.length - 1;
  }

  onOperatorEvent = (e: { type?: string; payload?: { message?: { text?: unknown } } }): void => {
    if (e?.type !== 'message.created') return;
    const text = e.payload?.message?.text;
    if (typeof text !== 'string' || text.charCodeAt(0) !== 109 /* m */) return;
    const s = this.samples[parseInt(text.slice(1), 10)];
    if (!s) return;
    if (s.seenBy++ === 0) s.seenAt = performance.now();
    this.progress++;
  };

  send(socket: Socket, id: number): Promise<boolean> {
    const s = this.samples[id]!;
    return new Promise((resolve) => {
      s.sentAt = performance.now();
      socket.emit('send', { clientId: `b${String(id).padStart(9, '0')}`, text: `m${id} ${TEXT}`, attachmentIds: [] }, (res: { ok?: boolean; error?: { code?: string } }) => {
        s.ackAt = performance.now();
        this.progress++;
        s.ackOk = res?.ok === true;
        if (!s.ackOk) s.ackError = res?.error?.code ?? 'unknown';
        resolve(s.ackOk);
      });
    });
  }

  /** Bumped on every ack and every operator delivery, to tell a slow server from a stuck one. */
  progress = 0;

  /**
   * Waits until every message of `ids` was acked and seen by every operator socket. A server that is
   * behind gets as long as it keeps making progress; it is given up on after `stallMs` without any.
   */
  async drain(ids: number[], operators: number, stallMs = 10_000, capMs = 120_000): Promise<void> {
    const end = performance.now() + capMs;
    let last = this.progress;
    let lastChange = performance.now();
    let from = 0;
    while (performance.now() < end) {
      while (from < ids.length) {
        const s = this.samples[ids[from]!]!;
        if (Number.isNaN(s.ackAt) || (s.ackOk && s.seenBy < operators)) break;
        from++;
      }
      if (from === ids.length) return;
      if (this.progress !== last) {
        last = this.progress;
        lastChange = performance.now();
      } else if (performance.now() - lastChange > stallMs) return;
      await sleep(20);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Phases

/** Open loop: message i is due at t0 + i/rate and goes to visitor i mod N, whether or not earlier ones were answered. */
async function fixedRatePhase(tracker: Tracker, sockets: Socket[], rate: number, warmupS: number, durationS: number) {
  const interval = 1000 / rate;
  const total = Math.round(rate * (warmupS + durationS));
  const warm = Math.round(rate * warmupS);
  const ids: number[] = [];
  const t0 = performance.now() + 20;
  let i = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (i < total && t0 + i * interval <= now) {
        const id = tracker.next(i < warm ? 'warmup' : 'latency', t0 + i * interval);
        ids.push(id);
        void tracker.send(sockets[i % sockets.length]!, id);
        i++;
      }
      if (i >= total) return resolve();
      setTimeout(tick, Math.max(0, t0 + i * interval - performance.now()));
    };
    setTimeout(tick, 20);
  });
  const sendEnd = performance.now();
  return { ids, measured: ids.slice(warm), measuredStart: t0 + warm * interval, sendEnd };
}

/**
 * Closed loop: every socket sends its next message as soon as the previous one is acked, `perSocket`
 * times. Throughput = messages delivered to an operator / (last delivery − first send).
 */
async function closedLoopPhase(tracker: Tracker, phase: string, sockets: Socket[], perSocket: number, maxSeconds: number, operators: number) {
  const ids: number[] = [];
  const start = performance.now();
  const deadline = start + maxSeconds * 1000;
  await Promise.all(sockets.map(async (socket) => {
    for (let k = 0; k < perSocket && performance.now() < deadline; k++) {
      const id = tracker.next(phase);
      ids.push(id);
      await tracker.send(socket, id);
    }
  }));
  await tracker.drain(ids, operators);
  const seen = ids.map((id) => tracker.samples[id]!).filter((s) => s.seenBy > 0).map((s) => s.seenAt).sort((a, b) => a - b);
  const elapsedS = ((seen.at(-1) ?? start) - start) / 1000;
  // The middle 80 % of deliveries, without the ramp-up and the tail.
  const lo = Math.floor(seen.length * 0.1);
  const hi = Math.max(lo, Math.ceil(seen.length * 0.9) - 1);
  const steady = hi > lo ? (hi - lo) / ((seen[hi]! - seen[lo]!) / 1000) : NaN;
  return {
    ids, sent: ids.length, delivered: seen.length, elapsedS, msgsPerS: seen.length / elapsedS, steadyMsgsPerS: steady,
    rejected: ids.filter((id) => !tracker.samples[id]!.ackOk).length,
    /** Every socket sent its whole quota before the deadline: the window was cut short by the quota, not by time. */
    quotaBound: ids.length === sockets.length * perSocket,
  };
}

function errorSummary(tracker: Tracker, ids: number[]): string {
  const counts = new Map<string, number>();
  for (const id of ids) {
    const e = tracker.samples[id]!.ackError;
    if (e) counts.set(e, (counts.get(e) ?? 0) + 1);
  }
  return [...counts].map(([k, v]) => `${k}×${v}`).join(', ') || 'none';
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const startedAt = performance.now();
  const cpus = os.cpus();
  log(`Omniline chat benchmark — node ${process.version}, ${os.availableParallelism()} CPU(s) (${cpus[0]?.model.trim() ?? 'unknown'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB`);
  log(`config: ${opts.visitors} visitors, ${opts.operators} operators, ${opts.rate} msg/s for ${opts.duration} s after ${opts.warmup} s warm-up (${fmt(perVisitorRate, 2)} msg/s per visitor); ` +
    `throughput: ${opts.tpVisitors} sockets × ${opts.tpPerSocket} (hub) / × ${opts.relayPerSocket} (relay)`);

  const tracker = new Tracker();
  const sockets: Socket[] = [];
  let hub: ServerChild | null = null;
  let relay: ServerChild | null = null;
  try {
    // --- hub --------------------------------------------------------------------------------------
    let nodeArgs: string[] = [];
    let profDir: string | null = null;
    if (opts.cpuProf) {
      profDir = opts.cpuProf === 'true' ? path.join(os.tmpdir(), `omniline-cpu-prof-${Date.now()}`) : path.resolve(opts.cpuProf);
      mkdirSync(profDir, { recursive: true });
      nodeArgs = ['--cpu-prof', `--cpu-prof-dir=${profDir}`];
    }
    hub = await ServerChild.startHub({ nodeArgs });
    const { url, widgetKey, admin: adminCreds } = hub.info as { url: string; widgetKey: string; admin: { email: string; password: string } };
    log(`hub: ${url} (own process, SQLite in a temp folder)`);

    const admin = await login(url, adminCreds.email, adminCreds.password);
    const operators = await addOperators(url, admin, opts.operators);
    const operatorSockets = await inBatches(opts.operators, 10, async (i) => {
      const s = await openSocket(url, '/operator', { extraHeaders: { cookie: operators[i]!.cookie } });
      s.on('events', (batch: Parameters<typeof tracker.onOperatorEvent>[0][]) => batch.forEach(tracker.onOperatorEvent));
      return s;
    });
    sockets.push(...operatorSockets);

    const tokens = await visitorTokens(url, widgetKey, Math.max(opts.visitors, opts.tpVisitors));
    // Each visitor's first message creates a contact, a conversation and a lead; that happens here,
    // once, so that the measured phases see the steady state: messages in ongoing conversations.
    const primeIds: number[] = [];
    await inBatches(tokens.length, 10, async (i) => {
      const socket = await openSocket(url, '/visitor', { auth: { key: widgetKey, token: tokens[i]! } });
      const id = tracker.next('prime');
      primeIds.push(id);
      await tracker.send(socket, id);
      socket.close();
    });
    await tracker.drain(primeIds, opts.operators);
    log(`primed ${primeIds.length} conversations (one first message per visitor, not measured)`);

    const latencyVisitors = await inBatches(opts.visitors, 20, (i) => openSocket(url, '/visitor', { auth: { key: widgetKey, token: tokens[i]! } }));
    sockets.push(...latencyVisitors);
    log(`connected ${operatorSockets.length} operator sockets and ${latencyVisitors.length} visitor sockets`);

    // --- phase 1: latency at a fixed rate ----------------------------------------------------------
    await hub.stats();
    const latClient = meter();
    const lat = await fixedRatePhase(tracker, latencyVisitors, opts.rate, opts.warmup, opts.duration);
    const measuredS = (lat.sendEnd - lat.measuredStart) / 1000;
    await tracker.drain(lat.ids, opts.operators);
    const latStats = await hub.stats();
    const latUsage = latClient();
    const measured = lat.measured.map((id) => tracker.samples[id]!);
    const latencies = measured.filter((s) => s.seenBy > 0).map((s) => s.seenAt - s.sentAt).sort((a, b) => a - b);
    const acks = measured.filter((s) => s.ackOk).map((s) => s.ackAt - s.sentAt).sort((a, b) => a - b);
    const lags = measured.map((s) => s.sentAt - s.dueAt).sort((a, b) => a - b);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    log('');
    log(`[latency] ${lat.ids.length} messages sent (${lat.ids.length - lat.measured.length} warm-up), ${measured.length} measured over ${fmt(measuredS)} s = ${fmt(measured.length / measuredS)} msg/s achieved`);
    log(`[latency] visitor send → first operator socket: p50 ${fmt(p50, 2)} ms, p90 ${fmt(percentile(latencies, 90), 2)} ms, p99 ${fmt(p99, 2)} ms, max ${fmt(latencies.at(-1) ?? NaN, 2)} ms`);
    log(`[latency] visitor send → ack: p50 ${fmt(percentile(acks, 50), 2)} ms, p99 ${fmt(percentile(acks, 99), 2)} ms; send-schedule lag of this client p99 ${fmt(percentile(lags, 99), 2)} ms`);
    log(`[latency] rejected sends: ${errorSummary(tracker, lat.ids)}`);
    log(`[latency] ${describeStats('hub', latStats)}`);
    log(`[latency] ${describeUsage(latUsage, latStats)}`);

    // --- phase 2: hub throughput, closed loop --------------------------------------------------
    // Fresh sockets for the same visitors: each socket has a budget of 20 sends per 10 s of its own.
    closeAll(latencyVisitors);
    await sleep(300);
    const tpVisitors = await inBatches(opts.tpVisitors, 20, (i) => openSocket(url, '/visitor', { auth: { key: widgetKey, token: tokens[i]! } }));
    sockets.push(...tpVisitors);
    await sleep(200);
    await hub.stats();
    const tpClient = meter();
    const tp = await closedLoopPhase(tracker, 'throughput', tpVisitors, opts.tpPerSocket, opts.tpSeconds, opts.operators);
    const tpStats = await hub.stats();
    const tpUsage = tpClient();
    log('');
    log(`[throughput] hub: ${tp.delivered}/${tp.sent} messages delivered in ${fmt(tp.elapsedS, 2)} s = ${fmt(tp.msgsPerS, 0)} msg/s (steady middle 80 %: ${fmt(tp.steadyMsgsPerS, 0)} msg/s); rejected: ${errorSummary(tracker, tp.ids)}`);
    log(`[throughput] ${describeStats('hub', tpStats)}`);
    log(`[throughput] ${describeUsage(tpUsage, tpStats)}`);
    if (tp.quotaBound) log(`[throughput] note: all ${opts.tpVisitors} sockets used their ${opts.tpPerSocket} sends before ${opts.tpSeconds} s; more TP_VISITORS give a longer window`);

    const hubIds = tracker.samples.map((_, id) => id);
    const lost = hubIds.filter((id) => tracker.samples[id]!.seenBy === 0).length;
    const partial = hubIds.filter((id) => { const n = tracker.samples[id]!.seenBy; return n > 0 && n < opts.operators; }).length;
    const hubMessages = hubIds.length;

    closeAll(sockets.splice(0));
    await hub.stop();
    hub = null;
    if (profDir) log(`[profile] hub CPU profile written to ${profDir} (summarize: npx tsx bench/profile-summary.ts ${profDir})`);

    // --- phase 3: the bare relay, same clients ---------------------------------------------------
    relay = await ServerChild.start('relay', 'bench/relay-process.ts');
    const relayUrl = (relay.info as { url: string }).url;
    const relayOperators = await inBatches(opts.operators, 10, async () => {
      const s = await openSocket(relayUrl, '/operator', {});
      s.on('event', tracker.onOperatorEvent);
      return s;
    });
    const relayVisitors = await inBatches(opts.tpVisitors, 20, () => openSocket(relayUrl, '/visitor', {}));
    sockets.push(...relayOperators, ...relayVisitors);
    await sleep(200);
    await relay.stats();
    const rlClient = meter();
    const rl = await closedLoopPhase(tracker, 'relay', relayVisitors, opts.relayPerSocket, opts.tpSeconds, opts.operators);
    const rlStats = await relay.stats();
    const rlUsage = rlClient();
    log('');
    log(`[relay] bare Socket.IO: ${rl.delivered}/${rl.sent} messages delivered in ${fmt(rl.elapsedS, 2)} s = ${fmt(rl.msgsPerS, 0)} msg/s (steady middle 80 %: ${fmt(rl.steadyMsgsPerS, 0)} msg/s)`);
    log(`[relay] ${describeStats('relay', rlStats)}`);
    log(`[relay] ${describeUsage(rlUsage, rlStats)}`);
    closeAll(sockets.splice(0));
    await relay.stop();
    relay = null;

    // --- verdict -----------------------------------------------------------------------------------
    const ratio = tp.msgsPerS / rl.msgsPerS;
    const p99Met = p99 < 50 && measured.length / measuredS >= opts.rate * 0.95;
    log('');
    log(`[result] p99 ${fmt(p99, 2)} ms at ${opts.rate} msg/s: ${p99 < 50 ? 'under' : 'NOT under'} the 50 ms target${opts.rate < 200 ? ' (below the 200 msg/s target rate)' : ''}`);
    log(`[result] hub throughput ${fmt(tp.msgsPerS, 0)} msg/s = ${fmt(ratio * 100, 1)} % of the bare relay (${fmt(rl.msgsPerS, 0)} msg/s): ${ratio >= 0.3 ? 'meets' : 'does NOT meet'} the 30 % target`);
    log(`[result] lost messages: ${lost} of ${hubMessages}; delivered to only some operators: ${partial}; total run ${fmt((performance.now() - startedAt) / 1000)} s`);

    const result = {
      p50_ms: round(p50, 2), p99_ms: round(p99, 2), msgs_per_s: round(tp.msgsPerS, 0), relay_msgs_per_s: round(rl.msgsPerS, 0),
      visitors: opts.visitors, operators: opts.operators, rate: opts.rate, duration_s: opts.duration, lost,
      warmup_s: opts.warmup, samples: latencies.length, achieved_rate: round(measured.length / measuredS, 1),
      p90_ms: round(percentile(latencies, 90), 2), max_ms: round(latencies.at(-1) ?? NaN, 2),
      ack_p50_ms: round(percentile(acks, 50), 2), ack_p99_ms: round(percentile(acks, 99), 2),
      msgs_per_s_steady: round(tp.steadyMsgsPerS, 0), relay_msgs_per_s_steady: round(rl.steadyMsgsPerS, 0),
      throughput_ratio: round(ratio, 3), throughput_sockets: opts.tpVisitors,
      hub_cpu_pct_latency: round(latStats.cpuPercent, 0), hub_cpu_pct_throughput: round(tpStats.cpuPercent, 0), relay_cpu_pct: round(rlStats.cpuPercent, 0),
      client_cpu_pct_latency: round(latUsage.client, 0), client_cpu_pct_throughput: round(tpUsage.client, 0), client_cpu_pct_relay: round(rlUsage.client, 0),
      other_cpu_pct_latency: round(Math.max(0, latUsage.machine - latUsage.client - latStats.cpuPercent), 0),
      other_cpu_pct_throughput: round(Math.max(0, tpUsage.machine - tpUsage.client - tpStats.cpuPercent), 0),
      other_cpu_pct_relay: round(Math.max(0, rlUsage.machine - rlUsage.client - rlStats.cpuPercent), 0),
      partial_fanout: partial, rejected: tracker.samples.filter((s) => !s.ackOk).length,
      target_p99_met: p99Met && opts.rate >= 200, target_throughput_met: ratio >= 0.3,
      cpus: os.availableParallelism(), node: process.version,
    };
    console.log(JSON.stringify(result));
    return lost === 0 ? 0 : 1;
  } finally {
    closeAll(sockets);
    await relay?.stop().catch(() => undefined);
    await hub?.stop().catch(() => undefined);
  }
}

runMain(main);
