import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventEnvelope } from '../../../shared/events';
import { useCallsStore } from '../stores/calls';
import { useConversationsStore } from '../stores/conversations';
import { useCrmStore } from '../stores/crm';
import { useLinesStore } from '../stores/lines';
import { useMessagesStore } from '../stores/messages';
import { useParticipantsStore } from '../stores/participants';
import { useSessionStore } from '../stores/session';
import { useTypingStore } from '../stores/typing';
import { useUsersStore } from '../stores/users';
import { fakeFetch } from '../testing/fake-fetch';
import { callDetails, conv, incomingCall, msg, user } from '../testing/fixtures';
import { createDispatcher } from './dispatch';
import { LineSettings } from '../../../shared/routing';

let seq = 0;
const envelope = <T extends EventEnvelope['type']>(type: T, payload: Extract<EventEnvelope, { type: T }>['payload']) =>
  ({ seq: ++seq, type, at: new Date().toISOString(), payload }) as EventEnvelope;

beforeEach(() => {
  setActivePinia(createPinia());
  useSessionStore().user = user({ id: 7 });
});
afterEach(() => vi.unstubAllGlobals());

describe('dispatch', () => {
  it('message.created lands in the open thread and refreshes the conversation row', async () => {
    fakeFetch({ 'GET /api/conversations/1/messages': () => ({ body: { items: [], hasMore: false } }) });
    const messages = useMessagesStore();
    await messages.loadLatest(1);
    const typing = useTypingStore();
    typing.apply({ conversationId: 1, who: 'client', userId: null, typing: true, mode: 'reply' });
    const d = createDispatcher(vi.fn());
    d.event(envelope('message.created', { message: msg({ id: 3, text: 'Hi' }), conversation: conv({ id: 1, lastMessagePreview: 'Hi' }) }), true);
    expect(messages.thread(1).items.map((m) => m.id)).toEqual([3]);
    expect(useConversationsStore().byId.get(1)?.lastMessagePreview).toBe('Hi');
    expect(typing.of(1).client).toBe(false);
  });

  it('participant.added refreshes that dialog\'s participants and, when I am invited, puts the dialog in my list', async () => {
    const participant = { userId: 7, mode: 'invited' as const, addedBy: 8, addedAt: '2024-05-01T10:00:00.000Z' };
    fakeFetch({
      'GET /api/conversations/5/participants': () => ({ body: { items: [participant] } }),
      'GET /api/conversations/5': () => ({ body: conv({ id: 5, assigneeId: 8 }) }),
    });
    const participants = useParticipantsStore();
    participants.byConversation.set(5, []);
    const conversations = useConversationsStore();
    createDispatcher(vi.fn()).event(envelope('participant.added', { conversationId: 5, userId: 7, mode: 'invited', by: 8 }), true);
    await vi.waitFor(() => expect(conversations.byId.get(5)?.assigneeId).toBe(8));
    await vi.waitFor(() => expect(participants.of(5)).toEqual([participant]));
    expect(conversations.visible.map((c) => c.id)).toEqual([5]);
    expect(conversations.counts.mine).toBe(1);
  });

  it('notifies when a dialog is assigned to me or enters the queue, but not on replay', () => {
    const notify = vi.fn();
    const d = createDispatcher(notify);
    d.event(envelope('conversation.created', { conversation: conv({ id: 2, assigneeId: null, status: 'queued' }) }), true);
    expect(notify).toHaveBeenLastCalledWith('queued', expect.objectContaining({ id: 2 }));
    d.event(envelope('conversation.updated', { conversation: conv({ id: 2, assigneeId: 7, status: 'open', updatedAt: '2024-06-01T00:00:00.000Z' }) }), true);
    expect(notify).toHaveBeenLastCalledWith('assigned', expect.objectContaining({ id: 2 }));
    d.event(envelope('conversation.created', { conversation: conv({ id: 3, assigneeId: null, status: 'queued' }) }), false);
    expect(notify).toHaveBeenCalledTimes(2);
  });

  it('updates contacts, leads, presence and typing; ignores my own typing echo', () => {
    const d = createDispatcher(vi.fn());
    const users = useUsersStore();
    users.upsert(user({ id: 8, name: 'Bob', presence: 'offline' }));
    d.event(
      envelope('lead.created', {
        lead: { id: 4, contactId: 1, lineId: 1, title: 'Lead', status: 'new', source: 'Site', responsibleId: null, createdAt: '2024-05-01T00:00:00.000Z', updatedAt: '2024-05-01T00:00:00.000Z' },
      }),
      true,
    );
    expect(useCrmStore().leadFor(1)?.id).toBe(4);
    d.presence({ userId: 8, presence: 'online' });
    d.presence({ userId: 7, presence: 'away' });
    expect(users.byId.get(8)?.presence).toBe('online');
    expect(useSessionStore().user?.presence).toBe('away');
    d.typing({ conversationId: 1, who: 'operator', userId: 7, typing: true, mode: 'note' });
    d.typing({ conversationId: 1, who: 'operator', userId: 8, typing: true, mode: 'note' });
    expect(useTypingStore().of(1).operators).toEqual({ 8: 'note' });
  });
});

describe('dispatch of directory events', () => {
  it('keeps colleagues and lines current', () => {
    const d = createDispatcher(vi.fn());
    const users = useUsersStore();
    d.event(envelope('user.updated', { user: user({ id: 9, name: 'Vera' }) }), true);
    expect(users.name(9)).toBe('Vera');
    d.event(envelope('user.updated', { user: user({ id: 7, name: 'Olga K.' }) }), true);
    expect(useSessionStore().user?.name).toBe('Olga K.');
    d.event(envelope('user.removed', { userId: 9 }), true);
    expect(users.byId.has(9)).toBe(false);
    d.event(envelope('line.updated', { line: { id: 2, name: 'Sales', memberIds: [7], crm: { createLead: true, sourceName: '' }, ...LineSettings.parse({}), createdAt: '2024-05-01T00:00:00.000Z' } }), true);
    expect(useLinesStore().name(2)).toBe('Sales');
  });
});

describe('dispatch of calls', () => {
  it('shows the incoming-call popup and closes it when the call message stops ringing', () => {
    const d = createDispatcher(vi.fn());
    const calls = useCallsStore();
    d.event(envelope('call.ringing', { call: incomingCall({ callId: 'CA1', messageId: 50, operatorIds: [7] }) }), true);
    expect(calls.popup?.key).toBe('CA1');
    d.event(envelope('message.updated', { message: msg({ id: 50, kind: 'call', call: callDetails({ outcome: 'missed' }) }) }), true);
    expect(calls.popup).toBeNull();
    d.event(envelope('call.ringing', { call: incomingCall({ callId: 'CA2', at: '2024-05-01T10:00:00.000Z' }) }), false);
    expect(calls.popup).toBeNull();
  });
});
