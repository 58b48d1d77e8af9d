import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fixtures from '../../connectors/whatsapp-cloud/fixtures/webhooks.json';
import { AttachmentEntity } from '../../server/attachments/attachment.entity.js';
import { LeadEntity } from '../../server/crm/lead.entity.js';
import { eventually, login, type ApiClient } from '../helpers/clients.js';
import { startHub, type TestHub } from '../helpers/hub.js';
import { channelDto, channelReaches, contactOf, createChannel, delivery, inboundBy, upload } from './helpers.js';
import { postSigned, startGraphApi, type FakeGraph } from './servers/graph-api.js';

const TOKEN = 'EAAG-system-user-token-for-tests-0123456789';
const APP_SECRET = 'app-secret-for-tests-0123';
const VERIFY = 'verify-me-please';
const PHONE_ID = '106540352242922';

/** A fixture notification re-addressed: its message gets a new id, sender and time. */
function notification(name: keyof typeof fixtures, patch: { id: string; from: string; timestamp?: number }) {
  const body = structuredClone(fixtures[name]) as any;
  const value = body.entry[0].changes[0].value;
  value.contacts[0].wa_id = patch.from;
  Object.assign(value.messages[0], { id: patch.id, from: patch.from, timestamp: String(patch.timestamp ?? Math.floor(Date.now() / 1000)) });
  return body;
}

function statusUpdate(id: string, status: string, errors?: unknown[]) {
  const body = structuredClone(fixtures.status) as any;
  Object.assign(body.entry[0].changes[0].value.statuses[0], { id, status, ...(errors ? { errors } : {}) });
  return body;
}

