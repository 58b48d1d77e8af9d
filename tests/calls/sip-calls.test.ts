import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationEntity } from '../../server/conversations/conversation.entity.js';
import { MessageEntity } from '../../server/conversations/message.entity.js';
import { LeadEntity } from '../../server/crm/lead.entity.js';
import { eventually, login, type ApiClient } from '../helpers/clients.js';
import { startHub, type TestHub } from '../helpers/hub.js';
import { postgresAvailable } from '../helpers/postgres.js';
import { channel, line, operator, stored, type Operator } from './helpers.js';

const databases = ['sqlite', ...((await postgresAvailable()) ? ['postgres' as const] : [])] as const;

describe.each(databases)('calls reported by SIP softphones (%s)', (database) => {
  let t: TestHub;
  let admin: ApiClient;
  let ann: Operator;
  let cid: Operator;
  let bob: Operator;
  let sip: number;
  beforeAll(async () => {
    t = await startHub({ database });
    admin = await login(t.url, t.admin.email, t.admin.password);
    [ann, cid, bob] = [await operator(t, admin, 'Ann'), await operator(t, admin, 'Cid'), await operator(t, admin, 'Bob')];
    const sales = await line(admin, 'Sales', [ann.id, cid.id], { routing: { mode: 'everyone' }, messages: { welcome: 'Hello {{contact.name}}!' } });
    await line(admin, 'Other', [bob.id]);
    sip = await channel(admin, 'sip', sales, { wsUrl: 'wss://pbx.test.local:8089/ws', domain: 'PBX.test.local', defaultCountry: 'de' });
    await admin.call('PUT', `/api/channels/${sip}/sip-accounts/${ann.id}`, { extension: '1001', password: 'ann-sip-secret' });
  });
  afterAll(() => t.stop());

  const report = (who: Operator, callId: string, event: string, more: Record<string, unknown> = {}) =>
    who.api.call('POST', '/api/calls/sip', { channelId: sip, callId, direction: 'in', remote: '030 12345678', event, ...more });
  const callOf = async (messageId: number) => (await t.hub.db.manager.findOneByOrFail(MessageEntity, { id: messageId })).meta.call as Record<string, unknown>;

  it('an incoming call rings with the caller card, is answered, and ends with its duration', async () => {
    const ringing = await report(ann, 'call-1@pbx', 'ringing');
    expect(ringing.status).toBe(200);
    expect(ringing.body.incoming).toMatchObject({
      messageId: ringing.body.messageId, conversationId: ringing.body.conversationId, channelId: sip, channelType: 'sip', callId: 'call-1@pbx',
      from: '+493012345678', contact: { phone: '+493012345678', identities: expect.arrayContaining([{ id: expect.any(Number), channelType: 'sip', externalId: '+493012345678' }]) },
      operatorIds: [ann.id, cid.id],
    });
    expect(await t.hub.db.manager.findOneByOrFail(MessageEntity, { id: ringing.body.messageId })).toMatchObject({ externalId: 'sip:call-1@pbx', kind: 'call', direction: 'in' });
    // Cid's phone rang for the same call: he gets the card too, and nothing is stored twice.
    const second = await report(cid, 'call-1@pbx', 'ringing');
    expect(second.body).toMatchObject({ messageId: ringing.body.messageId, incoming: { contact: { id: ringing.body.incoming.contact.id } } });
    expect((await stored(t, 'call.ringing', ringing.body.conversationId)).length).toBe(1);

    expect((await report(ann, 'call-1@pbx', 'answered')).status).toBe(200);
    expect(await callOf(ringing.body.messageId)).toMatchObject({ outcome: 'answered', answeredBy: ann.id, to: '1001' });
    await report(cid, 'call-1@pbx', 'ended', { reason: 'elsewhere' });
    await new Promise((r) => setTimeout(r, 1100));
    await report(ann, 'call-1@pbx', 'ended');
    const call = await callOf(ringing.body.messageId);
    expect(call).toMatchObject({ outcome: 'answered', answeredBy: ann.id });
    expect(call.durationSeconds).toBeGreaterThanOrEqual(1);
    expect(Date.parse(call.endedAt as string) - Date.parse(call.answeredAt as string)).toBeGreaterThanOrEqual(1000);
    expect(await t.hub.db.manager.findOneByOrFail(ConversationEntity, { id: ringing.body.conversationId })).toMatchObject({ assigneeId: ann.id, status: 'open' });

    // Repeating any report changes nothing.
    const updates = (await stored(t, 'message.updated', ringing.body.conversationId)).length;
    await report(ann, 'call-1@pbx', 'answered');
    await report(ann, 'call-1@pbx', 'ended');
    await report(cid, 'call-1@pbx', 'ended', { reason: 'cancelled' });
    expect((await stored(t, 'message.updated', ringing.body.conversationId)).length).toBe(updates);
    expect(await callOf(ringing.body.messageId)).toEqual(call);
  });

  it('a call the caller gave up on is missed: a lead per the line, a call-back, no automatic text to a phone', async () => {
    const r = await report(ann, 'call-2@pbx', 'ringing', { remote: '+49 151 23456789' });
    await report(ann, 'call-2@pbx', 'ended', { reason: 'cancelled' });
    expect(await callOf(r.body.messageId)).toMatchObject({ outcome: 'missed', answeredBy: null, durationSeconds: null });
    expect(await t.hub.db.manager.findOneByOrFail(ConversationEntity, { id: r.body.conversationId })).toMatchObject({ status: 'queued', flags: { callBack: true } });
    expect(await t.hub.db.manager.countBy(LeadEntity, { contactId: r.body.incoming.contact.id })).toBe(1);
    await eventually(async () => (await t.hub.db.manager.findOneByOrFail(ConversationEntity, { id: r.body.conversationId })).flags.welcomeSent, 'automation ran');
    const timeline = await t.hub.db.manager.findBy(MessageEntity, { conversationId: r.body.conversationId });
    expect(timeline.map((m) => m.kind)).toEqual(['call']);
  });

  it('"completed elsewhere" is not a missed call; a busy callee and a failed call are told apart', async () => {
    const r = await report(ann, 'call-3@pbx', 'ringing');
    await report(ann, 'call-3@pbx', 'ended', { reason: 'elsewhere' });
    expect(await callOf(r.body.messageId)).toMatchObject({ outcome: 'ringing', endedAt: null });

    const out = await ann.api.call('POST', '/api/calls/sip', { channelId: sip, callId: 'call-4@pbx', direction: 'out', remote: '+4915198765432', event: 'ringing' });
    expect(out.body.incoming).toBeNull();
    expect(await t.hub.db.manager.findOneByOrFail(MessageEntity, { id: out.body.messageId })).toMatchObject({ direction: 'out', authorId: ann.id });
    expect(await callOf(out.body.messageId)).toMatchObject({ direction: 'out', from: '1001', to: '+4915198765432' });
    await ann.api.call('POST', '/api/calls/sip', { channelId: sip, callId: 'call-4@pbx', direction: 'out', remote: '+4915198765432', event: 'ended', reason: 'busy' });
    expect(await callOf(out.body.messageId)).toMatchObject({ outcome: 'busy' });
    expect((await t.hub.db.manager.findOneByOrFail(ConversationEntity, { id: out.body.conversationId })).flags.callBack).toBeUndefined();

    const failed = await report(cid, 'call-5@pbx', 'ringing', { remote: 'alice' });
    expect(failed.body.incoming).toMatchObject({ from: 'alice', contact: { phone: null, identities: [{ channelType: 'sip', externalId: 'sip:alice' }] } });
    await report(cid, 'call-5@pbx', 'failed');
    expect((await cid.api.call('GET', '/api/calls/lookup?number=alice')).body).toMatchObject({ e164: null, contact: { id: failed.body.incoming.contact.id } });
    expect(await callOf(failed.body.messageId)).toMatchObject({ outcome: 'failed', to: 'pbx.test.local' });
  });

  it('refuses unknown calls, other lines, other channels and bad reports', async () => {
    const unknown = await report(ann, 'never-rang@pbx', 'answered');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toMatch(/never-rang@pbx/);
    expect((await report(bob, 'call-6@pbx', 'ringing')).status).toBe(403);
    expect(await t.hub.db.manager.countBy(MessageEntity, { externalId: 'sip:call-6@pbx' })).toBe(0);
    expect((await ann.api.call('POST', '/api/calls/sip', { channelId: t.demoChannelId, callId: 'x', direction: 'in', remote: '1', event: 'ringing' })).status).toBe(400);
    expect((await ann.api.call('POST', '/api/calls/sip', { channelId: 999_999, callId: 'x', direction: 'in', remote: '1', event: 'ringing' })).status).toBe(404);
    const bad = await report(ann, 'call-7@pbx', 'hung-up');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    expect((await admin.call('POST', '/api/calls/sip', { channelId: sip, callId: 'call-8@pbx', direction: 'in', remote: '+493012345678', event: 'ringing' })).status).toBe(200);
  });
});
