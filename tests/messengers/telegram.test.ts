import { In } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fixtures from '../../connectors/telegram/fixtures/updates.json';
import { webhookSecret } from '../../connectors/telegram/settings.js';
import { LeadEntity } from '../../server/crm/lead.entity.js';
import { AttachmentEntity } from '../../server/attachments/attachment.entity.js';
import { eventually, login, type ApiClient } from '../helpers/clients.js';
import { startHub, type TestHub } from '../helpers/hub.js';
import { channelDto, channelReaches, contactOf, createChannel, delivery, inboundBy, messagesOf, upload } from './helpers.js';
import { startBotApi, type FakeBotApi } from './servers/bot-api.js';

const POLL_TOKEN = '700001:AAHpollingBotTokenForTests_0123456789';
const HOOK_TOKEN = '700002:AAHwebhookBotTokenForTests_012345678';

/** A fixture message moved to its own chat and message id, so each test owns its conversation. */
function message(name: keyof typeof fixtures, chatId: number, messageId: number, patch: Record<string, unknown> = {}) {
  const base = (fixtures[name] as { message?: Record<string, any>; edited_message?: Record<string, any> });
  const key = base.message ? 'message' : 'edited_message';
  const m = structuredClone(base[key]!);
  Object.assign(m, { message_id: messageId, chat: { ...m.chat, id: chatId }, from: m.from && { ...m.from, id: chatId } }, patch);
  if (m.contact?.user_id) m.contact.user_id = chatId;
  return { [key]: m };
}

