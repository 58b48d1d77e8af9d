import { describe, expect, it } from 'vitest';
import type { VisitorMessage } from '../../../shared/visitor-socket.js';
import { addOutgoing, confirmOutgoing, EMPTY_TIMELINE, lastMessageId, mergeMessages, receive, setOutgoingState, unreadCount, type Outgoing } from './timeline.js';

const msg = (id: number, direction: 'in' | 'out' = 'out', text = `m${id}`): VisitorMessage => ({
  id,
  clientId: null,
  direction,
  text,
  authorName: direction === 'out' ? 'Anna' : null,
  attachments: [],
  createdAt: '2025-05-01T10:00:00.000Z',
});
const pending = (clientId: string): Outgoing => ({ clientId, text: 'hello', file: null, state: 'sending', error: null, createdAt: '2025-05-01T10:00:00.000Z' });

describe('mergeMessages', () => {
  it('dedupes by id and keeps id order whatever the arrival order', () => {
    const merged = mergeMessages([msg(1), msg(3)], [msg(3), msg(2), msg(5), msg(2)]);
    expect(merged.map((m) => m.id)).toEqual([1, 2, 3, 5]);
  });

  it('returns the same array when nothing arrives, so renders can be skipped', () => {
    const list = [msg(1)];
    expect(mergeMessages(list, [])).toBe(list);
  });

  it('lets a later copy of a message win', () => {
    expect(mergeMessages([msg(1, 'out', 'old')], [msg(1, 'out', 'new')])[0]?.text).toBe('new');
  });
});

describe('lastMessageId', () => {
  it('is 0 for an empty history and the highest id otherwise', () => {
    expect(lastMessageId([])).toBe(0);
    expect(lastMessageId(mergeMessages([], [msg(7), msg(4)]))).toBe(7);
  });
});

describe('outgoing messages', () => {
  it('are replaced by the server copy on confirmation, even if a push delivered it first', () => {
    let t = addOutgoing(EMPTY_TIMELINE, pending('abc12345'));
    t = { ...t, messages: mergeMessages(t.messages, [msg(9, 'in', 'hello')]) };
    t = confirmOutgoing(t, 'abc12345', msg(9, 'in', 'hello'));
    expect(t.outgoing).toEqual([]);
    expect(t.messages.map((m) => m.id)).toEqual([9]);
  });

  it('switch between sending and failed with the reason', () => {
    let t = addOutgoing(EMPTY_TIMELINE, pending('a1234567'));
    t = addOutgoing(t, pending('b1234567'));
    t = setOutgoingState(t, 'a1234567', 'failed', 'Not delivered.');
    expect(t.outgoing.map((o) => [o.state, o.error])).toEqual([['failed', 'Not delivered.'], ['sending', null]]);
    t = setOutgoingState(t, 'a1234567', 'sending');
    expect(t.outgoing[0]).toMatchObject({ state: 'sending', error: null });
  });
});

describe('unreadCount', () => {
  it('counts operator replies after the last read id, never the visitor’s own', () => {
    const list = [msg(1), msg(2, 'in'), msg(3), msg(4, 'in'), msg(5)];
    expect(unreadCount(list, 0)).toBe(3);
    expect(unreadCount(list, 3)).toBe(1);
    expect(unreadCount(list, 5)).toBe(0);
  });
});

describe('receive', () => {
  it('replaces the bubble of a message whose ack was lost when the server copy arrives', () => {
    const t = addOutgoing(addOutgoing(EMPTY_TIMELINE, pending('lost-ack')), pending('still-waiting'));
    const stored = { ...msg(7, 'in', 'hello'), clientId: 'lost-ack' };
    const after = receive(t, [stored, msg(8)]);
    expect(after.messages.map((m) => m.id)).toEqual([7, 8]);
    expect(after.outgoing.map((o) => o.clientId)).toEqual(['still-waiting']);
  });
});
