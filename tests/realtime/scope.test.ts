import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, login, operatorSocket, type ApiClient } from '../helpers/clients.js';
import { startHub, type TestHub } from '../helpers/hub.js';
import { postgresAvailable } from '../helpers/postgres.js';

const databases = ['sqlite', ...((await postgresAvailable()) ? ['postgres' as const] : [])] as const;

describe.each(databases)('operators see only their lines, enforced on the server (%s)', (database) => {
  let t: TestHub;
  let admin: ApiClient;
  let opA: ApiClient;
  let lineB: { id: number };
  let chanA: number;
  let chanB: number;
  beforeAll(async () => {
    t = await startHub({ database });
    admin = await login(t.url, t.admin.email, t.admin.password);
    const a = await admin.call('POST', '/api/users', { email: 'ann@test.local', name: 'Ann', role: 'operator', password: 'operator-pass-1' });
    const lineA = await admin.call('POST', '/api/lines', { name: 'Line A', memberIds: [a.body.id] });
    lineB = (await admin.call('POST', '/api/lines', { name: 'Line B', memberIds: [] })).body;
    chanA = (await admin.call('POST', '/api/channels', { type: 'webchat', name: 'A chat', lineId: lineA.body.id })).body.id;
    chanB = (await admin.call('POST', '/api/channels', { type: 'webchat', name: 'B chat', lineId: lineB.id })).body.id;
    opA = await login(t.url, 'ann@test.local', 'operator-pass-1');
  });
  afterAll(() => t.stop());

  it('an operator of line A receives no event of line B and cannot read a line-B conversation by id', async () => {
    const sock = await operatorSocket(t.url, opA.cookie);
    const staff = await operatorSocket(t.url, admin.cookie);
    const b = await t.hub.ingest.ingest({ channelId: chanB, externalId: 'b1', sender: { externalId: 'cust-b' }, text: 'secret B' });
    const a = await t.hub.ingest.ingest({ channelId: chanA, externalId: 'a1', sender: { externalId: 'cust-a' }, text: 'hello A' });
    await eventually(() => sock.events.some((e) => e.type === 'message.created' && e.payload.conversation.id === a.conversationId), 'A event');
    await eventually(() => staff.events.some((e) => e.type === 'message.created' && e.payload.conversation.id === b.conversationId), 'B at staff');
    expect(sock.events.every((e) => !('conversation' in e.payload) || e.payload.conversation.lineId !== lineB.id)).toBe(true);
    expect(JSON.stringify(sock.events)).not.toContain('secret B');

    expect((await opA.call('GET', `/api/conversations/${b.conversationId}`)).status).toBe(404);
    expect((await opA.call('GET', `/api/conversations/${b.conversationId}/messages`)).status).toBe(404);
    expect((await opA.call('POST', `/api/conversations/${b.conversationId}/messages`, { text: 'x' })).status).toBe(404);
    expect((await opA.call('POST', `/api/conversations/${b.conversationId}/notes`, { text: 'x' })).status).toBe(404);
    expect((await opA.call('POST', `/api/conversations/${b.conversationId}/assign`, { assigneeId: opA.session.user.id })).status).toBe(404);
    expect((await opA.call('GET', `/api/contacts/${b.contactId}`)).status).toBe(404);
    const list = await opA.call('GET', '/api/conversations?scope=all');
    expect(list.body.items.map((c: { id: number }) => c.id)).toEqual([a.conversationId]);
    const leads = await opA.call('GET', '/api/leads');
    expect(leads.body.items.every((l: { lineId: number }) => l.lineId !== lineB.id)).toBe(true);

    // Replaying the log gives the same scope as the live push.
    const replay = await new Promise<any>((r) => sock.socket.emit('sync', { afterSeq: 0 }, r));
    expect(JSON.stringify(replay.events)).not.toContain('secret B');
    expect(replay.events.some((e: any) => e.payload.conversation?.id === a.conversationId)).toBe(true);
    sock.socket.close();
    staff.socket.close();
  });

  it('a dialog assigned to an operator outside its line becomes visible to them, live and by id', async () => {
    const b = await t.hub.ingest.ingest({ channelId: chanB, externalId: 'b2', sender: { externalId: 'cust-b2' }, text: 'escalate me' });
    const sock = await operatorSocket(t.url, opA.cookie);
    // Operators must be line members; a supervisor adds Ann to line B then assigns.
    await admin.call('PATCH', `/api/lines/${lineB.id}`, { memberIds: [opA.session.user.id] });
    const r = await admin.call('POST', `/api/conversations/${b.conversationId}/assign`, { assigneeId: opA.session.user.id });
    expect(r.status).toBe(200);
    await eventually(() => sock.events.some((e) => e.type === 'conversation.updated' && e.payload.conversation.id === b.conversationId), 'assigned event');
    expect((await opA.call('GET', `/api/conversations/${b.conversationId}`)).status).toBe(200);
    sock.socket.close();
  });

  it('operators cannot administer: users, lines and channels are admin-only', async () => {
    expect((await opA.call('POST', '/api/users', { email: 'x@test.local', name: 'X', password: 'operator-pass-1' })).status).toBe(403);
    expect((await opA.call('PATCH', `/api/lines/${lineB.id}`, { name: 'mine' })).status).toBe(403);
    expect((await opA.call('POST', '/api/channels', { type: 'webchat', name: 'x', lineId: lineB.id })).status).toBe(403);
    expect((await opA.call('DELETE', `/api/users/${admin.session.user.id}`)).status).toBe(403);
    const channels = await opA.call('GET', '/api/channels');
    expect(channels.body.items[0].settings).toEqual({});
  });
});
