import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { whatsappConnector } from '../../connectors/whatsapp/index.js';
import { AttachmentEntity } from '../../server/attachments/attachment.entity.js';
import { ConnectorStateEntity } from '../../server/channels/connector-state.entity.js';
import { eventually, login, type ApiClient } from '../helpers/clients.js';
import { startHub, type TestHub } from '../helpers/hub.js';
import { channelDto, channelReaches, contactOf, createChannel, delivery, messagesOf, upload } from './helpers.js';
import { startPhone, type Phone } from './servers/wweb-phone.js';

const DOUBLE = fileURLToPath(new URL('./servers/wweb-client-double.ts', import.meta.url));

/**
 * The real worker process, supervisor, status machine, gap sync and send journal, with only
 * whatsapp-web.js's Client replaced by a double that the test (as "WhatsApp") drives.
 */
describe('whatsapp-web.js: pairing, status machine, isolation and gap sync', () => {
  let t: TestHub;
  let phone: Phone;
  let admin: ApiClient;
  let id: number;
  const customer = '79161234567';
  /** Every status the channel reported, as `<status> <reason>`: the machine's path, not just where it is now. */
  const reported: Array<{ channelId: number; line: string }> = [];
  const history = { get length() { return since(0).length; } };
  const since = (mark: number) => reported.filter((r) => r.channelId === id).map((r) => r.line).slice(mark);
  const stored = (body: string) => messagesOf(t, id).then((ms) => ms.filter((m) => m.direction === 'in' && m.text === body));

  beforeAll(async () => {
    phone = await startPhone();
    t = await startHub();
    t.hub.registry.add(whatsappConnector({ dataDir: t.hub.config.dataDir }, {
      clientModule: DOUBLE, env: { WA_PHONE_PORT: String(phone.port) }, backoff: { baseMs: 100, maxMs: 400 }, snapshotEveryMs: 300,
    }));
    const channels = t.hub.channels;
    const setStatus = channels.setStatus.bind(channels);
    channels.setStatus = async (cid, status, reason) => {
      reported.push({ channelId: cid, line: `${status} ${reason}` });
      return setStatus(cid, status, reason);
    };
    admin = await login(t.url, t.admin.email, t.admin.password);
    id = await createChannel(admin, 'whatsapp', 'WhatsApp (phone)', {});
  });
  afterAll(async () => {
    await t?.stop();
    await phone?.close();
  });

  it('shows the QR code live, then connects once the phone scans it; the session lands in DATA_DIR', async () => {
    const waiting = await channelReaches(admin, id, 'needs_action', /^qr:2@1QR/);
    expect(waiting.statusReason).toContain('base64PublicKey=');
    phone.scan();
    await channelReaches(admin, id, 'connected', /^ready:15550001111$/);
    expect(since(0).map((h) => h.replace(/qr:.*/, 'qr:…'))).toEqual(['starting null', 'starting starting', 'needs_action qr:…', 'starting authenticated', 'connected ready:15550001111']);
    expect(existsSync(path.join(t.hub.config.dataDir, 'whatsapp', `session-channel-${id}`))).toBe(true);
    expect((await channelDto(admin, id)).capabilities).toMatchObject({ readReceipts: true, replyWindowHours: null, attachments: true });
  });

  it('ingests text, media, voice, location and contact cards; groups stay out by default', async () => {
    phone.incoming(customer, 'Hi, do you deliver?', { pushname: 'Ivan' });
    phone.incoming(customer, 'this one', { type: 'image', media: { mimetype: 'image/jpeg', data: Buffer.from('jpeg!').toString('base64'), filename: null } });
    phone.incoming(customer, '', { type: 'ptt', media: { mimetype: 'audio/ogg; codecs=opus', data: Buffer.from('opus').toString('base64'), filename: null } });
    phone.incoming(customer, '', { type: 'location', location: { latitude: '55.7558', longitude: '37.6173', name: 'Office' } });
    phone.incoming(customer, '', { type: 'vcard', vCards: ['BEGIN:VCARD\nVERSION:3.0\nFN:Olga K\nTEL;type=CELL;waid=79031234567:+7 903 123-45-67\nEND:VCARD'] });
    phone.incoming('120363025555555555', 'group chatter', { chatId: '120363025555555555@g.us', author: `${customer}@c.us` });
    phone.incoming(customer, 'last one');
    await eventually(async () => (await stored('last one')).length === 1, 'all in');
    const all = (await messagesOf(t, id)).filter((m) => m.direction === 'in');
    expect(all.map((m) => m.text)).toEqual(['Hi, do you deliver?', 'this one', '', 'Office\n📍 55.7558, 37.6173', '👤 Olga K +79031234567', 'last one']);
    const contact = await contactOf(t, all[0]!.conversationId);
    expect(contact).toMatchObject({ name: 'Ivan', phone: '+79161234567' });
    expect(new Set(all.map((m) => m.conversationId)).size).toBe(1);
    const files = await t.hub.db.manager.find(AttachmentEntity, { where: [{ messageId: all[1]!.id }, { messageId: all[2]!.id }], order: { id: 'ASC' } });
    expect(files.map((f) => f.mimeType)).toEqual(['image/jpeg', 'audio/ogg']);
    expect(all[2]!.meta).toMatchObject({ voice: true });
    expect(all[3]!.meta).toMatchObject({ location: { lat: 55.7558, lon: 37.6173 } });
  });

  it('sends text and media; acks become sent, delivered, read', async () => {
    const conv = (await stored('last one'))[0]!.conversationId;
    const r = await admin.call('POST', `/api/conversations/${conv}/messages`, { text: 'Yes, we do' });
    await eventually(async () => (await delivery(admin, conv, r.body.id))?.deliveryStatus === 'sent', 'sent');
    const out = phone.sent.find((m) => m.body === 'Yes, we do')!;
    expect(out.to).toBe(`${customer}@c.us`);
    phone.ack(out.id, 2);
    await eventually(async () => (await delivery(admin, conv, r.body.id))?.deliveryStatus === 'delivered', 'delivered');
    phone.ack(out.id, 3);
    await eventually(async () => (await delivery(admin, conv, r.body.id))?.deliveryStatus === 'read', 'read');

    const file = await upload(t.url, admin, 'price.pdf', 'application/pdf', Buffer.from('%PDF-1.4 price'));
    const r2 = await admin.call('POST', `/api/conversations/${conv}/messages`, { text: 'Our prices', attachmentIds: [file] });
    await eventually(async () => (await delivery(admin, conv, r2.body.id))?.deliveryStatus === 'sent', 'media sent');
    expect(phone.sent.at(-1)).toMatchObject({ type: 'document', body: 'Our prices', media: { mimetype: 'application/pdf', filename: 'price.pdf', size: 14 } });
  });

  it('a send whose worker dies after WhatsApp took it is not sent again on retry', async () => {
    const conv = (await stored('last one'))[0]!.conversationId;
    phone.crashAfterNextSend = true;
    const r = await admin.call('POST', `/api/conversations/${conv}/messages`, { text: 'only once, please' });
    await eventually(async () => (await delivery(admin, conv, r.body.id))?.deliveryStatus === 'sent', 'sent after the crash', 25_000);
    const copies = phone.sent.filter((m) => m.body === 'only once, please');
    expect(copies).toHaveLength(1);
    const msg = (await messagesOf(t, id)).find((m) => m.id === r.body.id)!;
    expect(msg.externalId).toBe(copies[0]!.id);
  });

  it('a crashed client process is restarted without a new QR, and the hub keeps serving meanwhile', async () => {
    await channelReaches(admin, id, 'connected');
    const qrs = phone.qrIssued;
    const mark = history.length;
    phone.crash();
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
    await eventually(() => since(mark).includes('connected ready:15550001111'), 'back');
    expect(since(mark)).toEqual(['error disconnected:worker killed by SIGKILL', 'starting reconnecting:1', 'starting authenticated', 'connected ready:15550001111']);
    expect(phone.qrIssued).toBe(qrs);
  });

  it('after a disconnect, messages missed meanwhile are fetched per chat; repeats are stored once', async () => {
    await channelReaches(admin, id, 'connected');
    const reconnect = async (reason: string) => {
      const mark = history.length;
      phone.disconnect(reason);
      await eventually(() => !phone.ready, 'client gone');
      return mark;
    };
    // WhatsApp does not push them this time: only the per-chat fetch after ready can find them.
    phone.pushMissed = false;
    const mark = await reconnect('CONFLICT');
    phone.incoming(customer, 'missed 1');
    phone.incoming(customer, 'missed 2');
    phone.incoming('4915112345678', 'missed in a new chat', { pushname: 'Max' });
    await eventually(() => since(mark).includes('connected ready:15550001111'), 'back');
    expect(since(mark).slice(0, 2)).toEqual(['error disconnected:CONFLICT', 'starting reconnecting:1']);
    await eventually(async () => (await stored('missed in a new chat')).length === 1 && (await stored('missed 2')).length === 1, 'gap filled');
    expect((await contactOf(t, (await stored('missed in a new chat'))[0]!.conversationId)).phone).toBe('+4915112345678');

    // Next time WhatsApp pushes everything it thinks undelivered as live events too: ingest absorbs them.
    phone.pushMissed = true;
    const mark2 = await reconnect('NAVIGATION');
    phone.incoming(customer, 'missed 3');
    await eventually(() => since(mark2).includes('connected ready:15550001111'), 'back again');
    await eventually(async () => (await stored('missed 3')).length === 1, 'missed 3');
    await new Promise((r) => setTimeout(r, 300));
    for (const body of ['missed 1', 'missed 2', 'missed 3', 'missed in a new chat', 'Hi, do you deliver?']) expect(await stored(body)).toHaveLength(1);
  });

  it('a phone that unlinks the device needs a new QR code', async () => {
    await channelReaches(admin, id, 'connected');
    const qrs = phone.qrIssued;
    const mark = history.length;
    await eventually(async () => await snapshotOf(t, id), 'a snapshot of the session');
    phone.logout();
    await channelReaches(admin, id, 'needs_action', /^qr:/);
    expect(since(mark)[0]).toBe('needs_action logged_out:LOGOUT');
    expect(phone.qrIssued).toBe(qrs + 1);
    // The dead session is gone from the database too: no node may start from it.
    expect(await snapshotOf(t, id)).toBeNull();
    phone.scan();
    await channelReaches(admin, id, 'connected');
    await eventually(async () => await snapshotOf(t, id), 'a snapshot of the new session');
  });
});

