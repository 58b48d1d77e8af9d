import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxEntity } from '../../server/outbox/outbox.entity.js';
import { backoffMs } from '../../server/outbox/backoff.js';
import { eventually, login, visitor, type ApiClient } from '../helpers/clients.js';
import { startHub, type TestHub } from '../helpers/hub.js';
import { postgresAvailable } from '../helpers/postgres.js';

const databases = ['sqlite', ...((await postgresAvailable()) ? ['postgres' as const] : [])] as const;

describe.each(databases)('outbox: durable delivery with retries (%s)', (database) => {
  let t: TestHub;
  let admin: ApiClient;
  beforeAll(async () => {
    t = await startHub({ database, hub: { outbox: { baseDelayMs: 20, maxAttempts: 3, pollMs: 50 } } });
    admin = await login(t.url, t.admin.email, t.admin.password);
  });
  afterAll(() => t.stop());

  const message = async (id: number) => (await admin.call('GET', `/api/conversations/${id}/messages`)).body.items[0];

  it('retries while the channel is down, fails with the reason after the last attempt, and sends on retry', async () => {
    const v = await visitor(t.url, t.demoWidgetKey);
    await v.send('are you there?');
    const conv = (await admin.call('GET', '/api/conversations?scope=queue')).body.items[0];
    await admin.call('PATCH', `/api/channels/${t.demoChannelId}`, { enabled: false });

    const reply = await admin.call('POST', `/api/conversations/${conv.id}/messages`, { text: 'yes!' });
    expect(reply.body.deliveryStatus).toBe('pending');
    const failed = await eventually(async () => {
      const m = await message(conv.id);
      return m.deliveryStatus === 'failed' ? m : undefined;
    }, 'failed status');
    expect(failed.deliveryError).toBe('The channel is not running');
    expect(await t.hub.db.manager.count(OutboxEntity)).toBe(0);

    expect((await admin.call('POST', `/api/messages/${failed.id}/retry`)).body.deliveryStatus).toBe('pending');
    expect((await admin.call('POST', `/api/messages/${failed.id}/retry`)).status).toBe(409);
    await admin.call('PATCH', `/api/channels/${t.demoChannelId}`, { enabled: true });
    const back = await visitor(t.url, t.demoWidgetKey, { token: v.token });
    await eventually(async () => (await message(conv.id)).deliveryStatus === 'sent', 'sent after retry');
    const hist = await back.history(0);
    if (!hist.ok) throw new Error(hist.error.message);
    expect(hist.messages.map((m) => m.text)).toEqual(['are you there?', 'yes!']);
    v.socket.close();
    back.socket.close();
  });

  it('a reply is queued in the same transaction: a failing reply leaves no outbox row behind', async () => {
    const conv = (await admin.call('GET', '/api/conversations?scope=all')).body.items[0];
    const before = await t.hub.db.manager.count(OutboxEntity);
    const bad = await admin.call('POST', `/api/conversations/${conv.id}/messages`, { text: 'with a ghost file', attachmentIds: [987654] });
    expect(bad.status).toBe(400);
    expect(await t.hub.db.manager.count(OutboxEntity)).toBe(before);
    expect((await message(conv.id)).text).not.toBe('with a ghost file');
  });

  it('a send cut off by a crash is sent again on a channel that dedupes (the widget merges by id), once', async () => {
    const v = await visitor(t.url, t.demoWidgetKey);
    await v.send('still there?');
    const conv = await eventually(async () => (await admin.call('GET', '/api/conversations?scope=queue')).body.items[0], 'queued');
    await t.hub.outbox.stop();
    const reply = await admin.call('POST', `/api/conversations/${conv.id}/messages`, { text: 'here again' });
    // As a dead node leaves it: the send began, its lease ran out, nothing was recorded.
    await t.hub.db.manager.update(OutboxEntity, { messageId: reply.body.id }, { sendStartedAt: Date.now() - 5000, lockedUntil: Date.now() - 1000 });
    const back = await visitor(t.url, t.demoWidgetKey, { token: v.token });
    t.hub.outbox.start();
    await eventually(async () => (await message(conv.id)).deliveryStatus === 'sent', 'sent again');
    await eventually(() => back.received.some((m) => m.text === 'here again'), 'the visitor has it');
    expect(back.received.filter((m) => m.text === 'here again')).toHaveLength(1);
    v.socket.close();
    back.socket.close();
  });

  it('backoff grows exponentially with jitter and is capped at five minutes', () => {
    expect(backoffMs(1, 1000, () => 0)).toBe(500);
    expect(backoffMs(1, 1000, () => 1)).toBe(1000);
    expect(backoffMs(4, 1000, () => 1)).toBe(8000);
    expect(backoffMs(30, 1000, () => 1)).toBe(300_000);
  });
});
