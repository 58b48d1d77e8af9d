import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../shared/events.js';
import { encodeBatchesOnce } from './encode-once.js';
import { EventFanout } from './event-fanout.js';

const envelope = (seq: number) => ({ seq, type: 'user.updated', at: '2026-12-03T00:00:00.000Z', payload: { user: { id: seq } } }) as unknown as EventEnvelope;

describe('encodeBatchesOnce (a real Socket.IO server and three clients)', () => {
  const http = createServer();
  const io = new Server(http);
  const nsp = io.of('/ops');
  const clients: ClientSocket[] = [];
  const received: EventEnvelope[][][] = [[], [], []];
  let encodes = 0;

  beforeAll(async () => {
    const encoder = (nsp.adapter as unknown as { encoder: { encode(p: unknown): unknown[] } }).encoder;
    const encode = encoder.encode.bind(encoder);
    encoder.encode = (p) => (encodes++, encode(p));
    encodeBatchesOnce(nsp.adapter, 'events');
    nsp.on('connection', (s) => void s.join('line:1'));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const { port } = http.address() as AddressInfo;
    for (const i of [0, 1, 2]) {
      const c = connect(`http://127.0.0.1:${port}/ops`, { transports: ['websocket'], forceNew: true });
      c.on('events', (batch: EventEnvelope[]) => received[i]!.push(batch));
      clients.push(c);
    }
    await Promise.all(clients.map((c) => new Promise<void>((r) => c.once('connect', () => r()))));
    await new Promise((r) => setTimeout(r, 50));
  });
  afterAll(async () => {
    clients.forEach((c) => c.close());
    await new Promise((r) => io.close(r));
  });

  /** A fan-out of the namespace with one socket per slice, so every flush is several emits. */
  const slicedFanout = () => new EventFanout({ rooms: () => nsp.adapter.rooms, emit: (ids, batch) => nsp.local.to(ids).emit('events', batch) }, { sliceSize: 1 });

  it('serializes a flush once for all its slices, and each flush anew', async () => {
    const before = encodes;
    // One socket per slice: three emits of the same batch.
    const fanout = slicedFanout();
    fanout.push(envelope(1), ['line:1']);
    fanout.push(envelope(2), ['line:1']);
    await waitFor(() => received.every((r) => r.length === 1));
    expect(encodes - before).toBe(1);
    expect(received.map((r) => r[0]!.map((e) => e.seq))).toEqual([[1, 2], [1, 2], [1, 2]]);

    fanout.push(envelope(3), ['line:1']);
    await waitFor(() => received.every((r) => r.length === 2));
    expect(encodes - before).toBe(2);
    expect(received.map((r) => r[1]!.map((e) => e.seq))).toEqual([[3], [3], [3]]);
  });

  it('gives sockets whose rooms differ each their own batch in one flush', async () => {
    await nsp.sockets.get(clients[0]!.id!)!.join('line:2');
    const before = encodes;
    const fanout = slicedFanout();
    fanout.push(envelope(4), ['line:1']);
    fanout.push(envelope(5), ['line:2']);
    await waitFor(() => received.every((r) => r.length === 3));
    // Two deliveries (two different lists of events), each encoded once though sent in slices.
    expect(encodes - before).toBe(2);
    expect(received.map((r) => r[2]!.map((e) => e.seq))).toEqual([[4, 5], [4], [4]]);
  });

  it('refuses an adapter it cannot hook, at start-up rather than silently', () => {
    expect(() => encodeBatchesOnce({}, 'events')).toThrow(/no _encode/);
  });

  it('leaves other emits alone: each is encoded as before', async () => {
    const seen: unknown[] = [];
    clients[0]!.on('other', (x: unknown) => seen.push(x));
    const before = encodes;
    const same = { n: 1 };
    nsp.local.emit('other', same);
    nsp.local.emit('other', same);
    await waitFor(() => seen.length === 2);
    expect(encodes - before).toBe(2);
  });
});

async function waitFor(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(ok()).toBe(true);
}