describe('whatsapp cloud: webhooks and a local Graph API', () => {
  let t: TestHub;
  let graph: FakeGraph;
  let admin: ApiClient;
  let id: number;
  let hook: string;
  const post = (body: unknown) => postSigned(hook, body, APP_SECRET);

  beforeAll(async () => {
    graph = await startGraphApi({ token: TOKEN, phoneNumberId: PHONE_ID, displayNumber: '+1 555-078-3881', verifiedName: 'Omni Bikes' });
    t = await startHub();
    admin = await login(t.url, t.admin.email, t.admin.password);
    id = await createChannel(admin, 'whatsapp_cloud', 'WhatsApp (official)', {
      phoneNumberId: PHONE_ID, accessToken: TOKEN, appSecret: APP_SECRET, verifyToken: VERIFY, graphApiRoot: graph.url, businessAccountId: '102290129340398',
    });
    hook = `${t.url}/hooks/whatsapp_cloud/${id}`;
    await channelReaches(admin, id, 'connected', /Omni Bikes/);
  });
  afterAll(async () => {
    await t?.stop();
    await graph?.close();
  });

  it('tests the token against the number; masks secrets; declares the 24-hour window', async () => {
    const base = { phoneNumberId: PHONE_ID, appSecret: APP_SECRET, verifyToken: VERIFY, graphApiRoot: graph.url };
    const good = await admin.call('POST', '/api/channels/test', { type: 'whatsapp_cloud', settings: { ...base, accessToken: TOKEN } });
    expect(good.body).toEqual({ ok: true, message: 'Connected to +1 555-078-3881 (Omni Bikes)' });
    const bad = await admin.call('POST', '/api/channels/test', { type: 'whatsapp_cloud', settings: { ...base, accessToken: 'EAAG-wrong-token-0123456789abc' } });
    expect(bad.body).toMatchObject({ ok: false, message: expect.stringMatching(/rejected the access token/) });
    const list = await admin.call('GET', '/api/channels');
    const dto = list.body.items.find((c: { id: number }) => c.id === id);
    expect(dto.settings).toMatchObject({ accessToken: '********', appSecret: '********', verifyToken: '********' });
    expect((await channelDto(admin, id)).capabilities).toMatchObject({ replyWindowHours: 24, readReceipts: true, maxTextLength: 4096 });
  });

  it('answers the subscription check with the challenge only for the right verify token', async () => {
    const ok = await fetch(`${hook}?hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=1158201444`);
    expect([ok.status, await ok.text()]).toEqual([200, '1158201444']);
    expect((await fetch(`${hook}?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`)).status).toBe(403);
  });

  it('refuses unsigned and badly signed posts with 401 and stores nothing; bad JSON is 400', async () => {
    const body = notification('text', { id: 'wamid.forged', from: '16505550001' });
    expect((await postSigned(hook, body, null)).status).toBe(401);
    expect((await postSigned(hook, body, 'not-the-app-secret')).status).toBe(401);
    expect((await postSigned(hook, body, null, 'sha256=deadbeef')).status).toBe(401);
    expect(await inboundBy(t, id, 'wamid.forged')).toEqual([]);
    expect((await postSigned(hook, '{"object":', APP_SECRET)).status).toBe(400);
  });

  it('stores messages once however often Meta delivers them, with media, ads as lead source, and names', async () => {
    const from = '16505550002';
    graph.addMedia('1003383421387256', Buffer.from('jpeg-bytes'), 'image/jpeg');
    const ad = notification('referral', { id: 'wamid.A1', from });
    expect((await post(ad)).status).toBe(200);
    expect((await post(ad)).status).toBe(200);
    expect((await post(notification('image', { id: 'wamid.A2', from }))).status).toBe(200);
    expect((await post(notification('location', { id: 'wamid.A3', from }))).status).toBe(200);
    const [first] = await inboundBy(t, id, 'wamid.A1');
    expect(first).toMatchObject({ text: 'Hi, I saw your ad' });
    expect(await inboundBy(t, id, 'wamid.A1')).toHaveLength(1);
    const contact = await contactOf(t, first!.conversationId);
    expect(contact).toMatchObject({ name: 'Sheena Nelson', phone: '+16505550002' });
    expect((await t.hub.db.manager.findOneByOrFail(LeadEntity, { contactId: contact.id })).source).toBe('ad:120226305854810726');
    const [image] = await inboundBy(t, id, 'wamid.A2');
    expect(await t.hub.db.manager.findOneBy(AttachmentEntity, { messageId: image!.id })).toMatchObject({ mimeType: 'image/jpeg', size: 10 });
    expect((await inboundBy(t, id, 'wamid.A3'))[0]!.meta).toMatchObject({ location: { lat: 37.483307, lon: -122.148981 } });
  });

  it('ignores notifications for another number of the same app', async () => {
    const other = notification('text', { id: 'wamid.other', from: '16505550003' });
    other.entry[0].changes[0].value.metadata.phone_number_id = '999999999';
    expect((await post(other)).status).toBe(200);
    expect(await inboundBy(t, id, 'wamid.other')).toEqual([]);
  });

  it('replies with text and media through the Graph API, and follows status updates', async () => {
    const from = '16505550004';
    await post(notification('text', { id: 'wamid.B1', from }));
    const conv = (await inboundBy(t, id, 'wamid.B1'))[0]!.conversationId;
    const r1 = await admin.call('POST', `/api/conversations/${conv}/messages`, { text: 'Yes, in blue and red' });
    await eventually(async () => (await delivery(admin, conv, r1.body.id))?.deliveryStatus === 'sent', 'sent');
    const out = graph.sent.find((s) => s.to === from && s.type === 'text')!;
    expect(out.body).toMatchObject({ messaging_product: 'whatsapp', recipient_type: 'individual', text: { body: 'Yes, in blue and red' } });

    await post(statusUpdate(out.id, 'delivered'));
    await post(statusUpdate(out.id, 'read'));
    await post(statusUpdate(out.id, 'delivered'));
    expect((await delivery(admin, conv, r1.body.id))?.deliveryStatus).toBe('read');

    const photo = await upload(t.url, admin, 'blue.png', 'image/png', Buffer.from('png'));
    const r2 = await admin.call('POST', `/api/conversations/${conv}/messages`, { text: 'Blue one', attachmentIds: [photo] });
    await eventually(async () => (await delivery(admin, conv, r2.body.id))?.deliveryStatus === 'sent', 'media sent');
    const img = graph.sent.find((s) => s.to === from && s.type === 'image')!;
    expect(img.body.image).toEqual({ id: graph.uploads.at(-1)!.id, caption: 'Blue one' });
    expect(graph.uploads.at(-1)).toMatchObject({ type: 'image/png', fileName: 'blue.png' });

    const r3 = await admin.call('POST', `/api/conversations/${conv}/messages`, { text: 'one more' });
    await eventually(async () => (await delivery(admin, conv, r3.body.id))?.deliveryStatus === 'sent', 'sent 3');
    const third = graph.sent.find((s) => s.body.text?.body === 'one more')!;
    await post(statusUpdate(third.id, 'failed', [{ code: 131026, title: 'Message undeliverable', message: 'Message undeliverable', error_data: { details: 'Message Undeliverable.' } }]));
    expect(await delivery(admin, conv, r3.body.id)).toMatchObject({ deliveryStatus: 'failed', deliveryError: 'WhatsApp: Message undeliverable: Message Undeliverable. (131026)' });
  });

  it('refuses free-form replies once 24 hours passed since the customer wrote, without calling WhatsApp', async () => {
    const from = '16505550005';
    await post(notification('text', { id: 'wamid.C1', from, timestamp: Math.floor(Date.now() / 1000) - 25 * 3600 }));
    const conv = (await inboundBy(t, id, 'wamid.C1'))[0]!.conversationId;
    const r = await admin.call('POST', `/api/conversations/${conv}/messages`, { text: 'Still interested?' });
    const d = await eventually(async () => {
      const x = await delivery(admin, conv, r.body.id);
      return x?.deliveryStatus === 'failed' && x;
    }, 'refused');
    expect(d.deliveryError).toMatch(/24-hour customer service window is closed/);
    expect(graph.sent.filter((s) => s.to === from)).toEqual([]);

    // What the console offers instead: the approved templates, one of which goes out.
    const templates = await admin.call('GET', `/api/channels/${id}/templates`);
    expect(templates.body.items).toEqual([{ name: 'order_update', language: 'en_US', category: 'UTILITY', body: 'Your order {{1}} is on its way.' }]);
    const tr = await admin.call('POST', `/api/conversations/${conv}/messages`, { template: { name: 'order_update', language: 'en_US', variables: ['#1042'] } });
    expect(tr.status).toBe(201);
    expect(tr.body.text).toBe('Template: order_update');
    const sent = await eventually(() => graph.sent.find((s) => s.to === from), 'template sent');
    expect(sent.type).toBe('template');
    expect(sent.body.template).toMatchObject({ name: 'order_update', language: { code: 'en_US' } });
    const bad = await admin.call('POST', `/api/conversations/${conv}/messages`, { template: { name: 'Bad Name!', language: 'en_US' } });
    expect(bad.status).toBe(400);
  });

  it('retries rate limits with the outbox; a rejected token fails the message with the reason', async () => {
    const from = '16505550006';
    await post(notification('text', { id: 'wamid.D1', from }));
    const conv = (await inboundBy(t, id, 'wamid.D1'))[0]!.conversationId;
    graph.failures.set(from, [{ status: 400, code: 131056, message: '(#131056) (Business Account, Consumer Account) pair rate limit hit' }]);
    const r = await admin.call('POST', `/api/conversations/${conv}/messages`, { text: 'after the limit' });
    await eventually(async () => (await delivery(admin, conv, r.body.id))?.deliveryStatus === 'sent', 'sent after retry', 20_000);
    expect(graph.sent.filter((s) => s.body.text?.body === 'after the limit')).toHaveLength(1);

    graph.failures.set(from, [{ status: 401, code: 190, message: 'Error validating access token: Session has expired' }]);
    const r2 = await admin.call('POST', `/api/conversations/${conv}/messages`, { text: 'token expired meanwhile' });
    const d = await eventually(async () => {
      const x = await delivery(admin, conv, r2.body.id);
      return x?.deliveryStatus === 'failed' && x;
    }, 'failed on token');
    expect(d.deliveryError).toBe('WhatsApp rejected the access token (190): renew it in the channel settings');
  });
});
