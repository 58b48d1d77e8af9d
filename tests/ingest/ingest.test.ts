import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContactEntity, ContactIdentityEntity } from '../../server/contacts/contact.entity.js';
import { ConversationEntity } from '../../server/conversations/conversation.entity.js';
import { MessageEntity } from '../../server/conversations/message.entity.js';
import { LeadEntity } from '../../server/crm/lead.entity.js';
import { EventEntity } from '../../server/events/event.entity.js';
import { startHub, type TestHub } from '../helpers/hub.js';
import { postgresAvailable } from '../helpers/postgres.js';

const databases = ['sqlite', ...((await postgresAvailable()) ? ['postgres' as const] : [])] as const;

describe.each(databases)('ingest on %s', (database) => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startHub({ database });
  });
  afterAll(() => t.stop());

  const inbound = (sender: string, externalId: string, text = 'hello') => ({
    channelId: t.demoChannelId, externalId, sender: { externalId: sender, name: 'Bob' }, text,
  });

  it('stores the same provider message once, however often it is delivered', async () => {
    const first = await t.hub.ingest.ingest(inbound('v-dup', 'm-1'));
    const again = await t.hub.ingest.ingest(inbound('v-dup', 'm-1'));
    const concurrent = await Promise.all(Array.from({ length: 10 }, () => t.hub.ingest.ingest(inbound('v-dup', 'm-2'))));
    expect(first.duplicate).toBe(false);
    expect(again).toEqual({ ...first, duplicate: true });
    expect(new Set(concurrent.map((r) => r.messageId)).size).toBe(1);
    expect(concurrent.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(await t.hub.db.manager.countBy(MessageEntity, { conversationId: first.conversationId })).toBe(2);
  });

  it('50 concurrent first messages from one client open one conversation with 50 messages and one lead', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => t.hub.ingest.ingest(inbound('v-burst', `burst-${i}`, `msg ${i}`))));
    const m = t.hub.db.manager;
    expect(new Set(results.map((r) => r.conversationId)).size).toBe(1);
    expect(new Set(results.map((r) => r.contactId)).size).toBe(1);
    const convId = results[0]!.conversationId;
    const contactId = results[0]!.contactId;
    expect(await m.countBy(ConversationEntity, { contactId })).toBe(1);
    expect(await m.countBy(MessageEntity, { conversationId: convId })).toBe(50);
    expect(await m.countBy(LeadEntity, { contactId })).toBe(1);
    expect(await m.countBy(ContactIdentityEntity, { externalId: 'v-burst' })).toBe(1);
    const conv = await m.findOneByOrFail(ConversationEntity, { id: convId });
    expect(conv.unreadCount).toBe(50);
  });

  it('a burst from many clients in their live dialogs, some delivered twice: each message stored once, every dialog counts all of its own', async () => {
    const clients = Array.from({ length: 30 }, (_, i) => `v-many-${i}`);
    const firsts = await Promise.all(clients.map((c) => t.hub.ingest.ingest(inbound(c, `${c}-0`, 'first'))));
    const burst = clients.flatMap((c) => [1, 2, 3].map((k) => inbound(c, `${c}-${k}`, `message ${k}`)));
    // Two clients give their e-mail in the burst: filling their contact, those ingests run alone.
    const giving = [burst[7]!, burst[20]!];
    for (const m of giving) Object.assign(m.sender, { email: `${m.sender.externalId}@example.com` });
    const delivered = [...burst, ...burst.slice(0, 10)];
    const results = await Promise.all(delivered.map((m) => t.hub.ingest.ingest(m)));
    expect(results.filter((r) => !r.duplicate)).toHaveLength(burst.length);
    expect(new Set(results.map((r) => r.messageId)).size).toBe(burst.length);
    const m = t.hub.db.manager;
    for (const [i, c] of clients.entries()) {
      const conv = await m.findOneByOrFail(ConversationEntity, { id: firsts[i]!.conversationId });
      expect(conv.unreadCount).toBe(4);
      expect(await m.countBy(MessageEntity, { conversationId: conv.id })).toBe(4);
      expect(results.filter((r) => r.conversationId === conv.id)).toHaveLength(delivered.filter((d) => d.sender.externalId === c).length);
    }
    for (const g of giving) {
      const contactId = results[burst.indexOf(g)]!.contactId;
      expect((await m.findOneByOrFail(ContactEntity, { id: contactId })).email).toBe(`${g.sender.externalId}@example.com`);
    }
    const created = await m.find(EventEntity, { where: { type: 'message.created' } });
    for (const r of results.filter((x) => !x.duplicate)) {
      expect(created.filter((e) => (e.payload as { message: { id: number } }).message.id === r.messageId)).toHaveLength(1);
    }
  });

  it('event sequences are strictly increasing and gap-free in commit order', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => t.hub.ingest.ingest(inbound(`v-seq-${i % 4}`, `seq-${i}`))));
    const seqs = (await t.hub.db.manager.find(EventEntity, { order: { seq: 'ASC' } })).map((e) => e.seq);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBe(seqs[i - 1]! + 1);
  });

  it('gives a message an id never used before, even when the newest message was deleted; its event names that id', async () => {
    const first = await t.hub.ingest.ingest(inbound('v-ids', 'ids-1'));
    const second = await t.hub.ingest.ingest(inbound('v-ids', 'ids-2'));
    await t.hub.db.write((tx) => tx.sql('DELETE FROM messages WHERE id = ?', [second.messageId]));
    const third = await t.hub.ingest.ingest(inbound('v-ids', 'ids-3', 'after the deletion'));
    expect(second.messageId).toBeGreaterThan(first.messageId);
    expect(third.messageId).toBeGreaterThan(second.messageId);
    const stored = await t.hub.db.manager.findOneByOrFail(MessageEntity, { id: third.messageId });
    expect(stored.text).toBe('after the deletion');
    const [event] = await t.hub.db.manager.find(EventEntity, { where: { type: 'message.created', conversationId: third.conversationId }, order: { seq: 'DESC' }, take: 1 });
    expect((event!.payload as { message: { id: number; text: string } }).message).toMatchObject({ id: third.messageId, text: 'after the deletion' });
  });

  it('a lead is not created when the line says so, nor a second one while one is open', async () => {
    const line = await t.hub.lines.create({ name: 'No CRM', crm: { createLead: false, sourceName: '' } });
    const ch = await t.hub.channels.create({ type: 'webchat', name: 'Quiet chat', lineId: line.id });
    const r = await t.hub.ingest.ingest({ channelId: ch.id, externalId: 'q-1', sender: { externalId: 'v-quiet' }, text: 'hi' });
    expect(await t.hub.db.manager.countBy(LeadEntity, { contactId: r.contactId })).toBe(0);
    const again = await t.hub.ingest.ingest(inbound('v-dup', 'm-3'));
    expect(await t.hub.db.manager.countBy(LeadEntity, { contactId: again.contactId })).toBe(1);
  });

  it('rejects a malformed inbound message and stores nothing', async () => {
    const before = await t.hub.db.manager.count(MessageEntity);
    await expect(t.hub.ingest.ingest({ channelId: t.demoChannelId, externalId: '', sender: { externalId: 'x' } })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(t.hub.ingest.ingest(inbound('v-x', 'a', 'x'.repeat(100_001)))).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(t.hub.ingest.ingest({ ...inbound('v-x', 'b'), channelId: 999_999 })).rejects.toMatchObject({ code: 'not_found' });
    await expect(t.hub.ingest.ingest({ ...inbound('v-x', 'c'), attachmentIds: [424242] })).rejects.toMatchObject({ code: 'validation_failed' });
    expect(await t.hub.db.manager.count(MessageEntity)).toBe(before);
    expect(await t.hub.db.manager.countBy(ContactEntity, { name: 'Bob' })).toBeGreaterThan(0);
  });
});
