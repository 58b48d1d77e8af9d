import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ConnectorContext, ConnectorDefinition } from '../../connectors/contract.js';
import { SendError } from '../../connectors/contract.js';
import type { OutboundMessage } from '../../shared/outbound.js';
import { ConnectorStateEntity } from '../../server/channels/connector-state.entity.js';
import { MessageEntity } from '../../server/conversations/message.entity.js';
import { LeadEntity } from '../../server/crm/lead.entity.js';
import { eventually, login, type ApiClient } from '../helpers/clients.js';
import { startHub, type TestHub } from '../helpers/hub.js';

/** A connector whose provider is this test: it records what the hub hands it and answers webhooks. */
function scripted() {
  const seen: { ctx: ConnectorContext | null; sent: OutboundMessage[]; failNext: SendError | null } = { ctx: null, sent: [], failNext: null };
  const def: ConnectorDefinition<{ token: string }> = {
    type: 'sip', settings: z.object({ token: z.string().min(3) }), secretFields: ['token'], usesPublicKey: false,
    capabilities: () => ({ attachments: false, maxTextLength: 1000, maxAttachmentBytes: 0, edits: true, readReceipts: true, typing: false, replyWindowHours: null }),
    create: (_channel, settings, ctx) => ({
      async start() {
        seen.ctx = ctx;
        ctx.reportStatus('connected');
      },
      async stop() {},
      async send(m) {
        if (seen.failNext) throw seen.failNext;
        seen.sent.push(m);
        return { externalId: `out-${m.messageId}` };
      },
      webhook(req, res) {
        if (req.headers['x-token'] !== settings.token) return void res.status(401).json({ error: 'bad signature' });
        res.json({ bytes: (req.body as Buffer).length, isBuffer: Buffer.isBuffer(req.body), path: req.path });
      },
    }),
  };
  return { def, seen };
}

describe('connector host: what a connector may ask of the hub', () => {
  let t: TestHub;
  let admin: ApiClient;
  let channelId: number;
  const s = scripted();
  beforeAll(async () => {
    t = await startHub();
    t.hub.registry.add(s.def);
    admin = await login(t.url, t.admin.email, t.admin.password);
    const created = await admin.call('POST', '/api/channels', { type: 'sip', name: 'Scripted', lineId: 1, settings: { token: 'sekrit' } });
    channelId = created.body.id;
    expect(created.body.settings.token).toBe('********');
    await eventually(() => s.seen.ctx, 'connector started');
  });
  afterAll(() => t.stop());

  it('keeps durable state per channel', async () => {
    const ctx = s.seen.ctx!;
    expect(await ctx.state.get('uid')).toBeNull();
    await ctx.state.set('uid', '41');
    await ctx.state.set('uid', '42');
    expect(await ctx.state.get('uid')).toBe('42');
  });

  it('keeps secret state sealed at rest, apart from plain state, and forgets it on null', async () => {
    const ctx = s.seen.ctx!;
    const session = Buffer.concat([Buffer.from('device-key:'), Buffer.from([0, 1, 254, 255])]);
    expect(await ctx.secrets.get('session')).toBeNull();
    await ctx.secrets.set('session', session);
    expect((await ctx.secrets.get('session'))!.equals(session)).toBe(true);
    expect(await ctx.state.get('session')).toBeNull();
    const rows = await t.hub.db.manager.findBy(ConnectorStateEntity, { channelId });
    const stored = rows.find((r) => r.key.endsWith('session'))!;
    expect(stored.value).toMatch(/^v1\./);
    expect(stored.value).not.toContain('device-key');
    expect(Buffer.from(stored.value.split('.')[3]!, 'base64url').includes(Buffer.from('device-key'))).toBe(false);
    await ctx.secrets.set('session', null);
    expect(await ctx.secrets.get('session')).toBeNull();
    expect(await t.hub.db.manager.countBy(ConnectorStateEntity, { channelId, key: stored.key })).toBe(0);
  });

  it('records a lead source from the message and follows customer edits', async () => {
    const ctx = s.seen.ctx!;
    const r = await ctx.ingest({ externalId: 'p-1', sender: { externalId: 'caller-1' }, text: 'first', meta: { leadSource: 'spring-ad' } });
    expect((await t.hub.db.manager.findOneByOrFail(LeadEntity, { contactId: r.contactId })).source).toBe('spring-ad');
    await ctx.editMessage('p-1', 'first, edited');
    const m = await t.hub.db.manager.findOneByOrFail(MessageEntity, { id: r.messageId });
    expect(m.text).toBe('first, edited');
    expect(m.meta.previousTexts).toEqual(['first']);
  });

  it('hands webhooks the raw body; unknown channels and types are 404', async () => {
    const ok = await fetch(`${t.url}/hooks/sip/${channelId}/voice`, { method: 'POST', headers: { 'x-token': 'sekrit', 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1&b=2' });
    expect(await ok.json()).toEqual({ bytes: 7, isBuffer: true, path: '/voice' });
    expect((await fetch(`${t.url}/hooks/sip/${channelId}/voice`, { method: 'POST', body: 'x' })).status).toBe(401);
    expect((await fetch(`${t.url}/hooks/email/${channelId}`, { method: 'POST', body: 'x' })).status).toBe(404);
    expect((await fetch(`${t.url}/hooks/sip/99999`, { method: 'POST', body: 'x' })).status).toBe(404);
  });

  it('delivers replies with threading context; a permanent failure is shown with its reason; statuses move forward only', async () => {
    const ctx = s.seen.ctx!;
    const r = await ctx.ingest({ externalId: 'p-2', sender: { externalId: 'caller-2' }, text: 'hello', meta: { subject: 'Bike' } });
    const reply = await admin.call('POST', `/api/conversations/${r.conversationId}/messages`, { text: 'hi back' });
    const out = await eventually(() => s.seen.sent.find((m) => m.messageId === reply.body.id), 'sent');
    expect(out).toMatchObject({ recipientExternalId: 'caller-2', inReplyTo: { externalId: 'p-2', meta: { subject: 'Bike' } }, references: ['p-2'] });
    expect(t.hub.replyTokens.read(out.replyToken)).toBe(r.conversationId);

    await ctx.updateDelivery(`out-${reply.body.id}`, 'read');
    await ctx.updateDelivery(`out-${reply.body.id}`, 'delivered');
    const page = await admin.call('GET', `/api/conversations/${r.conversationId}/messages`);
    expect(page.body.items[0].deliveryStatus).toBe('read');

    s.seen.failNext = new SendError('Recipient blocked the bot', false);
    const doomed = await admin.call('POST', `/api/conversations/${r.conversationId}/messages`, { text: 'are you there?' });
    await eventually(async () => {
      const p = await admin.call('GET', `/api/conversations/${r.conversationId}/messages`);
      const m = p.body.items.find((x: { id: number }) => x.id === doomed.body.id);
      return m.deliveryStatus === 'failed' && m.deliveryError === 'Recipient blocked the bot';
    }, 'failed with reason');
    s.seen.failNext = null;
  });
});
