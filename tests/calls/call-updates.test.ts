import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectorContext } from '../../connectors/contract.js';
import { ConversationEntity } from '../../server/conversations/conversation.entity.js';
import { MessageEntity } from '../../server/conversations/message.entity.js';
import { LeadEntity } from '../../server/crm/lead.entity.js';
import { eventually, login, operatorSocket, type ApiClient } from '../helpers/clients.js';
import { startHub, type TestHub } from '../helpers/hub.js';
import { postgresAvailable } from '../helpers/postgres.js';
import { channel, line, operator, scriptedTelephony, stored, type Operator } from './helpers.js';

const databases = ['sqlite', ...((await postgresAvailable()) ? ['postgres' as const] : [])] as const;

describe.each(databases)('calls as a provider reports them (%s)', (database) => {
  let t: TestHub;
  let admin: ApiClient;
  let ann: Operator;
  let bob: Operator;
  let ctx: ConnectorContext;
  const phone = scriptedTelephony();
  beforeAll(async () => {
    t = await startHub({ database });
    t.hub.registry.add(phone.def);
    admin = await login(t.url, t.admin.email, t.admin.password);
    [ann, bob] = [await operator(t, admin, 'Ann'), await operator(t, admin, 'Bob')];
    // "To everyone": routing offers dialogs without assigning them, so who answers decides.
    const phones = await line(admin, 'Phones', [ann.id], { routing: { mode: 'everyone' } });
    await line(admin, 'Other', [bob.id]);
    ctx = await phone.ctx(await channel(admin, 'twilio', phones));
  });
  afterAll(() => t.stop());

  const incoming = (callId: string, from: string) =>
    ctx.ingest({ externalId: callId, sender: { externalId: from, phone: from }, call: { direction: 'in', from, to: '+4930999999' } });
  const callOf = async (messageId: number) => (await t.hub.db.manager.findOneByOrFail(MessageEntity, { id: messageId })).meta.call as Record<string, unknown>;
  const conv = (id: number) => t.hub.db.manager.findOneByOrFail(ConversationEntity, { id });

  it('outcomes only move forward, facts once known stay, and a repeat changes nothing', async () => {
    const r = await incoming('CA-forward', '+4930100001');
    await ctx.updateCall('CA-forward', { outcome: 'in_progress' });
    await ctx.updateCall('CA-forward', { outcome: 'answered', answeredBy: ann.id, answeredAt: '2026-11-23T10:00:05.000Z' });
    await ctx.updateCall('CA-forward', { outcome: 'missed' });
    await ctx.updateCall('CA-forward', { outcome: 'answered', answeredBy: bob.id, answeredAt: '2026-11-23T10:00:09.000Z' });
    await ctx.updateCall('CA-forward', { endedAt: '2026-11-23T10:00:47.000Z', durationSeconds: 42 });
    expect(await callOf(r.messageId)).toMatchObject({
      direction: 'in', outcome: 'answered', answeredBy: ann.id, answeredAt: '2026-11-23T10:00:05.000Z', endedAt: '2026-11-23T10:00:47.000Z', durationSeconds: 42,
    });
    const updates = (await stored(t, 'message.updated', r.conversationId)).length;
    await ctx.updateCall('CA-forward', { endedAt: '2026-11-23T10:00:47.000Z', durationSeconds: 42 });
    await ctx.updateCall('CA-forward', { outcome: 'answered', answeredBy: ann.id });
    expect((await stored(t, 'message.updated', r.conversationId)).length).toBe(updates);
    await expect(ctx.updateCall('CA-unknown', { outcome: 'missed' })).resolves.toBeUndefined();
  });

  it('who answers an incoming call gets the unassigned dialog; nobody waits any more', async () => {
    const r = await incoming('CA-take', '+4930100005');
    expect(await conv(r.conversationId)).toMatchObject({ status: 'queued', assigneeId: null });
    await ctx.updateCall('CA-take', { outcome: 'answered', answeredBy: ann.id });
    expect(await conv(r.conversationId)).toMatchObject({ status: 'open', assigneeId: ann.id, waitingSince: null, unreadCount: 0 });
    const changed = (await stored(t, 'conversation.updated', r.conversationId)).at(-1)!;
    expect(changed.payload).toMatchObject({ conversation: { assigneeId: ann.id, status: 'open' } });
    // A later answer elsewhere does not take it from her.
    await ctx.updateCall('CA-take', { outcome: 'answered', answeredBy: bob.id });
    expect((await conv(r.conversationId)).assigneeId).toBe(ann.id);
  });

  it('a dialog routing offered while the call rang goes to who took the call', async () => {
    const [first, second] = [await operator(t, admin, 'First'), await operator(t, admin, 'Second')];
    const queue = await line(admin, 'Queue', [first.id, second.id], { routing: { mode: 'in_order', passOnSeconds: 0 } });
    const queueCtx = await phone.ctx(await channel(admin, 'twilio', queue));
    expect(await queueCtx.callTargets()).toEqual({ open: true, mode: 'sequential', operatorIds: [first.id, second.id] });
    const r = await queueCtx.ingest({ externalId: 'CA-offered', sender: { externalId: '+4930100007', phone: '+4930100007' }, call: { direction: 'in', from: '+4930100007', to: 'x' } });
    await eventually(async () => (await conv(r.conversationId)).assigneeId === first.id, 'offered to the first in line');
    await queueCtx.updateCall('CA-offered', { outcome: 'answered', answeredBy: second.id });
    expect(await conv(r.conversationId)).toMatchObject({ assigneeId: second.id, status: 'open', waitingSince: null });
    const moved = (await stored(t, 'conversation.updated', r.conversationId)).at(-1)!;
    expect([moved.assigneeId, moved.prevAssigneeId]).toEqual([second.id, first.id]);
  });

  it('a missed call waits for a call-back; voicemail beats missed and brings a recording played through the hub', async () => {
    const r = await incoming('CA-missed', '+4930100002');
    await ctx.updateCall('CA-missed', { outcome: 'missed', endedAt: '2026-11-23T10:01:00.000Z' });
    expect(await conv(r.conversationId)).toMatchObject({ status: 'queued', assigneeId: null, flags: { callBack: true } });
    expect((await ann.api.call('GET', `/api/conversations/${r.conversationId}`)).body.callBack).toBe(true);

    await ctx.updateCall('CA-missed', { outcome: 'voicemail', recordingSource: 'https://api.provider.test/Recordings/RE1' });
    await ctx.updateCall('CA-missed', { outcome: 'missed' });
    const shown = (await ann.api.call('GET', `/api/conversations/${r.conversationId}/messages`)).body.items.find((m: { id: number }) => m.id === r.messageId);
    expect(shown.call).toMatchObject({ outcome: 'voicemail', recordingUrl: `/api/messages/${r.messageId}/recording`, endedAt: '2026-11-23T10:01:00.000Z' });
    expect(JSON.stringify(shown)).not.toContain('api.provider.test');
    expect(await callOf(r.messageId)).toMatchObject({ recordingSource: 'https://api.provider.test/Recordings/RE1' });
  });

  it('an answered outgoing call settles the call-back; an unanswered one does not, nor does it ask for one', async () => {
    const r = await incoming('CA-lost', '+4930100003');
    await ctx.updateCall('CA-lost', { outcome: 'missed' });
    const out = (callId: string) => ctx.ingest({
      externalId: callId, sender: { externalId: '+4930100003', phone: '+4930100003' },
      call: { direction: 'out', from: '+4930999999', to: '+4930100003', operatorId: ann.id },
    });
    const first = await out('CA-back-1');
    expect(first.conversationId).toBe(r.conversationId);
    await ctx.updateCall('CA-back-1', { outcome: 'missed' });
    expect(await conv(r.conversationId)).toMatchObject({ assigneeId: ann.id, status: 'open', flags: { callBack: true } });
    await out('CA-back-2');
    await ctx.updateCall('CA-back-2', { outcome: 'answered', answeredBy: ann.id });
    expect((await conv(r.conversationId)).flags.callBack).toBeUndefined();
    expect((await ann.api.call('GET', `/api/conversations/${r.conversationId}`)).body.callBack).toBe(false);
  });

  it('a missed call in a closed dialog brings it back to the queue', async () => {
    const r = await incoming('CA-closed', '+4930100004');
    await ann.api.call('POST', `/api/conversations/${r.conversationId}/assign`, { assigneeId: ann.id });
    expect((await ann.api.call('POST', `/api/conversations/${r.conversationId}/close`)).status).toBe(200);
    await ctx.updateCall('CA-closed', { outcome: 'missed' });
    expect(await conv(r.conversationId)).toMatchObject({ status: 'queued', assigneeId: null, closedAt: null, flags: { callBack: true } });
  });

  it('a ringing call is announced with the caller card to the line, not to another line; once', async () => {
    const annSocket = await operatorSocket(t.url, ann.api.cookie);
    const bobSocket = await operatorSocket(t.url, bob.api.cookie);
    const r = await incoming('CA-ring', '+4930100006');
    const ringing = await eventually(() => annSocket.events.find((e) => e.type === 'call.ringing' && e.payload.call.callId === 'CA-ring'), 'call.ringing');
    expect(ringing.payload).toMatchObject({
      call: {
        messageId: r.messageId, conversationId: r.conversationId, channelType: 'twilio', from: '+4930100006',
        contact: { id: r.contactId, phone: '+4930100006' }, operatorIds: [ann.id],
      },
    });
    const lead = await t.hub.db.manager.findOneByOrFail(LeadEntity, { contactId: r.contactId });
    expect((ringing.payload as { call: { lead: { id: number } } }).call.lead.id).toBe(lead.id);
    expect(await incoming('CA-ring', '+4930100006')).toMatchObject({ duplicate: true });
    await ctx.ingest({ externalId: 'CA-out', sender: { externalId: '+4930100006' }, call: { direction: 'out', from: 'x', to: '+4930100006', operatorId: ann.id } });
    await eventually(() => annSocket.events.some((e) => e.type === 'message.created' && e.payload.message.text === 'Outgoing call'), 'outgoing call');
    expect(bobSocket.events.filter((e) => e.type === 'call.ringing')).toEqual([]);
    expect((await stored(t, 'call.ringing', r.conversationId)).length).toBe(1);
    annSocket.socket.close();
    bobSocket.socket.close();
  });
});
