import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../shared/events.js';
import { EventFanout, recipients, type FanoutTarget } from './event-fanout.js';

const ev = (seq: number) => ({ seq, type: 'user.removed', at: '2026-01-01T00:00:00.000Z', payload: { userId: seq } }) as EventEnvelope;
const turn = () => new Promise((r) => setImmediate(r));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sockets a, b (line 1) and c (line 2, also user 9): what each received, frame by frame. */
function recorder(flushCostMs = 0) {
  const rooms = new Map<string, Set<string>>([
    ['line:1', new Set(['a', 'b'])], ['line:2', new Set(['c'])], ['user:9', new Set(['c'])], ['staff', new Set()],
    ['a', new Set(['a'])], ['b', new Set(['b'])], ['c', new Set(['c'])],
  ]);
  const frames = new Map<string, number[][]>();
  let clock = 0;
  const target: FanoutTarget = {
    rooms: () => rooms,
    emit(socketIds, batch) {
      for (const s of socketIds) frames.set(s, [...(frames.get(s) ?? []), batch.map((e) => e.seq)]);
      clock += flushCostMs;
    },
  };
  return { rooms, frames, target, now: () => clock, advance: (ms: number) => (clock += ms) };
}

describe('EventFanout', () => {
  it('sends a lone event on the next turn, to exactly the sockets of its rooms', async () => {
    const r = recorder();
    const fanout = new EventFanout(r.target, { now: r.now });
    fanout.push(ev(1), ['staff', 'line:1']);
    expect(r.frames.size).toBe(0);
    await turn();
    expect(Object.fromEntries(r.frames)).toEqual({ a: [[1]], b: [[1]] });
  });

  it('gathers events that come while the last flush was expensive into one frame per socket, in order', async () => {
    const r = recorder(4);
    const fanout = new EventFanout(r.target, { now: r.now, share: 0.25, maxDelayMs: 40 });
    fanout.push(ev(1), ['line:1']);
    await turn();
    // That flush cost 4 ms, so the next may start 12 ms after it: these three wait and go out together.
    fanout.push(ev(2), ['line:1']);
    fanout.push(ev(3), ['line:1']);
    await turn();
    fanout.push(ev(4), ['line:1']);
    expect(r.frames.get('a')).toEqual([[1]]);
    await sleep(30);
    expect(r.frames.get('a')).toEqual([[1], [2, 3, 4]]);
    expect(r.frames.get('b')).toEqual([[1], [2, 3, 4]]);
  });

  it('never lets an event wait longer than maxDelayMs, however costly flushing is', async () => {
    const r = recorder(1000);
    const fanout = new EventFanout(r.target, { now: r.now, maxDelayMs: 5 });
    fanout.push(ev(1), ['line:1']);
    await turn();
    fanout.push(ev(2), ['line:1']);
    await sleep(25);
    expect(r.frames.get('a')).toEqual([[1], [2]]);
  });

  it('holds events while rooms change, then sends them to the rooms as they are after the change', async () => {
    const r = recorder();
    const fanout = new EventFanout(r.target, { now: r.now });
    fanout.push(ev(1), ['line:2']);
    let release!: () => void;
    const done = fanout.holding(() => new Promise<void>((resolve) => (release = resolve)));
    fanout.push(ev(2), ['line:2']);
    await sleep(5);
    expect(r.frames.size).toBe(0);
    r.rooms.get('line:2')!.add('a');
    release();
    await done;
    await turn();
    expect(Object.fromEntries(r.frames)).toEqual({ a: [[1, 2]], c: [[1, 2]] });
  });

  it('writes to many sockets in slices, a turn of the event loop apart, and starts the next flush after the last slice', async () => {
    const r = recorder();
    const many = Array.from({ length: 5 }, (_, i) => `s${i}`);
    r.rooms.set('line:3', new Set(many));
    const fanout = new EventFanout(r.target, { now: r.now, sliceSize: 2 });
    fanout.push(ev(1), ['line:3']);
    fanout.flush();
    expect([...r.frames.keys()]).toEqual(['s0', 's1']);
    fanout.push(ev(2), ['line:3']);
    await turn();
    expect([...r.frames.keys()]).toEqual(['s0', 's1', 's2', 's3']);
    await sleep(5);
    expect(Object.fromEntries(r.frames)).toEqual(Object.fromEntries(many.map((s) => [s, [[1], [2]]])));
  });
});

describe('recipients', () => {
  it('gives each socket only the events its rooms cover, in seq order, one delivery per distinct list', () => {
    const r = recorder();
    const deliveries = recipients([
      { envelope: ev(1), rooms: ['staff', 'line:1'] },
      { envelope: ev(2), rooms: ['staff', 'line:2', 'user:9'] },
      { envelope: ev(3), rooms: ['staff', 'line:1', 'user:9'] },
    ], r.rooms);
    const bySocket = Object.fromEntries(deliveries.flatMap((d) => d.socketIds.map((s) => [s, d.events.map((e) => e.seq)])));
    expect(bySocket).toEqual({ a: [1, 3], b: [1, 3], c: [2, 3] });
    expect(deliveries).toHaveLength(2);
  });

  it('delivers a batch whose events share their rooms to the sockets of those rooms, once each', () => {
    const deliveries = recipients([{ envelope: ev(1), rooms: ['line:2', 'user:9'] }, { envelope: ev(2), rooms: ['line:2', 'user:9'] }], recorder().rooms);
    expect(deliveries).toEqual([{ socketIds: ['c'], events: [ev(1), ev(2)] }]);
  });
});