describe('telegram: a bot channel against a local Bot API server', () => {
  let t: TestHub;
  let api: FakeBotApi;
  let admin: ApiClient;
  let pollId: number;
  const settings = (token: string, extra: Record<string, unknown> = {}) => ({ botToken: token, apiRoot: api.url, pollTimeoutSeconds: 1, ...extra });

  beforeAll(async () => {
    api = await startBotApi([{ token: POLL_TOKEN, username: 'omni_poll_bot' }, { token: HOOK_TOKEN, username: 'omni_hook_bot' }]);
    t = await startHub();
    admin = await login(t.url, t.admin.email, t.admin.password);
    pollId = await createChannel(admin, 'telegram', 'Shop bot', settings(POLL_TOKEN));
    await channelReaches(admin, pollId, 'connected', /omni_poll_bot via long polling/);
  });
  afterAll(async () => {
    await t?.stop();
    await api?.close();
  });

  it('checks the token with getMe before saving: which bot it is, or a clear error', async () => {
    const good = await admin.call('POST', '/api/channels/test', { type: 'telegram', settings: settings(POLL_TOKEN) });
    expect(good.body).toEqual({ ok: true, message: 'Connected to @omni_poll_bot (omni_poll_bot)' });
    const bad = await admin.call('POST', '/api/channels/test', { type: 'telegram', settings: settings('700003:AAHnotARealTokenAtAll_0123456789abc') });
    expect(bad.body.ok).toBe(false);
    expect(bad.body.message).toMatch(/rejected the bot token/);
    // Saving a token Telegram rejects is refused with the same reason, and nothing is created.
    const before = (await admin.call('GET', '/api/channels')).body.items.length;
    const refused = await admin.call('POST', '/api/channels', { type: 'telegram', name: 'Bad bot', lineId: 1, settings: settings('700003:AAHnotARealTokenAtAll_0123456789abc') });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/rejected the bot token/);
    expect((await admin.call('GET', '/api/channels')).body.items.length).toBe(before);
    const caps = (await channelDto(admin, pollId)).capabilities;
    expect(caps).toMatchObject({ maxTextLength: 4096, attachments: true, replyWindowHours: null });
  });

  it('ingests private chat messages of every kind, with /start as the lead source and shared phones in the CRM', async () => {
    const chat = 8100;
    const file = (id: string, path: string) => api.addFile(POLL_TOKEN, id, Buffer.from(`bytes of ${id}`), path);
    file('AgAD-large', 'photos/file_1.jpg');
    file('BQAD-doc', 'documents/file_2.pdf');
    file('AwAD-voice', 'voice/file_3.oga');
    file('BAAD-video', 'videos/file_4.mp4');
    file('AAMC-thumb', 'thumbnails/file_5.webp');
    api.push(POLL_TOKEN, message('start', chat, 1));
    for (const [i, kind] of (['text', 'photo', 'document', 'voice', 'video', 'sticker', 'location', 'contact', 'poll'] as const).entries()) {
      api.push(POLL_TOKEN, message(kind, chat, 2 + i));
    }
    const stored = await eventually(async () => {
      const all = (await messagesOf(t, pollId)).filter((m) => m.externalId?.startsWith(`${chat}:`));
      return all.length === 10 && all;
    }, 'ten messages');
    expect(stored.map((m) => m.externalId)).toEqual(Array.from({ length: 10 }, (_, i) => `${chat}:${i + 1}`));
    const byId = (n: number) => stored.find((m) => m.externalId === `${chat}:${n}`)!;
    expect(byId(1).text).toBe('/start spring-ad_42');
    const conv = byId(1).conversationId;
    expect((await t.hub.db.manager.findOneByOrFail(LeadEntity, { contactId: (await contactOf(t, conv)).id })).source).toBe('spring-ad_42');
    const files = await t.hub.db.manager.find(AttachmentEntity, { where: { messageId: In(stored.map((m) => m.id)) } });
    const fileOf = (n: number) => files.find((f) => f.messageId === byId(n).id);
    expect(fileOf(3)).toMatchObject({ mimeType: 'image/jpeg', size: 'bytes of AgAD-large'.length });
    expect(fileOf(4)).toMatchObject({ fileName: 'invoice.pdf', mimeType: 'application/pdf' });
    expect(fileOf(5)).toMatchObject({ mimeType: 'audio/ogg' });
    expect(fileOf(6)).toMatchObject({ fileName: 'clip.mp4' });
    expect(fileOf(7)).toMatchObject({ mimeType: 'image/webp' });
    expect(byId(8).meta).toMatchObject({ location: { lat: 55.755826, lon: 37.6173 } });
    const contact = await contactOf(t, conv);
    expect(contact.phone).toBe('+79161234567');
    // The shared number joins the CRM identities: the same person writing over WhatsApp is this contact.
    const ids = (await admin.call('GET', `/api/contacts/${contact.id}`)).body.identities.map((i: { channelType: string; externalId: string }) => `${i.channelType}:${i.externalId}`);
    expect(ids).toEqual(expect.arrayContaining(['whatsapp:+79161234567', 'whatsapp_cloud:+79161234567']));
    expect(byId(10).meta).toMatchObject({ unsupported: 'poll' });
    expect(new Set(stored.map((m) => m.conversationId)).size).toBe(1);

    api.push(POLL_TOKEN, message('edited', chat, 2));
    await eventually(async () => (await inboundBy(t, pollId, `${chat}:2`))[0]?.text === 'Hello, is the red bike still available?', 'edited text');
  });

  it('ignores group chats by default', async () => {
    api.push(POLL_TOKEN, message('group', -100777, 1, { from: { id: 42, is_bot: false, first_name: 'Boris' } }));
    api.push(POLL_TOKEN, message('text', 8101, 1));
    await eventually(async () => (await inboundBy(t, pollId, '8101:1')).length === 1, 'later private message');
    expect(await inboundBy(t, pollId, '-100777:1')).toEqual([]);
  });

  it('stores an update delivered twice once', async () => {
    const twice = message('text', 8102, 1);
    api.push(POLL_TOKEN, twice);
    api.push(POLL_TOKEN, twice);
    api.push(POLL_TOKEN, message('text', 8102, 2));
    await eventually(async () => (await inboundBy(t, pollId, '8102:2')).length === 1, 'the message after');
    expect(await inboundBy(t, pollId, '8102:1')).toHaveLength(1);
  });

  it('moves the offset only after commit: a crash after commit re-delivers, and the repeat is absorbed', async () => {
    const ingest = t.hub.ingest;
    const real = ingest.ingest.bind(ingest);
    let crashes = 1;
    ingest.ingest = async (m) => {
      const r = await real(m);
      if (m.externalId === '8103:1' && crashes-- > 0) throw new Error('process died after commit');
      return r;
    };
    try {
      const id = api.push(POLL_TOKEN, message('text', 8103, 1));
      await eventually(() => !api.bot(POLL_TOKEN).pending.some((u) => u.update_id === id), 'update confirmed by a later offset', 15_000);
      expect(crashes).toBe(-1);
      expect(await inboundBy(t, pollId, '8103:1')).toHaveLength(1);
    } finally {
      ingest.ingest = real;
    }
  });

  it('a connector stopped between receive and commit gets the update again after restart', async () => {
    const bot = api.bot(POLL_TOKEN);
    let release!: () => void;
    bot.fileGate = new Promise((r) => (release = r));
    api.addFile(POLL_TOKEN, 'held-photo', Buffer.from('held'), 'photos/held.jpg');
    const requests = bot.fileRequests;
    api.push(POLL_TOKEN, message('photo', 8104, 1, { photo: [{ file_id: 'held-photo', file_unique_id: 'uheld', width: 1, height: 1 }] }));
    await eventually(() => bot.fileRequests > requests, 'download started');
    expect((await admin.call('PATCH', `/api/channels/${pollId}`, { enabled: false })).status).toBe(200);
    expect(await inboundBy(t, pollId, '8104:1')).toEqual([]);
    bot.fileGate = null;
    release();
    expect((await admin.call('PATCH', `/api/channels/${pollId}`, { enabled: true })).status).toBe(200);
    await eventually(async () => (await inboundBy(t, pollId, '8104:1')).length === 1, 'stored after restart', 15_000);
  });

  it('sends replies: long text split, photos and documents, 429 waits and retries, 403 fails with the reason', async () => {
    const bot = api.bot(POLL_TOKEN);
    api.push(POLL_TOKEN, message('text', 8105, 1));
    const inbound = await eventually(async () => (await inboundBy(t, pollId, '8105:1'))[0], 'inbound');
    const conv = inbound.conversationId;
    const long = Array.from({ length: 1500 }, (_, i) => `word${i}`).join(' ');
    const r1 = await admin.call('POST', `/api/conversations/${conv}/messages`, { text: long });
    await eventually(async () => (await delivery(admin, conv, r1.body.id))?.deliveryStatus === 'sent', 'long text sent');
    const texts = bot.sent.filter((s) => s.chat_id === '8105' && s.method === 'sendMessage');
    expect(texts.length).toBeGreaterThan(1);
    expect(texts.every((s) => s.text!.length <= 4096)).toBe(true);
    expect(texts.map((s) => s.text).join(' ')).toBe(long);

    const photo = await upload(t.url, admin, 'bike.png', 'image/png', Buffer.from('png-bytes'));
    const doc = await upload(t.url, admin, 'terms.pdf', 'application/pdf', Buffer.from('%PDF-1.4'));
    const r2 = await admin.call('POST', `/api/conversations/${conv}/messages`, { text: 'Here it is', attachmentIds: [photo, doc] });
    await eventually(async () => (await delivery(admin, conv, r2.body.id))?.deliveryStatus === 'sent', 'files sent');
    const files = bot.sent.filter((s) => s.chat_id === '8105' && s.method !== 'sendMessage');
    expect(files).toMatchObject([{ method: 'sendPhoto', caption: 'Here it is', file: { name: 'bike.png', size: 9 } }, { method: 'sendDocument', file: { name: 'terms.pdf' } }]);

    bot.failures.set('8105', [{ code: 429, description: 'Too Many Requests: retry after 1', retry_after: 1 }]);
    const r3 = await admin.call('POST', `/api/conversations/${conv}/messages`, { text: 'after the flood' });
    await eventually(async () => (await delivery(admin, conv, r3.body.id))?.deliveryStatus === 'sent', 'sent after 429', 15_000);
    expect(bot.sent.filter((s) => s.text === 'after the flood')).toHaveLength(1);

    bot.failures.set('8105', [{ code: 403, description: 'Forbidden: bot was blocked by the user' }]);
    const r4 = await admin.call('POST', `/api/conversations/${conv}/messages`, { text: 'are you there?' });
    const failed = await eventually(async () => {
      const d = await delivery(admin, conv, r4.body.id);
      return d?.deliveryStatus === 'failed' && d;
    }, 'failed');
    expect(failed.deliveryError).toBe('Telegram: Forbidden: bot was blocked by the user');
  });

  it('webhook mode: registers the hook with a secret; a wrong or missing secret is 401 and nothing is stored', async () => {
    const hookId = await createChannel(admin, 'telegram', 'Hook bot', settings(HOOK_TOKEN, { mode: 'webhook' }));
    await channelReaches(admin, hookId, 'connected', /via webhook/);
    const hook = api.bot(HOOK_TOKEN).webhook!;
    expect(hook.url).toBe(`${t.hub.config.publicUrl}/hooks/telegram/${hookId}`);
    expect(hook.secret_token).toBe(webhookSecret(HOOK_TOKEN, hookId));
    const post = (body: unknown, secret?: string) => fetch(`${t.url}/hooks/telegram/${hookId}`, {
      method: 'POST', headers: { 'content-type': 'application/json', ...(secret ? { 'x-telegram-bot-api-secret-token': secret } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const update = { update_id: 500, ...message('text', 8200, 1) };
    expect((await post(update, 'wrong-secret')).status).toBe(401);
    expect((await post(update)).status).toBe(401);
    expect(await inboundBy(t, hookId, '8200:1')).toEqual([]);
    expect((await post('{not json', hook.secret_token)).status).toBe(400);
    expect((await post(update, hook.secret_token)).status).toBe(200);
    expect((await post(update, hook.secret_token)).status).toBe(200);
    expect(await inboundBy(t, hookId, '8200:1')).toHaveLength(1);
  });
});
