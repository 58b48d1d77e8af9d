import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageEntity } from '../../server/conversations/message.entity.js';
import { OutboxEntity } from '../../server/outbox/outbox.entity.js';
import { eventually, login, operatorSocket, visitor, type ApiClient } from '../helpers/clients.js';
import { startHub, type TestHub } from '../helpers/hub.js';

describe('internal notes never leave the hub', () => {
  let t: TestHub;
  let admin: ApiClient;
  beforeAll(async () => {
    t = await startHub();
    admin = await login(t.url, t.admin.email, t.admin.password);
  });
  afterAll(() => t.stop());

  it('reaches colleagues but not the visitor namespace, the outbox, nor the transcript', async () => {
    const v = await visitor(t.url, t.demoWidgetKey);
    const everything: unknown[] = [];
    v.socket.onAny((...args) => everything.push(args));
    const sent = await v.send('I need help');
    if (!sent.ok) throw new Error(sent.error.message);
    const op = await operatorSocket(t.url, admin.cookie);
    const page = await admin.call('GET', '/api/conversations?scope=queue');
    const conv = page.body.items[0];

    const note = await admin.call('POST', `/api/conversations/${conv.id}/notes`, { text: 'SECRET: customer is a churn risk' });
    expect(note.status).toBe(201);
    expect(note.body).toMatchObject({ visibility: 'internal', deliveryStatus: null });
    expect(await t.hub.db.manager.countBy(OutboxEntity, { messageId: note.body.id })).toBe(0);
    await eventually(() => op.events.some((e) => e.type === 'message.created' && e.payload.message.id === note.body.id), 'note at colleague');

    await admin.call('POST', `/api/conversations/${conv.id}/messages`, { text: 'public answer' });
    await eventually(() => v.received.some((m) => m.text === 'public answer'), 'public reply');
    await t.hub.outbox.drain();
    expect(JSON.stringify(everything)).not.toContain('SECRET');

    const transcript = await v.history(0);
    if (!transcript.ok) throw new Error(transcript.error.message);
    expect(transcript.messages.map((m) => m.text)).toEqual(['I need help', 'public answer']);
    v.socket.close();
    op.socket.close();
  });

  it('the outbox refuses a note even when handed one directly', async () => {
    const page = await admin.call('GET', '/api/conversations?scope=all');
    const conv = page.body.items[0];
    const note = await admin.call('POST', `/api/conversations/${conv.id}/notes`, { text: 'another secret' });
    const msg = await t.hub.db.manager.findOneByOrFail(MessageEntity, { id: note.body.id });
    await expect(t.hub.db.write((tx) => t.hub.outbox.enqueue(tx, msg))).rejects.toThrow(/only public outbound/);
    expect(await t.hub.db.manager.countBy(OutboxEntity, { messageId: msg.id })).toBe(0);
  });
});
