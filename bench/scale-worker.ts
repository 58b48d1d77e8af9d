/**
 * A load generator process of `npm run bench:scale` (bench/scale.ts starts one or more): a share of
 * the visitor sockets (socket.io-client, as the widget) and of the operator sockets
 * (bench/lib/operator-receiver.ts), driven by the coordinator over IPC. Times are CLOCK_MONOTONIC
 * milliseconds (`monoMs`), the same clock in every process, so a message sent here and received in
 * another worker compares.
 *
 * Every benchmark message has a global id, carried in its text (`m<id> …`). For each id this process
 * keeps what it saw: when it sent it and when the ack came (if one of its visitors sent it), and when
 * its operator sockets received it (first, last, how many).
 */
import type { Socket } from 'socket.io-client';
import { serveAsChild } from './child.js';
import { OperatorReceiver } from './lib/operator-receiver.js';
import { closeAll, inBatches, openSocket } from './lib/sockets.js';
import { ID_SPACE, type ClosedLoopArgs, type FixedRateArgs, type Report } from './lib/scale-protocol.js';
import { monoMs, sleep } from './lib/stats.js';

const MESSAGE_TEXT = 'Hello, I would like to know where my order is, please.';

const sentAt = new Float64Array(ID_SPACE).fill(NaN);
const dueAt = new Float64Array(ID_SPACE).fill(NaN);
const ackAt = new Float64Array(ID_SPACE).fill(NaN);
const ackError = new Map<number, string>();
const firstSeen = new Float64Array(ID_SPACE).fill(NaN);
const lastSeen = new Float64Array(ID_SPACE).fill(NaN);
const seenBy = new Uint16Array(ID_SPACE);
/** Closed loop: resolved once every operator socket of this worker has the message. */
const delivered = new Map<number, () => void>();

let operators: OperatorReceiver[] = [];
let visitors: Socket[] = [];
let operatorClosed = 0;

function onMessageId(id: number): void {
  if (id >= ID_SPACE) return;
  const now = monoMs();
  const n = seenBy[id]! + 1;
  seenBy[id] = n;
  if (n === 1) firstSeen[id] = now;
  lastSeen[id] = now;
  if (n === operators.length) delivered.get(id)?.();
}

function send(socket: Socket, id: number): Promise<boolean> {
  return new Promise((resolve) => {
    sentAt[id] = monoMs();
    socket.emit('send', { clientId: `s${String(id).padStart(9, '0')}`, text: `m${id} ${MESSAGE_TEXT}`, attachmentIds: [] }, (res: { ok?: boolean; error?: { code?: string } }) => {
      ackAt[id] = monoMs();
      if (res?.ok !== true) ackError.set(id, res?.error?.code ?? 'unknown');
      resolve(res?.ok === true);
    });
  });
}

/** Open loop at a fixed rate across all workers; this worker sends the messages of its own senders. */
async function fixedRate(a: FixedRateArgs): Promise<{ sent: number; lagP99Ms: number }> {
  const interval = 1000 / a.rate;
  const mine: number[] = [];
  for (let i = 0; i < a.total; i++) if ((i % a.senders) % a.workers === a.worker) mine.push(i);
  const acks: Array<Promise<boolean>> = [];
  let k = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = monoMs();
      while (k < mine.length && a.t0 + mine[k]! * interval <= now) {
        const i = mine[k++]!;
        const id = a.base + i;
        dueAt[id] = a.t0 + i * interval;
        const socket = visitors[Math.floor((i % a.senders) / a.workers)];
        if (!socket) throw new Error(`sender ${i % a.senders} has no visitor socket in worker ${a.worker}`);
        acks.push(send(socket, id));
      }
      if (k >= mine.length) return resolve();
      setTimeout(tick, Math.max(0, a.t0 + mine[k]! * interval - monoMs()));
    };
    setTimeout(tick, Math.max(0, a.t0 - monoMs()));
  });
  await Promise.race([Promise.all(acks), sleep(30_000)]);
  const lags = mine.map((i) => sentAt[a.base + i]! - dueAt[a.base + i]!).sort((x, y) => x - y);
  return { sent: mine.length, lagP99Ms: lags[Math.min(lags.length - 1, Math.ceil(lags.length * 0.99) - 1)] ?? NaN };
}

