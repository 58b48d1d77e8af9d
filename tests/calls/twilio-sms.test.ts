import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fixtures from '../../connectors/twilio/fixtures/webhooks.json';
import { AttachmentEntity } from '../../server/attachments/attachment.entity.js';
import { LeadEntity } from '../../server/crm/lead.entity.js';
import { eventually } from '../helpers/clients.js';
import { contactOf, delivery, upload } from '../messengers/helpers.js';
import { sid } from './servers/twilio-api.js';
import { ACCOUNT, messageBy, messagesOf, startTwilioHub, type TwilioHub } from './servers/twilio-hub.js';

const sms = (from: string, body: string, patch: Record<string, string> = {}) => {
  const messageSid = sid('SM');
  return { ...fixtures.sms, AccountSid: ACCOUNT.accountSid, MessageSid: messageSid, SmsMessageSid: messageSid, SmsSid: messageSid, From: from, Body: body, ...patch };
};
const report = (messageSid: string, status: string, patch: Record<string, string> = {}) =>
  ({ ...fixtures.smsDelivered, AccountSid: ACCOUNT.accountSid, MessageSid: messageSid, SmsSid: messageSid, MessageStatus: status, SmsStatus: status, ...patch });

describe('twilio sms: both ways through a local Twilio REST API', () => {
  let h: TwilioHub;
  beforeAll(async () => {
    h = await startTwilioHub();
  });
  afterAll(async () => h?.stop());

  /** A customer texts the number; resolves with their conversation. */
  async function texted(from: string, body = 'Hi, is the blue bike still available?'): Promise<number> {
    const m = sms(from, body);
    expect((await h.post('/sms', m)).status).toBe(200);
    return (await messageBy(h, m.MessageSid))!.conversationId;
  }

  it('stores an SMS once however often Twilio delivers it: the contact known by E.164, a lead opened', async () => {
    const m = sms('+16505550150', 'Hi, is the blue bike still available?');
    const r = await h.post('/sms', m);
    expect([r.status, r.contentType]).toEqual([200, 'text/xml; charset=utf-8']);
    expect(r.text).toContain('<Response/>');
    expect((await h.post('/sms', m)).status).toBe(200);
    const stored = (await messagesOf(h)).filter((x) => x.externalId === m.MessageSid);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ kind: 'text', direction: 'in', text: 'Hi, is the blue bike still available?' });
    const contact = await contactOf(h.t, stored[0]!.conversationId);
    expect(contact.phone).toBe('+16505550150');
    expect(await h.t.hub.db.manager.findOneBy(LeadEntity, { contactId: contact.id })).not.toBeNull();
  });

  it('refuses unsigned or forged SMS with 403 and stores nothing', async () => {
    const before = (await messagesOf(h)).length;
    const m = sms('+16505550151', 'forged');
    expect((await h.post('/sms', m, { signature: null })).status).toBe(403);
    expect((await h.post('/sms', m, { signAs: `${h.hook}/voice` })).status).toBe(403);
    expect((await h.post('/sms', { ...m, AccountSid: `AC${'0'.repeat(32)}` })).status).toBe(403);
    expect(await messagesOf(h)).toHaveLength(before);
    expect((await h.post('/sms', { ...m, MessageSid: '' })).status).toBe(400);
  });

  it('downloads MMS files with the account credentials, within the size bound', async () => {
    const messageSid = sid('MM');
    const url = h.fake.addMedia(messageSid, Buffer.from('jpeg-bytes'), 'image/jpeg');
    const big = h.fake.addMedia(messageSid, Buffer.alloc(5 * 1024 * 1024 + 1), 'video/mp4');
    const m = sms('+16505550152', 'This one', { MessageSid: messageSid, NumMedia: '2', MediaUrl0: url, MediaContentType0: 'image/jpeg', MediaUrl1: big, MediaContentType1: 'video/mp4' });
    expect((await h.post('/sms', m)).status).toBe(200);
    const stored = (await messageBy(h, messageSid))!;
    const mediaSid = url.split('/').at(-1);
    expect(stored.text).toBe(`This one\n[${big.split('/').at(-1)}.mp4 not stored: larger than 5 MB]`);
    expect(await h.t.hub.db.manager.findBy(AttachmentEntity, { messageId: stored.id })).toMatchObject([{ fileName: `${mediaSid}.jpg`, mimeType: 'image/jpeg', size: 10 }]);
    expect(h.fake.requests.find((r) => r.path.endsWith(mediaSid!))?.user).toBe(ACCOUNT.accountSid);
  });

  it('sends replies with messages.create and follows the delivery reports', async () => {
    const conv = await texted('+16505550153');
    const reply = await h.admin.call('POST', `/api/conversations/${conv}/messages`, { text: 'Yes, in blue and red' });
    expect(reply.status).toBe(201);
    await eventually(async () => (await delivery(h.admin, conv, reply.body.id))?.deliveryStatus === 'sent', 'sent');
    const out = h.fake.sent.find((s) => s.params.get('To') === '+16505550153')!;
    expect(Object.fromEntries(out.params)).toEqual({ To: '+16505550153', From: '+14155550100', Body: 'Yes, in blue and red', StatusCallback: `${h.hook}/sms-status` });
    expect((await messageBy(h, out.sid))?.id).toBe(reply.body.id);

    expect((await h.post('/sms-status', report(out.sid, 'sent'))).status).toBe(204);
    expect((await h.post('/sms-status', report(out.sid, 'delivered'))).status).toBe(204);
    expect((await delivery(h.admin, conv, reply.body.id))?.deliveryStatus).toBe('delivered');
    expect((await h.post('/sms-status', report(out.sid, 'delivered'), { signature: null })).status).toBe(403);

    const second = await h.admin.call('POST', `/api/conversations/${conv}/messages`, { text: 'Shall I hold it for you?' });
    await eventually(async () => (await delivery(h.admin, conv, second.body.id))?.deliveryStatus === 'sent', 'sent 2');
    const sent2 = h.fake.sent.find((s) => s.params.get('Body') === 'Shall I hold it for you?')!;
    await h.post('/sms-status', report(sent2.sid, 'undelivered', { ErrorCode: '30003' }));
    expect(await delivery(h.admin, conv, second.body.id)).toMatchObject({ deliveryStatus: 'failed', deliveryError: 'Twilio: unreachable destination handset (30003)' });
  });

  it('sends files as MMS through signed links Twilio fetches from the hub', async () => {
    const conv = await texted('+16505550154');
    const photo = await upload(h.t.url, h.admin, 'blue.png', 'image/png', Buffer.from('png-bytes'));
    const r = await h.admin.call('POST', `/api/conversations/${conv}/messages`, { text: 'Blue one', attachmentIds: [photo] });
    await eventually(async () => (await delivery(h.admin, conv, r.body.id))?.deliveryStatus === 'sent', 'mms sent');
    const out = h.fake.sent.find((s) => s.params.get('To') === '+16505550154')!;
    expect(out.params.get('Body')).toBe('Blue one');
    const [link] = out.params.getAll('MediaUrl');
    expect(link).toMatch(new RegExp(`^${h.hook}/media/${photo}\\?to=%2B16505550154&exp=\\d+&sig=`));
    expect(out.media).toEqual([{ status: 200, type: 'image/png', bytes: Buffer.from('png-bytes') }]);
    // The link serves that file to that recipient only, unaltered.
    expect((await fetch(link!.replace('to=%2B16505550154', 'to=%2B16505550150'))).status).toBe(403);
    expect((await fetch(link!.replace(/sig=[^&]+/, 'sig=forged'))).status).toBe(403);
    expect((await fetch(link!.replace(/exp=\d+/, `exp=${Math.floor(Date.now() / 1000) - 1}`))).status).toBe(403);
  });

  it('fails a reply Twilio refuses with its reason; retries when Twilio is busy', async () => {
    const conv = await texted('+16505550155');
    h.fake.failures.set('+16505550155', [{ status: 400, code: 21211, message: "The 'To' number +16505550155 is not a valid phone number." }]);
    const r = await h.admin.call('POST', `/api/conversations/${conv}/messages`, { text: 'Are you there?' });
    const failed = await eventually(async () => {
      const d = await delivery(h.admin, conv, r.body.id);
      return d?.deliveryStatus === 'failed' && d;
    }, 'failed');
    expect(failed.deliveryError).toBe("Twilio: The 'To' number +16505550155 is not a valid phone number. (21211)");

    h.fake.failures.set('+16505550155', [{ status: 429, code: 20429, message: 'Too Many Requests' }]);
    const r2 = await h.admin.call('POST', `/api/conversations/${conv}/messages`, { text: 'after the limit' });
    await eventually(async () => (await delivery(h.admin, conv, r2.body.id))?.deliveryStatus === 'sent', 'sent after retry', 20_000);
    expect(h.fake.sent.filter((s) => s.params.get('Body') === 'after the limit')).toHaveLength(1);
  });
});
