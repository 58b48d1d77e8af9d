import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationEntity } from '../../server/conversations/conversation.entity.js';
import { MessageEntity } from '../../server/conversations/message.entity.js';
import { eventually, login, operatorSocket, visitor, type ApiClient } from '../helpers/clients.js';
import { startHub, type TestHub } from '../helpers/hub.js';

describe('bad input gets a JSON error and changes nothing', () => {
  let t: TestHub;
  let admin: ApiClient;
  let convId: number;
  beforeAll(async () => {
    t = await startHub();
    admin = await login(t.url, t.admin.email, t.admin.password);
    convId = (await t.hub.ingest.ingest({ channelId: t.demoChannelId, externalId: 'x1', sender: { externalId: 'v' }, text: 'hi' })).conversationId;
    // The automation listener notes when the dialog started (in or out of hours) just after ingest; let it land
    // before the "nothing changed" snapshots are taken.
    await eventually(async () => (await t.hub.db.manager.findOneByOrFail(ConversationEntity, { id: convId })).flags.startedOutOfHours !== undefined, 'automation');
  });
  afterAll(() => t.stop());

  const snapshot = async () => ({
    messages: await t.hub.db.manager.count(MessageEntity),
    conv: await t.hub.db.manager.findOneByOrFail(ConversationEntity, { id: convId }),
  });

  it.each([
    ['POST', '/api/auth/login', { email: 'not-an-email', password: 'x' }, 400, 'validation_failed'],
    ['POST', '/api/auth/login', '{"email": ', 400, 'bad_request'],
    ['POST', '/api/users', { email: 'u@test.local', name: 'U', password: 'short' }, 400, 'validation_failed'],
    ['POST', '/api/users', { email: 'u@test.local', name: 'U', password: 'long-enough-1', role: 'god' }, 400, 'validation_failed'],
    ['PATCH', '/api/users/1', { unknownField: true }, 400, 'validation_failed'],
    ['POST', '/api/lines', { name: '' }, 400, 'validation_failed'],
    ['POST', '/api/lines', { name: 'L', memberIds: [99999] }, 400, 'validation_failed'],
    ['POST', '/api/channels', { type: 'fax', name: 'F', lineId: 1 }, 400, 'validation_failed'],
    ['POST', '/api/channels', { type: 'webchat', name: 'W', lineId: 1, settings: { color: 'red' } }, 400, 'validation_failed'],
    ['POST', '/api/channels', { type: 'webchat', name: 'W', lineId: 1, settings: { allowedOrigins: ['javascript:alert(1)'] } }, 400, 'validation_failed'],
    ['POST', '/api/channels/test', { type: 'webchat', settings: { color: 'red' } }, 400, 'validation_failed'],
    ['GET', '/api/conversations?limit=100000', undefined, 400, 'validation_failed'],
    ['GET', '/api/conversations?cursor=1%3B%20DROP%20TABLE%20messages', undefined, 400, 'validation_failed'],
    ['GET', '/api/conversations/abc', undefined, 404, 'not_found'],
    ['GET', '/api/conversations/999999', undefined, 404, 'not_found'],
    ['POST', '/api/conversations/CONV/messages', { text: '   ' }, 400, 'validation_failed'],
    ['POST', '/api/conversations/CONV/messages', { text: 'x'.repeat(20_001) }, 400, 'validation_failed'],
    ['POST', '/api/conversations/CONV/messages', { text: 'x', attachmentIds: [123456] }, 400, 'validation_failed'],
    ['POST', '/api/conversations/CONV/notes', { text: '' }, 400, 'validation_failed'],
    ['POST', '/api/conversations/CONV/assign', { assigneeId: 'me' }, 400, 'validation_failed'],
    ['POST', '/api/conversations/CONV/assign', { assigneeId: 424242 }, 400, 'validation_failed'],
    ['POST', '/api/conversations/CONV/reopen', undefined, 409, 'conflict'],
    ['PATCH', '/api/contacts/1', { email: 'nope' }, 400, 'validation_failed'],
    ['PATCH', '/api/leads/1', { status: 'won' }, 400, 'validation_failed'],
    ['GET', '/api/no-such-route', undefined, 404, 'not_found'],
  ])('%s %s → %i %s', async (method, path, body, status, code) => {
    const before = await snapshot();
    const r = await admin.call(method, path.replace('CONV', String(convId)), body);
    expect(r.status).toBe(status);
    expect(r.body.error).toMatchObject({ code });
    expect(typeof r.body.error.message).toBe('string');
    expect(await snapshot()).toEqual(before);
  });

  it('channel settings can be tried before saving', async () => {
    const r = await admin.call('POST', '/api/channels/test', { type: 'webchat', settings: { title: 'Hi' } });
    expect(r.body).toEqual({ ok: true, message: 'The settings are valid; this channel has nothing to connect to' });
  });

  it('an oversized JSON body is refused', async () => {
    const r = await admin.call('POST', `/api/conversations/${convId}/notes`, JSON.stringify({ text: 'x'.repeat(300_000) }));
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('payload_too_large');
  });

  it('malformed socket payloads get error acknowledgements and change nothing', async () => {
    const before = await snapshot();
    const op = await operatorSocket(t.url, admin.cookie);
    const typing = await new Promise<any>((r) => op.socket.emit('typing', { conversationId: 'x', typing: 1 } as never, r));
    expect(typing).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    const hidden = await new Promise<any>((r) => op.socket.emit('typing', { conversationId: 999999, typing: true, mode: 'reply' }, r));
    expect(hidden).toMatchObject({ ok: false, error: { code: 'not_found' } });
    op.socket.close();

    const v = await visitor(t.url, t.demoWidgetKey);
    for (const bad of [{}, { clientId: 'short', text: 'x' }, { clientId: 'valid-client-id-1', text: '   ' }, { clientId: 'bad id with spaces', text: 'x' },
      { clientId: 'valid-client-id-2', text: 'x'.repeat(5001) }, 'a string', null]) {
      const ack = await new Promise<any>((r) => v.socket.emit('send', bad as never, r));
      expect(ack.ok).toBe(false);
      expect(ack.error.code).toBe('validation_failed');
    }
    const sync = await new Promise<any>((r) => v.socket.emit('sync', { afterId: 'zero' } as never, r));
    expect(sync.ok).toBe(false);
    v.socket.close();
    expect(await snapshot()).toEqual(before);
  });

  it('a visitor flooding messages is told to slow down', async () => {
    const v = await visitor(t.url, t.demoWidgetKey);
    const acks = [];
    for (let i = 0; i < 22; i++) acks.push(await v.send(`flood ${i}`));
    expect(acks.filter((a) => a.ok)).toHaveLength(20);
    expect(acks.at(-1)).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    v.socket.close();
  });

  it('a visitor socket with a forged token or unknown key is refused', async () => {
    const { io } = await import('socket.io-client');
    for (const auth of [{ key: t.demoWidgetKey, token: 'eyJjIjoxLCJ2IjoieCJ9.forged-signature' }, { key: 'unknown-key-123', token: 'whatever-token' }, {}]) {
      const s = io(`${t.url}/visitor`, { transports: ['websocket'], auth, reconnection: false, forceNew: true });
      const err = await new Promise<Error>((r) => s.once('connect_error', r));
      expect(err.message).toMatch(/token|key/);
      s.close();
    }
  });
});