/**
 * Closed loop: `window` messages in flight, each slot sending its next message once the previous one
 * was acked and reached every operator socket of this worker (or 10 s passed). The wait for delivery
 * keeps the server's outgoing buffers from growing without bound when the receivers fall behind.
 */
async function closedLoop(a: ClosedLoopArgs): Promise<{ sent: number }> {
  if (a.senders === 0) return { sent: 0 };
  const deadline = monoMs() + a.seconds * 1000;
  let next = 0;
  // No more slots than sending sockets, which each have a send budget of 20 per 10 s on the hub.
  await Promise.all(Array.from({ length: Math.min(a.window, a.senders) }, async () => {
    while (monoMs() < deadline && next < a.max) {
      const n = next++;
      const id = a.base + n;
      const arrived = new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 10_000);
        delivered.set(id, () => {
          clearTimeout(timer);
          resolve();
        });
      });
      await send(visitors[n % a.senders]!, id);
      await arrived;
      delivered.delete(id);
    }
  }));
  return { sent: next };
}

serveAsChild(async () => ({
  info: { pid: process.pid },
  stop: async () => {
    closeAll(visitors);
    closeAll(operators);
  },
  commands: {
    async operators(a: { url: string; cookies: Array<string | null> }) {
      operators = await inBatches(a.cookies.length, 20, (i) => OperatorReceiver.connect(a.url, '/operator', a.cookies[i]!, onMessageId, () => operatorClosed++));
      return operators.length;
    },
    async visitors(a: { url: string; key?: string; tokens?: string[]; count: number }) {
      visitors = await inBatches(a.count, 50, (i) => openSocket(a.url, '/visitor', a.key && a.tokens ? { auth: { key: a.key, token: a.tokens[i]! } } : {}));
      return visitors.length;
    },
    /** Each of the first `count` visitors sends one message (its first: contact, conversation, lead), `concurrency` at a time. */
    async prime(a: { base: number; count: number; concurrency: number }) {
      let next = 0;
      const failed: string[] = [];
      await Promise.all(Array.from({ length: a.concurrency }, async () => {
        for (let n = next++; n < a.count; n = next++) {
          if (!(await send(visitors[n]!, a.base + n))) failed.push(ackError.get(a.base + n) ?? 'unknown');
        }
      }));
      return { sent: a.count, failed };
    },
    fixedRate,
    closedLoop,
    report(a: { from: number; to: number }): Report {
      const ids = Array.from({ length: a.to - a.from }, (_, k) => a.from + k);
      return {
        sentAt: sentAt.slice(a.from, a.to), dueAt: dueAt.slice(a.from, a.to), ackAt: ackAt.slice(a.from, a.to),
        ackError: ids.map((id) => ackError.get(id) ?? null),
        firstSeen: firstSeen.slice(a.from, a.to), lastSeen: lastSeen.slice(a.from, a.to), seenBy: seenBy.slice(a.from, a.to),
      };
    },
    /** Deliveries to this worker's operator sockets in [from, to), and its sends there still waiting for their ack. */
    progress(a: { from: number; to: number }) {
      let seen = 0;
      let pending = 0;
      for (let id = a.from; id < a.to; id++) {
        seen += seenBy[id]!;
        if (!Number.isNaN(sentAt[id]!) && Number.isNaN(ackAt[id]!)) pending++;
      }
      return { seen, pending, operatorClosed };
    },
    async close() {
      closeAll(visitors);
      closeAll(operators);
      visitors = [];
      operators = [];
      operatorClosed = 0;
      await sleep(200);
    },
  },
}));