describe('whatsapp-web.js: the session moves with the channel', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'omniline-wa-'));
  let phone: Phone;
  let t: TestHub | null = null;
  const env = { WHATSAPP_CLIENT_MODULE: DOUBLE, WHATSAPP_SNAPSHOT_SECONDS: '1' };

  beforeAll(async () => {
    phone = await startPhone('15550002222');
    // The hub's own catalog starts the channel (as after a restart); its worker finds the double's peer here.
    process.env.WA_PHONE_PORT = String(phone.port);
  });
  afterAll(async () => {
    await t?.stop();
    await phone?.close();
    delete process.env.WA_PHONE_PORT;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a hub whose session folder was lost unpacks the sealed snapshot and connects without a new QR code', async () => {
    t = await startHub({ dataDir, env });
    const admin = await login(t.url, t.admin.email, t.admin.password);
    const id = await createChannel(admin, 'whatsapp', 'WhatsApp (moving)', {});
    await channelReaches(admin, id, 'needs_action', /^qr:/);
    phone.scan();
    await channelReaches(admin, id, 'connected', /^ready:15550002222$/);
    await eventually(async () => await snapshotOf(t!, id), 'a snapshot of the session');
    const qrs = phone.qrIssued;
    await t.stop();
    rmSync(path.join(dataDir, 'whatsapp'), { recursive: true, force: true });

    t = await startHub({ dataDir, env });
    const again = await login(t.url, t.admin.email, t.admin.password);
    await channelReaches(again, id, 'connected', /^ready:15550002222$/);
    expect(phone.qrIssued).toBe(qrs);
    expect(existsSync(path.join(dataDir, 'whatsapp', `session-channel-${id}`, 'Default', 'IndexedDB'))).toBe(true);
    phone.incoming('4917612345678', 'still reaching you?');
    await eventually(async () => (await messagesOf(t!, id)).some((m) => m.text === 'still reaching you?'), 'stored after the move');
  });
});

/** The channel's stored session snapshot (sealed), or null. */
async function snapshotOf(t: TestHub, channelId: number): Promise<string | null> {
  return (await t.hub.db.manager.findOneBy(ConnectorStateEntity, { channelId, key: 'sealed:session' }))?.value ?? null;
}
