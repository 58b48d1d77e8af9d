import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContactEntity, ContactIdentityEntity } from '../../server/contacts/contact.entity.js';
import { ConversationEntity } from '../../server/conversations/conversation.entity.js';
import { LeadEntity } from '../../server/crm/lead.entity.js';
import { MessageEntity } from '../../server/conversations/message.entity.js';
import { eventually, login, operatorSocket, visitor, type ApiClient } from '../helpers/clients.js';
import { startHub, type TestHub } from '../helpers/hub.js';

describe('working on a dialog together', () => {
  let t: TestHub;
  let admin: ApiClient;
  let ann: ApiClient;
  let bob: ApiClient;
  let lineA: number;
  let chanA: number;
  beforeAll(async () => {
    t = await startHub();
    admin = await login(t.url, t.admin.email, t.admin.password);
    const a = await admin.call('POST', '/api/users', { email: 'ann@test.local', name: 'Ann', password: 'operator-pass-1' });
    await admin.call('POST', '/api/users', { email: 'bob@test.local', name: 'Bob', password: 'operator-pass-1' });
    lineA = (await admin.call('POST', '/api/lines', { name: 'A', memberIds: [a.body.id], routing: { passOnSeconds: 0 } })).body.id;
    await admin.call('POST', '/api/lines', { name: 'B' });
    chanA = (await admin.call('POST', '/api/channels', { type: 'webchat', name: 'A chat', lineId: lineA })).body.id;
    ann = await login(t.url, 'ann@test.local', 'operator-pass-1');
    bob = await login(t.url, 'bob@test.local', 'operator-pass-1');
  });
  afterAll(() => t.stop());

  const dialog = (visitorId: string, text = 'hello') => t.hub.ingest.ingest({ channelId: chanA, externalId: `${visitorId}-${Math.random()}`, sender: { externalId: visitorId }, text });

  it('an invited colleague from another line sees the whole history, live and in "mine"; the client is not told', async () => {
    const d = await dialog('inv');
    await ann.call('POST', `/api/conversations/${d.conversationId}/assign`, { assigneeId: ann.session.user.id });
    expect((await bob.call('GET', `/api/conversations/${d.conversationId}`)).status).toBe(404);
    const bobSocket = await operatorSocket(t.url, bob.cookie);
    const r = await ann.call('POST', `/api/conversations/${d.conversationId}/participants`, { userId: bob.session.user.id });
    expect(r.body.items).toMatchObject([{ userId: bob.session.user.id, mode: 'invited', addedBy: ann.session.user.id }]);
    expect((await bob.call('GET', `/api/conversations/${d.conversationId}/messages`)).body.items.map((m: { text: string }) => m.text)).toEqual(['Ann invited Bob', 'hello']);
    expect((await bob.call('GET', '/api/conversations?scope=mine')).body.items.map((c: { id: number }) => c.id)).toContain(d.conversationId);
    await dialog('inv', 'are you there?');
    await eventually(() => bobSocket.events.some((e) => e.type === 'message.created' && e.payload.message.text === 'are you there?'), 'live after invite');
    expect((await ann.call('POST', `/api/conversations/${d.conversationId}/participants`, { userId: 424242 })).status).toBe(400);
    expect((await ann.call('POST', `/api/conversations/${d.conversationId}/participants`, { userId: ann.session.user.id })).status).toBe(409);
    bobSocket.socket.close();
  });

  it('a transfer can carry a comment for the colleague, kept as an internal note', async () => {
    const d = await dialog('handover');
    await ann.call('POST', `/api/conversations/${d.conversationId}/assign`, { assigneeId: ann.session.user.id });
    const r = await admin.call('POST', `/api/conversations/${d.conversationId}/assign`, { assigneeId: admin.session.user.id, comment: 'VIP, be quick' });
    expect(r.status).toBe(200);
    const lineB = (await admin.call('GET', '/api/lines')).body.items.find((l: { name: string }) => l.name === 'B').id;
    await admin.call('POST', `/api/conversations/${d.conversationId}/transfer`, { lineId: lineB, comment: 'Billing question' });
    const notes = (await admin.call('GET', `/api/conversations/${d.conversationId}/messages`)).body.items
      .filter((m: { visibility: string }) => m.visibility === 'internal').map((m: { text: string }) => m.text);
    expect(notes).toEqual(['Billing question', 'VIP, be quick']);
    expect((await admin.call('POST', `/api/conversations/${d.conversationId}/transfer`, { lineId: lineA, comment: 'x'.repeat(2001) })).status).toBe(400);
  });

  it('supervisors join silently; operators cannot', async () => {
    const d = await dialog('silent');
    expect((await ann.call('POST', `/api/conversations/${d.conversationId}/join`)).status).toBe(403);
    const r = await admin.call('POST', `/api/conversations/${d.conversationId}/join`);
    expect(r.body.items).toMatchObject([{ userId: admin.session.user.id, mode: 'silent' }]);
    const timeline = (await admin.call('GET', `/api/conversations/${d.conversationId}/messages`)).body.items;
    expect(timeline[0]).toMatchObject({ visibility: 'system', kind: 'event', text: 'Administrator joined silently' });
  });

  it('system events and invitations never reach the client', async () => {
    const v = await visitor(t.url, t.demoWidgetKey);
    const got: unknown[] = [];
    v.socket.onAny((...a) => got.push(a));
    await v.send('hi there');
    const conv = (await admin.call('GET', '/api/conversations?scope=all&q=hi%20there')).body.items[0];
    await admin.call('POST', `/api/conversations/${conv.id}/join`);
    await admin.call('POST', `/api/conversations/${conv.id}/participants`, { userId: bob.session.user.id });
    const hist = await v.history(0);
    if (!hist.ok) throw new Error(hist.error.message);
    expect(hist.messages.map((m) => m.text)).toEqual(['hi there']);
    expect(JSON.stringify(got)).not.toMatch(/joined|invited/);
    v.socket.close();
  });

  it('pins are per operator', async () => {
    const d = await dialog('pin');
    expect((await ann.call('PUT', `/api/conversations/${d.conversationId}/pin`)).status).toBe(204);
    expect((await ann.call('GET', '/api/me/pins')).body.conversationIds).toEqual([d.conversationId]);
    expect((await bob.call('GET', '/api/me/pins')).body.conversationIds).toEqual([]);
    expect((await bob.call('PUT', `/api/conversations/${d.conversationId}/pin`)).status).toBe(404);
    await ann.call('DELETE', `/api/conversations/${d.conversationId}/pin`);
    expect((await ann.call('GET', '/api/me/pins')).body.conversationIds).toEqual([]);
  });

  it('spam closes the dialog without closing texts and makes open leads junk', async () => {
    await admin.call('PATCH', `/api/lines/${lineA}`, { messages: { closing: 'Bye!', ratingRequest: 'Rate us' } });
    const d = await dialog('spammer', 'BUY CHEAP PILLS');
    const r = await ann.call('POST', `/api/conversations/${d.conversationId}/spam`);
    expect(r.body).toMatchObject({ status: 'closed', spam: true });
    await new Promise((res) => setTimeout(res, 200));
    const out = await t.hub.db.manager.countBy(MessageEntity, { conversationId: d.conversationId, visibility: 'public', direction: 'out' });
    expect(out).toBe(0);
    expect((await t.hub.db.manager.findOneByOrFail(LeadEntity, { contactId: d.contactId })).status).toBe('junk');
    expect((await ann.call('POST', `/api/conversations/${d.conversationId}/spam`)).status).toBe(409);
  });

  it('merges two contacts into one, refusing while both have an open dialog on the same channel', async () => {
    const x = await dialog('merge-x');
    const y = await dialog('merge-y');
    await t.hub.db.write((tx) => tx.manager.update(ContactEntity, { id: y.contactId }, { email: 'y@example.com' }));
    const clash = await admin.call('POST', `/api/contacts/${x.contactId}/merge`, { otherId: y.contactId });
    expect(clash.status).toBe(409);
    await admin.call('POST', `/api/conversations/${y.conversationId}/close`);
    const merged = await admin.call('POST', `/api/contacts/${x.contactId}/merge`, { otherId: y.contactId });
    expect(merged.status).toBe(200);
    expect(merged.body.email).toBe('y@example.com');
    expect(merged.body.identities.map((i: { externalId: string }) => i.externalId).sort()).toEqual(['merge-x', 'merge-y']);
    expect((await t.hub.db.manager.findOneByOrFail(ConversationEntity, { id: y.conversationId })).contactId).toBe(x.contactId);
    expect(await t.hub.db.manager.countBy(ContactIdentityEntity, { contactId: y.contactId })).toBe(0);
    expect((await admin.call('GET', `/api/contacts/${y.contactId}`)).status).toBe(404);
    expect((await admin.call('POST', `/api/contacts/${x.contactId}/merge`, { otherId: x.contactId })).status).toBe(409);
  });

  it('canned answers: kept by supervisors, read by operators for their lines and globally', async () => {
    const global = await admin.call('POST', '/api/canned-answers', { shortcut: 'hello', text: 'Hello {{contact.name}}!' });
    expect(global.status).toBe(201);
    await admin.call('POST', '/api/canned-answers', { shortcut: 'a-only', text: 'For line A', lineId: lineA });
    const other = (await admin.call('GET', '/api/lines')).body.items.find((l: { name: string }) => l.name === 'B').id;
    await admin.call('POST', '/api/canned-answers', { shortcut: 'b-only', text: 'For line B', lineId: other });
    expect((await ann.call('GET', '/api/canned-answers')).body.items.map((c: { shortcut: string }) => c.shortcut)).toEqual(['a-only', 'hello']);
    expect((await admin.call('GET', '/api/canned-answers')).body.items).toHaveLength(3);
    expect((await ann.call('POST', '/api/canned-answers', { shortcut: 'x', text: 'y' })).status).toBe(403);
    expect((await admin.call('POST', '/api/canned-answers', { shortcut: 'has space', text: 'y' })).status).toBe(400);
    expect((await admin.call('PATCH', `/api/canned-answers/${global.body.id}`, { text: 'Hi!' })).body.text).toBe('Hi!');
    expect((await admin.call('DELETE', `/api/canned-answers/${global.body.id}`)).status).toBe(204);
    expect((await admin.call('DELETE', `/api/canned-answers/${global.body.id}`)).status).toBe(404);
  });
});
