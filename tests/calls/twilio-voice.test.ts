import { createRequire } from 'node:module';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fixtures from '../../connectors/twilio/fixtures/webhooks.json';
import { ConversationEntity } from '../../server/conversations/conversation.entity.js';
import { LeadEntity } from '../../server/crm/lead.entity.js';
import { eventually } from '../helpers/clients.js';
import { contactOf } from '../messengers/helpers.js';
import { sid } from './servers/twilio-api.js';
import { ACCOUNT, messageBy, messageDto, messagesOf, settingsFor, startTwilioHub, type TwilioHub } from './servers/twilio-hub.js';

/** jsonwebtoken comes with twilio (it signs the access tokens); it has no types of its own here. */
const jwt = createRequire(import.meta.url)('jsonwebtoken') as {
  verify(token: string, secret: string, o: { algorithms: string[]; complete: true }): { header: Record<string, unknown>; payload: Record<string, any> };
};

const CALLER = '+16505550123';

/** A fixture's parameters for this account and call. */
const params = (name: keyof typeof fixtures, patch: Record<string, string> = {}) =>
  ({ ...(fixtures[name] as Record<string, string>), AccountSid: ACCOUNT.accountSid, ...patch });

describe('twilio voice: webhooks, TwiML and a local Twilio REST API', () => {
  let h: TwilioHub;
  beforeAll(async () => {
    h = await startTwilioHub('everyone');
  });
  afterAll(async () => h?.stop());

  const setLine = (body: Record<string, unknown>) => h.admin.call('PATCH', `/api/lines/${h.lineId}`, body);
  const ring = (callSid: string, from = CALLER) => h.post('/voice', params('incomingCall', { CallSid: callSid, From: from, Caller: from }));
  const status = (name: 'clientLegAnswered' | 'clientLegCompleted' | 'callCompleted', callSid: string, patch: Record<string, string> = {}) =>
    h.post('/status', params(name, { ...(name === 'callCompleted' ? { CallSid: callSid } : { ParentCallSid: callSid, CallSid: sid('CA') }), Timestamp: new Date().toUTCString(), ...patch }));

  it('tests the settings against Twilio and says which one is wrong; masks the secrets', async () => {
    const test = (patch: Record<string, unknown>) => h.admin.call('POST', '/api/channels/test', { type: 'twilio', settings: settingsFor(h.fake, patch) });
    expect((await test({})).body).toEqual({ ok: true, message: 'Connected to Omni Bikes: +14155550100 ((415) 555-0100), TwiML App Omniline browser phones' });
    expect((await test({ authToken: 'f'.repeat(32) })).body).toMatchObject({ ok: false, message: expect.stringMatching(/rejected the Account SID and auth token \(20003\)/) });
    expect((await test({ phoneNumber: '+14155550199' })).body).toMatchObject({ ok: false, message: expect.stringMatching(/\+14155550199 is not a phone number of the Twilio account Omni Bikes/) });
    expect((await test({ twimlAppSid: sid('AP') })).body).toMatchObject({ ok: false, message: expect.stringMatching(/No TwiML App AP/) });
    expect((await test({ apiKeySecret: 'not-the-secret-of-this-key' })).body).toMatchObject({ ok: false, message: expect.stringMatching(/rejected the API key SK\w+ with this secret/) });
    expect((await test({ apiBaseUrl: 'http://127.0.0.1:9' })).body).toMatchObject({ ok: false, message: expect.stringMatching(/Cannot reach the Twilio API at http:\/\/127.0.0.1:9/) });
    const refused = await h.admin.call('POST', '/api/channels', { type: 'twilio', name: 'Wrong', lineId: h.lineId, settings: settingsFor(h.fake, { authToken: 'e'.repeat(32) }) });
    expect(refused.status).toBe(400);
    // The real twilio library made these calls, re-addressed from api.twilio.com to the local server.
    expect(h.fake.requests).toContainEqual({ method: 'GET', path: `/2010-04-01/Accounts/${ACCOUNT.accountSid}/IncomingPhoneNumbers.json?PhoneNumber=%2B14155550100&PageSize=1`, user: ACCOUNT.accountSid });
    expect(h.fake.requests).toContainEqual({ method: 'GET', path: `/2010-04-01/Accounts/${ACCOUNT.accountSid}.json`, user: ACCOUNT.apiKeySid });
    const dto = (await h.admin.call('GET', '/api/channels')).body.items.find((c: { id: number }) => c.id === h.channelId);
    expect(dto.settings).toMatchObject({ authToken: '********', apiKeySecret: '********', accountSid: ACCOUNT.accountSid, ringSeconds: 20 });
  });

  it('answers 403 to unsigned, forged and replayed requests and stores nothing; 400 to a bad payload', async () => {
    const before = (await messagesOf(h)).length;
    const call = params('incomingCall', { CallSid: sid('CA') });
    expect((await h.post('/voice', call, { signature: null })).status).toBe(403);
    expect((await h.post('/voice', call, { token: 'f'.repeat(32) })).status).toBe(403);
    expect((await h.post('/voice', call, { signature: 'bm90IGEgc2lnbmF0dXJl' })).status).toBe(403);
    // A genuine signature, replayed to another URL of the hub: to another webhook, another channel, another query.
    expect((await h.post('/voice', call, { signAs: `${h.hook}/sms` })).status).toBe(403);
    expect((await h.post('/voice', call, { signAs: h.hook.replace(/\/\d+$/, '/999') + '/voice' })).status).toBe(403);
    expect((await h.post('/dial?i=0', params('dialNoAnswer'), { signAs: `${h.hook}/dial?i=5` })).status).toBe(403);
    // Signed for other parameters than those posted.
    const sig = twilio.getExpectedTwilioSignature(ACCOUNT.authToken, `${h.hook}/voice`, call);
    expect((await h.post('/voice', { ...call, From: '+16505550666' }, { signature: sig })).status).toBe(403);
    expect(await messagesOf(h)).toHaveLength(before);
    const bad = await h.post('/voice', { ...call, CallSid: 'not-a-call' });
    expect(bad.status).toBe(400);
    expect(await messagesOf(h)).toHaveLength(before);
  });

  it('rings every available operator of a line "to everyone" at once, each with the call id, and shows them the caller', async () => {
    const callSid = sid('CA');
    const r = await ring(callSid);
    expect([r.status, r.contentType]).toEqual([200, 'text/xml; charset=utf-8']);
    const [ann, bob] = h.operators;
    expect(r.twiml!.Dial).toMatchObject({ answerOnBridge: 'true', timeout: '20', action: `${h.hook}/dial?i=2` });
    expect(r.twiml!.Dial.Client).toEqual([ann!, bob!].map((o) => ({
      statusCallback: `${h.hook}/status`, statusCallbackEvent: 'answered completed', Identity: `op_${o.id}`, Parameter: { name: 'callId', value: callSid },
    })));
    const stored = (await messageBy(h, callSid))!;
    expect(stored).toMatchObject({ kind: 'call', direction: 'in', meta: { call: { direction: 'in', from: CALLER, to: '+14155550100', outcome: 'ringing' } } });
    const popup = await eventually(() => ann!.events.find((e) => e.type === 'call.ringing' && e.payload.call.callId === callSid), 'call.ringing');
    expect(popup.payload).toMatchObject({ call: { messageId: stored.id, from: CALLER, contact: { phone: CALLER } } });
    // Twilio retrying the request stores nothing twice.
    expect((await ring(callSid)).twiml!.Dial.Client).toHaveLength(2);
    expect((await messagesOf(h)).filter((m) => m.externalId === callSid)).toHaveLength(1);
  });

  it('follows an answered call: who answered, for how long, then the recording streamed through the hub', async () => {
    const callSid = sid('CA');
    const [ann] = h.operators;
    await ring(callSid);
    expect((await status('clientLegAnswered', callSid, { To: `client:op_${ann!.id}`, Called: `client:op_${ann!.id}` })).status).toBe(204);
    expect((await status('clientLegCompleted', callSid, { To: `client:op_${ann!.id}`, CallDuration: '95' })).status).toBe(204);
    expect((await status('callCompleted', callSid, { CallDuration: '117' })).status).toBe(204);
    const stored = (await messageBy(h, callSid))!;
    const dto = await messageDto(ann!.api, stored);
    expect(dto?.call).toMatchObject({ outcome: 'answered', answeredBy: ann!.id, durationSeconds: 95, answeredAt: expect.any(String), endedAt: expect.any(String), recordingUrl: null });
    expect((await h.t.hub.db.manager.findOneByOrFail(ConversationEntity, { id: stored.conversationId })).assigneeId).toBe(ann!.id);

    const audio = Buffer.from('ID3-fake-mp3-audio-of-the-call');
    const recordingSid = sid('RE');
    const recordingUrl = h.fake.addRecording(recordingSid, audio);
    expect((await h.post('/recording', params('recording', { CallSid: callSid, RecordingSid: recordingSid, RecordingUrl: recordingUrl }))).status).toBe(204);
    const after = await messageDto(ann!.api, stored);
    expect(after?.call).toMatchObject({ outcome: 'answered', recordingUrl: `/api/messages/${stored.id}/recording` });
    expect(JSON.stringify(after)).not.toContain(recordingUrl);
    const res = await fetch(`${h.t.url}/api/messages/${stored.id}/recording`, { headers: { cookie: ann!.api.cookie } });
    expect([res.status, res.headers.get('content-type')]).toEqual([200, 'audio/mpeg']);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(audio);
    expect(h.fake.requests.at(-1)).toEqual({ method: 'GET', path: `/2010-04-01/Accounts/${ACCOUNT.accountSid}/Recordings/${recordingSid}.mp3`, user: ACCOUNT.accountSid });
    expect((await fetch(`${h.t.url}/api/messages/${stored.id}/recording`)).status).toBe(401);
  });

  it('ignores a recording URL outside the account', async () => {
    const callSid = sid('CA');
    await ring(callSid);
    const foreign = `https://evil.example.com/2010-04-01/Accounts/${ACCOUNT.accountSid}/Recordings/${sid('RE')}`;
    expect((await h.post('/recording', params('recording', { CallSid: callSid, RecordingUrl: foreign }))).status).toBe(204);
    expect((await messageBy(h, callSid))!.meta).toMatchObject({ call: { recordingUrl: null } });
  });

  it('rings a line "in order" one operator after another, then voicemail; the missed call waits for a call-back', async () => {
    expect((await setLine({ routing: { mode: 'in_order' } })).status).toBe(200);
    const [ann, bob] = h.operators;
    const caller = '+16505550142';
    const callSid = sid('CA');
    const first = await ring(callSid, caller);
    expect(first.twiml!.Dial).toMatchObject({ action: `${h.hook}/dial?i=1`, timeout: '20' });
    expect(first.twiml!.Dial.Client.map((c: { Identity: string }) => c.Identity)).toEqual([`op_${ann!.id}`]);
    const second = await h.post('/dial?i=1', params('dialNoAnswer', { CallSid: callSid }));
    expect(second.twiml!.Dial).toMatchObject({ action: `${h.hook}/dial?i=2` });
    expect(second.twiml!.Dial.Client.map((c: { Identity: string }) => c.Identity)).toEqual([`op_${bob!.id}`]);
    const last = await h.post('/dial?i=2', params('dialNoAnswer', { CallSid: callSid }));
    expect(last.twiml).toMatchObject({
      Say: 'Sorry, nobody can take your call right now. Please leave a message after the tone and we will call you back.',
      Record: { action: `${h.hook}/done`, maxLength: '120', playBeep: 'true', recordingStatusCallback: `${h.hook}/recording`, recordingStatusCallbackEvent: 'completed' },
    });
    expect(last.twiml!.Dial).toBeUndefined();
    expect((await h.post('/done', params('dialNoAnswer', { CallSid: callSid }))).twiml).toEqual({ Hangup: '' });

    await status('callCompleted', callSid);
    const recordingSid = sid('RE');
    const url = h.fake.addRecording(recordingSid, Buffer.from('voicemail-audio'));
    await h.post('/recording', params('recording', { CallSid: callSid, RecordingSid: recordingSid, RecordingUrl: url }));
    const stored = (await messageBy(h, callSid))!;
    expect(stored.meta).toMatchObject({ call: { outcome: 'voicemail', answeredBy: null, recordingUrl: `/api/messages/${stored.id}/recording` } });
    const conv = await h.t.hub.db.manager.findOneByOrFail(ConversationEntity, { id: stored.conversationId });
    expect(conv.flags).toMatchObject({ callBack: true });
    const contact = await contactOf(h.t, stored.conversationId);
    expect(contact.phone).toBe(caller);
    expect(await h.t.hub.db.manager.findOneBy(LeadEntity, { contactId: contact.id })).not.toBeNull();
    const res = await fetch(`${h.t.url}/api/messages/${stored.id}/recording`, { headers: { cookie: h.admin.cookie } });
    expect(Buffer.from(await res.arrayBuffer()).toString()).toBe('voicemail-audio');
  });

  it('a call nobody answers and that reaches no voicemail is missed; the caller hanging up stops the ringing', async () => {
    const callSid = sid('CA');
    await ring(callSid);
    expect((await h.post('/dial?i=1', params('dialNoAnswer', { CallSid: callSid, CallStatus: 'completed' }))).twiml).toEqual({ Hangup: '' });
    await status('callCompleted', callSid);
    expect((await messageBy(h, callSid))!.meta).toMatchObject({ call: { outcome: 'missed', endedAt: expect.any(String) } });
  });

  it('out of hours: straight to the greeting and voicemail', async () => {
    const closed = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
    expect((await setLine({ hours: { enabled: true, week: closed } })).status).toBe(200);
    try {
      const r = await ring(sid('CA'));
      expect(r.twiml).toMatchObject({ Say: expect.stringMatching(/leave a message/), Record: { recordingStatusCallback: `${h.hook}/recording` } });
      expect(r.twiml!.Dial).toBeUndefined();
    } finally {
      await setLine({ hours: { enabled: false } });
    }
  });

  it("mints each operator's browser phone a Voice token for their identity and the TwiML App", async () => {
    const [ann] = h.operators;
    const phones = await ann!.api.call('GET', '/api/calls/phones');
    expect(phones.status).toBe(200);
    const phone = phones.body.items.find((p: { channelId: number }) => p.channelId === h.channelId);
    expect(phone).toMatchObject({ kind: 'twilio', identity: `op_${ann!.id}`, lineId: h.lineId });
    const { header, payload } = jwt.verify(phone.token, ACCOUNT.apiKeySecret, { algorithms: ['HS256'], complete: true });
    expect(header).toMatchObject({ alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' });
    expect(payload).toMatchObject({
      iss: ACCOUNT.apiKeySid, sub: ACCOUNT.accountSid,
      grants: { identity: `op_${ann!.id}`, voice: { incoming: { allow: true }, outgoing: { application_sid: ACCOUNT.twimlAppSid } } },
    });
    expect(payload.exp - payload.iat).toBe(3600);
    expect(Math.abs(Date.parse(phone.expiresAt) / 1000 - payload.exp)).toBeLessThanOrEqual(1);
    expect(() => jwt.verify(phone.token, 'another-secret', { algorithms: ['HS256'], complete: true })).toThrow();
  });

  it("places an operator's call from their browser as the channel number, and follows the customer's leg", async () => {
    const [ann] = h.operators;
    const callSid = sid('CA');
    const r = await h.post('/voice', params('outgoingCall', { CallSid: callSid, From: `client:op_${ann!.id}`, Caller: `client:op_${ann!.id}`, To: '(650) 555-0188', ApplicationSid: ACCOUNT.twimlAppSid }));
    expect(r.twiml!.Dial).toMatchObject({ callerId: '+14155550100', action: `${h.hook}/done` });
    expect(r.twiml!.Dial.Number).toEqual({ '#text': '+16505550188', statusCallback: `${h.hook}/status?op=${ann!.id}`, statusCallbackEvent: 'answered completed' });
    const stored = (await messageBy(h, callSid))!;
    expect(stored).toMatchObject({ kind: 'call', direction: 'out', authorId: ann!.id, meta: { call: { direction: 'out', from: '+14155550100', to: '+16505550188', outcome: 'ringing' } } });
    const leg = (patch: Record<string, string>) => h.post(`/status?op=${ann!.id}`, params('numberLegBusy', { ParentCallSid: callSid, CallSid: sid('CA'), To: '+16505550188', Timestamp: new Date().toUTCString(), ...patch }));
    await leg({ CallStatus: 'in-progress' });
    await leg({ CallStatus: 'completed', CallDuration: '42' });
    expect((await messageBy(h, callSid))!.meta).toMatchObject({ call: { outcome: 'answered', answeredBy: ann!.id, durationSeconds: 42 } });
    // The browser leg's own end says nothing new.
    expect((await h.post('/status', params('callCompleted', { CallSid: callSid, From: `client:op_${ann!.id}`, To: '+16505550188' }))).status).toBe(204);
    expect((await messageBy(h, callSid))!.meta).toMatchObject({ call: { outcome: 'answered' } });

    const busy = sid('CA');
    await h.post('/voice', params('outgoingCall', { CallSid: busy, From: `client:op_${ann!.id}`, To: '+16505550188' }));
    await h.post(`/status?op=${ann!.id}`, params('numberLegBusy', { ParentCallSid: busy, CallSid: sid('CA'), Timestamp: new Date().toUTCString() }));
    expect((await messageBy(h, busy))!.meta).toMatchObject({ call: { outcome: 'busy' } });
  });

  it('refuses calls from a user who may not call through this line, and numbers that cannot be called', async () => {
    const before = (await messagesOf(h)).length;
    const refused = await h.post('/voice', params('outgoingCall', { CallSid: sid('CA'), From: `client:op_${h.outsider.id}`, To: '+16505550188' }));
    expect(refused.twiml).toEqual({ Say: 'You may not place calls through this line.', Hangup: '' });
    expect((await h.post('/voice', params('outgoingCall', { CallSid: sid('CA'), From: 'client:someone_else', To: '+16505550188' }))).twiml).toMatchObject({ Hangup: '' });
    const [ann] = h.operators;
    expect((await h.post('/voice', params('outgoingCall', { CallSid: sid('CA'), From: `client:op_${ann!.id}`, To: '12' }))).twiml).toEqual({ Say: 'This is not a phone number that can be called.', Hangup: '' });
    expect(await messagesOf(h)).toHaveLength(before);
  });
});
