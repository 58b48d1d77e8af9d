import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectorContext } from '../../connectors/contract.js';
import { SipAccountEntity } from '../../server/calls/sip-account.entity.js';
import { SecretBox } from '../../server/secrets/secret-box.js';
import { eventually, login, type ApiClient } from '../helpers/clients.js';
import { startHub, type TestHub } from '../helpers/hub.js';
import { channel, line, operator, scriptedTelephony, type Operator } from './helpers.js';

describe('calls in the console: phones, caller ID, click-to-call, recordings, SIP accounts', () => {
  let t: TestHub;
  let admin: ApiClient;
  let ann: Operator;
  let bob: Operator;
  let carl: Operator;
  let sales: number;
  let twilio: number;
  let sip: number;
  let ctx: ConnectorContext;
  const phone = scriptedTelephony();
  beforeAll(async () => {
    t = await startHub();
    t.hub.registry.add(phone.def);
    admin = await login(t.url, t.admin.email, t.admin.password);
    [ann, bob, carl] = [await operator(t, admin, 'Ann'), await operator(t, admin, 'Bob'), await operator(t, admin, 'Carl', 'offline')];
    sales = await line(admin, 'Sales', [ann.id, carl.id], { routing: { mode: 'everyone' } });
    await line(admin, 'Support', [bob.id]);
    twilio = await channel(admin, 'twilio', sales);
    sip = await channel(admin, 'sip', sales, { wsUrl: 'wss://pbx.test.local/ws', domain: 'pbx.test.local' });
    ctx = await phone.ctx(twilio);
  });
  afterAll(() => t.stop());

  const incoming = (callId: string, from: string) =>
    ctx.ingest({ externalId: callId, sender: { externalId: from, phone: from }, call: { direction: 'in', from, to: '+4930999999' } });

  it('SIP accounts: admins only; passwords go in sealed and never come out; members of the line only', async () => {
    const path = `/api/channels/${sip}/sip-accounts`;
    expect((await ann.api.call('GET', path)).status).toBe(403);
    expect((await ann.api.call('PUT', `${path}/${ann.id}`, { extension: '1001', password: 'x' })).status).toBe(403);
    const noPassword = await admin.call('PUT', `${path}/${ann.id}`, { extension: '1001' });
    expect([noPassword.status, noPassword.body.error.message]).toEqual([400, 'A new SIP account needs a password']);
    const put = await admin.call('PUT', `${path}/${ann.id}`, { extension: '1001', password: 'ann-sip-secret' });
    expect(put.body).toEqual({ userId: ann.id, extension: '1001', hasPassword: true });
    expect((await admin.call('PUT', `${path}/${ann.id}`, { extension: '1002' })).body).toEqual({ userId: ann.id, extension: '1002', hasPassword: true });
    const nonMember = await admin.call('PUT', `${path}/${bob.id}`, { extension: '2001', password: 'bob-sip-secret' });
    expect(nonMember.status).toBe(400);
    expect(nonMember.body.error.message).toMatch(/not a member/);
    expect((await admin.call('PUT', `${path}/${carl.id}`, { extension: 'bad ext', password: 'x' })).status).toBe(400);
    expect((await admin.call('PUT', `/api/channels/${twilio}/sip-accounts/${ann.id}`, { extension: '1', password: 'x' })).status).toBe(400);
    expect((await admin.call('GET', `/api/channels/424242/sip-accounts`)).status).toBe(404);

    const list = await admin.call('GET', path);
    expect(list.body).toEqual({ items: [{ userId: ann.id, extension: '1002', hasPassword: true }] });
    expect(JSON.stringify(list.body)).not.toContain('ann-sip-secret');
    const row = await t.hub.db.manager.findOneByOrFail(SipAccountEntity, { channelId: sip, userId: ann.id });
    expect(row.passwordSealed).not.toContain('ann-sip-secret');
    expect(new SecretBox(t.hub.config.secret).open(row.passwordSealed)).toBe('ann-sip-secret');

    await admin.call('PUT', `${path}/${carl.id}`, { extension: '1003', password: 'carl-sip-secret' });
    expect((await admin.call('DELETE', `${path}/${carl.id}`)).status).toBe(204);
    expect((await admin.call('DELETE', `${path}/${carl.id}`)).status).toBe(404);
  });

  it('phones: one per telephony channel of my lines; my own SIP password only to me', async () => {
    const mine = await ann.api.call('GET', '/api/calls/phones');
    expect(mine.body.items).toEqual([
      { kind: 'twilio', channelId: twilio, lineId: sales, name: `twilio ${sales}`, token: `token-for-${ann.id}`, identity: `user-${ann.id}`, expiresAt: expect.any(String) },
      { kind: 'sip', channelId: sip, lineId: sales, name: `sip ${sales}`, wsUrl: 'wss://pbx.test.local/ws', domain: 'pbx.test.local', extension: '1002', password: 'ann-sip-secret' },
    ]);
    // Carl has no extension on the PBX; Bob's line has no phones.
    expect((await carl.api.call('GET', '/api/calls/phones')).body.items.map((p: { kind: string }) => p.kind)).toEqual(['twilio']);
    expect((await bob.api.call('GET', '/api/calls/phones')).body.items).toEqual([]);
    expect((await admin.call('GET', '/api/calls/phones')).body.items.map((p: { kind: string }) => p.kind)).toEqual(['twilio']);
  });

  it('caller ID finds the contact however the number is written, among the contacts I may see', async () => {
    const r = await incoming('CA-lookup', '+493012345678');
    const found = await ann.api.call('GET', `/api/calls/lookup?number=${encodeURIComponent('+49 (30) 1234-5678')}`);
    expect(found.body).toMatchObject({ e164: '+493012345678', contact: { id: r.contactId, phone: '+493012345678' }, lead: { contactId: r.contactId, status: 'new' } });
    expect((await ann.api.call('GET', '/api/calls/lookup?number=%2B4915100000000')).body).toEqual({ e164: '+4915100000000', contact: null, lead: null });
    expect((await ann.api.call('GET', '/api/calls/lookup?number=alice')).body).toEqual({ e164: null, contact: null, lead: null });
    expect((await bob.api.call('GET', '/api/calls/lookup?number=%2B493012345678')).body).toEqual({ e164: '+493012345678', contact: null, lead: null });
    expect((await ann.api.call('GET', '/api/calls/lookup')).status).toBe(400);

    // A number an operator typed on a contact, spaces and all, is found too.
    const chat = await t.hub.ingest.ingest({ channelId: t.demoChannelId, externalId: 'w-1', sender: { externalId: 'visitor-phone' }, text: 'call me' });
    await admin.call('PATCH', `/api/contacts/${chat.contactId}`, { phone: '+49 151 2345 6789' });
    expect((await admin.call('GET', '/api/calls/lookup?number=004915123456789')).body.contact.id).toBe(chat.contactId);
  });

  it('click-to-call: the contact number in E.164 through a phone I have; clear errors otherwise', async () => {
    const r = await incoming('CA-dial', '+4930555000111');
    expect((await ann.api.call('POST', '/api/calls/dial', { contactId: r.contactId })).body).toEqual({ channelId: twilio, kind: 'twilio', to: '+4930555000111' });
    expect((await ann.api.call('POST', '/api/calls/dial', { contactId: r.contactId, channelId: sip })).body).toEqual({ channelId: sip, kind: 'sip', to: '+4930555000111' });
    const noExtension = await carl.api.call('POST', '/api/calls/dial', { contactId: r.contactId, channelId: sip });
    expect([noExtension.status, noExtension.body.error.message]).toEqual([409, `You have no extension on sip ${sales}; ask an admin to add one`]);
    expect((await bob.api.call('POST', '/api/calls/dial', { contactId: r.contactId })).status).toBe(404);
    expect((await admin.call('POST', '/api/calls/dial', { contactId: r.contactId, channelId: t.demoChannelId })).status).toBe(404);

    const chat = await t.hub.ingest.ingest({ channelId: t.demoChannelId, externalId: 'w-2', sender: { externalId: 'visitor-nophone', name: 'Nora' }, text: 'hi' });
    const noPhone = await admin.call('POST', '/api/calls/dial', { contactId: chat.contactId });
    expect([noPhone.status, noPhone.body.error.message]).toEqual([400, 'Nora has no phone number: add one to the contact to call them']);
    expect((await admin.call('POST', '/api/calls/dial', { contactId: 'x' })).status).toBe(400);
  });

  it('recordings play through the hub for those who see the dialog; 404 without one, 502 when the provider fails', async () => {
    const r = await incoming('CA-rec', '+4930555000222');
    const url = `/api/messages/${r.messageId}/recording`;
    const get = (who: ApiClient) => fetch(`${t.url}${url}`, { headers: { cookie: who.cookie } });
    expect((await get(ann.api)).status).toBe(404);
    await ctx.updateCall('CA-rec', { outcome: 'answered', answeredBy: ann.id, recordingSource: 'https://provider.test/RE42' });
    phone.recordings.set('https://provider.test/RE42', Buffer.from('ID3-fake-mp3-bytes'));
    const ok = await get(ann.api);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('audio/mpeg');
    expect(ok.headers.get('content-length')).toBe('18');
    expect(ok.headers.get('cache-control')).toBe('private, no-store');
    expect(Buffer.from(await ok.arrayBuffer()).toString()).toBe('ID3-fake-mp3-bytes');
    expect((await get(bob.api)).status).toBe(404);
    expect((await fetch(`${t.url}${url}`)).status).toBe(401);

    phone.recordings.clear();
    const failed = await get(ann.api);
    expect(failed.status).toBe(502);
    expect((await failed.json()).error.message).toBe('The provider did not deliver the recording: the provider answered 404 for this recording');
    const text = await t.hub.ingest.ingest({ channelId: t.demoChannelId, externalId: 'w-3', sender: { externalId: 'v-rec' }, text: 'hi' });
    expect((await admin.call('GET', `/api/messages/${text.messageId}/recording`)).status).toBe(404);
  });

  it('call targets follow the line: members who may take it, at once or in order; closed out of hours', async () => {
    expect(await ctx.callTargets()).toEqual({ open: true, mode: 'simultaneous', operatorIds: [ann.id] });
    const dora = await operator(t, admin, 'Dora');
    await admin.call('PATCH', `/api/lines/${sales}`, { memberIds: [dora.id, carl.id, ann.id], routing: { mode: 'in_order', passOnSeconds: 0 } });
    await eventually(async () => (await ctx.callTargets()).mode === 'sequential', 'line settings reloaded');
    expect(await ctx.callTargets()).toEqual({ open: true, mode: 'sequential', operatorIds: [dora.id, ann.id] });
    const closed = { enabled: true, week: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } };
    await admin.call('PATCH', `/api/lines/${sales}`, { hours: closed, routing: { mode: 'everyone' } });
    await eventually(async () => !(await ctx.callTargets()).open, 'closed');
    expect(await ctx.callTargets()).toEqual({ open: false, mode: 'simultaneous', operatorIds: [dora.id, ann.id] });
  });

  it('who may call through a channel: its line members and staff; never a deleted user', async () => {
    expect(await ctx.mayCall(ann.id)).toBe(true);
    expect(await ctx.mayCall(bob.id)).toBe(false);
    expect(await ctx.mayCall(admin.session.user.id)).toBe(true);
    expect(await ctx.mayCall(424242)).toBe(false);
    expect((await admin.call('DELETE', `/api/users/${carl.id}`)).status).toBe(204);
    expect(await ctx.mayCall(carl.id)).toBe(false);
  });
});
