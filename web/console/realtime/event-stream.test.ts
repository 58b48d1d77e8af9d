import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../../shared/events';
import type { SyncResult } from '../../../shared/operator-socket';
import { EventStream } from './event-stream';

function ev(seq: number): EventEnvelope {
  return { seq, type: 'lead.updated', at: '2024-01-01T00:00:00.000Z', payload: { lead: { id: seq } } } as unknown as EventEnvelope;
}

function recorder() {
  const seen: Array<[number, boolean]> = [];
  const stream = new EventStream((e, live) => seen.push([e.seq, live]));
  return { stream, seen, seqs: () => seen.map(([s]) => s) };
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('EventStream', () => {
  it('first sync asks with afterSeq null and only learns lastSeq', async () => {
    const { stream, seqs } = recorder();
    const asked: Array<number | null> = [];
    const outcome = await stream.sync(async (after) => {
      asked.push(after);
      return { events: [], lastSeq: 41, hasMore: false };
    });
    expect(asked).toEqual([null]);
    expect(outcome).toEqual({ initial: true, replayed: 0 });
    expect(stream.lastSeq).toBe(41);
    expect(seqs()).toEqual([]);
  });

  it('buffers live events before the first sync and applies them after it', async () => {
    const { stream, seen } = recorder();
    stream.receive(ev(43));
    stream.receive(ev(42));
    expect(seen).toEqual([]);
    await stream.sync(async () => ({ events: [], lastSeq: 41, hasMore: false }));
    expect(seen).toEqual([
      [42, true],
      [43, true],
    ]);
    expect(stream.lastSeq).toBe(43);
  });

  it('applies live events immediately once synced, skipping duplicates', async () => {
    const { stream, seqs } = recorder();
    await stream.sync(async () => ({ events: [], lastSeq: 1, hasMore: false }));
    stream.receive(ev(2));
    stream.receive(ev(2));
    stream.receive(ev(3));
    expect(seqs()).toEqual([2, 3]);
  });

  it('on reconnect pages through the log while hasMore, from the last seq seen', async () => {
    const { stream, seen } = recorder();
    await stream.sync(async () => ({ events: [], lastSeq: 10, hasMore: false }));
    const asked: Array<number | null> = [];
    const pages: SyncResult[] = [
      { events: [ev(11), ev(12)], lastSeq: 15, hasMore: true },
      { events: [ev(13), ev(15)], lastSeq: 15, hasMore: false },
    ];
    const outcome = await stream.sync(async (after) => {
      asked.push(after);
      return pages.shift()!;
    });
    expect(asked).toEqual([10, 12]);
    expect(outcome).toEqual({ initial: false, replayed: 4 });
    expect(seen.every(([, live]) => !live)).toBe(true);
    expect(stream.lastSeq).toBe(15);
  });

  it('buffers live events during a resync and applies only the new ones after it', async () => {
    const { stream, seqs } = recorder();
    await stream.sync(async () => ({ events: [], lastSeq: 10, hasMore: false }));
    const answer = deferred<SyncResult>();
    const running = stream.sync(() => answer.promise);
    stream.receive(ev(13));
    stream.receive(ev(12));
    expect(stream.isSyncing).toBe(true);
    expect(seqs()).toEqual([]);
    answer.resolve({ events: [ev(11), ev(12)], lastSeq: 12, hasMore: false });
    await running;
    expect(seqs()).toEqual([11, 12, 13]);
  });

  it('stops when the server says hasMore but sends nothing new', async () => {
    const { stream } = recorder();
    await stream.sync(async () => ({ events: [], lastSeq: 5, hasMore: false }));
    let calls = 0;
    await stream.sync(async () => {
      calls++;
      return { events: [], lastSeq: 5, hasMore: true };
    });
    expect(calls).toBe(1);
  });

  it('a failed resync rethrows, keeps the position and still applies buffered events', async () => {
    const { stream, seqs } = recorder();
    await stream.sync(async () => ({ events: [], lastSeq: 5, hasMore: false }));
    const answer = deferred<SyncResult>();
    const running = stream.sync(() => answer.promise);
    stream.receive(ev(7));
    answer.reject(new Error('timeout'));
    await expect(running).rejects.toThrow('timeout');
    expect(seqs()).toEqual([7]);
    expect(stream.isSyncing).toBe(false);
  });

  it('forget() makes the next sync a first one', async () => {
    const { stream } = recorder();
    await stream.sync(async () => ({ events: [], lastSeq: 5, hasMore: false }));
    stream.forget();
    const asked: Array<number | null> = [];
    const outcome = await stream.sync(async (after) => {
      asked.push(after);
      return { events: [], lastSeq: 9, hasMore: false };
    });
    expect(asked).toEqual([null]);
    expect(outcome.initial).toBe(true);
  });

  it('refuses overlapping syncs', async () => {
    const { stream } = recorder();
    const answer = deferred<SyncResult>();
    const running = stream.sync(() => answer.promise);
    await expect(stream.sync(async () => ({ events: [], lastSeq: 0, hasMore: false }))).rejects.toThrow(/in flight/);
    answer.resolve({ events: [], lastSeq: 0, hasMore: false });
    await running;
  });
});
