import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, login, visitor, type ApiClient } from '../helpers/clients.js';
import { startHub, type TestHub } from '../helpers/hub.js';
import { settle, team } from './helpers.js';

describe('ratings and reviews', () => {
  let t: TestHub;
  let admin: ApiClient;
  beforeAll(async () => {
    t = await startHub();
    admin = await login(t.url, t.admin.email, t.admin.password);
  });
  afterAll(() => t.stop());

  it('on close the widget asks for stars once; the rating is stored with the dialog; a supervisor reviews it', async () => {
    await admin.call('PATCH', '/api/lines/1', { messages: { ratingRequest: 'How did we do, {{contact.name}}?', closing: 'Thanks for writing!' } });
    const tm = await team(t, admin, 'Rated', 1, { routing: { passOnSeconds: 0 } });
    await admin.call('PATCH', `/api/channels/${t.demoChannelId}`, { lineId: tm.lineId });
    await admin.call('PATCH', `/api/lines/${tm.lineId}`, { messages: { ratingRequest: 'How did we do, {{contact.name}}?', closing: 'Thanks for writing!' } });
    const v = await visitor(t.url, t.demoWidgetKey, { name: 'Stella' });
    const asked: string[] = [];
    v.socket.on('rating-request', (r) => asked.push(r.prompt));
    const early = await new Promise<any>((r) => v.socket.emit('rate', { score: 5 }, r));
    expect(early).toMatchObject({ ok: false, error: { code: 'not_found' } });

    const sent = await v.send('My bike squeaks');
    if (!sent.ok) throw new Error(sent.error.message);
    await settle(t);
    const op = tm.operators[0]!;
    const conv = (await op.api.call('GET', '/api/conversations?scope=mine')).body.items[0];
    await op.api.call('POST', `/api/conversations/${conv.id}/messages`, { text: 'Oil the chain.' });
    await op.api.call('POST', `/api/conversations/${conv.id}/close`);
    await eventually(() => asked.length === 1, 'rating request');
    expect(asked).toEqual(['How did we do, Stella?']);
    await eventually(() => v.received.some((m) => m.text === 'How did we do, Stella?'), 'prompt as a message');
    expect(v.received.map((m) => m.text)).toContain('Thanks for writing!');

    const bad = await new Promise<any>((r) => v.socket.emit('rate', { score: 9 }, r));
    expect(bad.ok).toBe(false);
    const ok = await new Promise<any>((r) => v.socket.emit('rate', { score: 4, comment: 'quick!' }, r));
    expect(ok).toEqual({ ok: true });
    const rated = await admin.call('GET', `/api/conversations/${conv.id}`);
    expect(rated.body.rating).toMatchObject({ score: 4, comment: 'quick!' });
    expect(rated.body.kpi.firstReplySeconds).toBeGreaterThanOrEqual(0);
    expect(rated.body.kpi.handleSeconds).toBeGreaterThanOrEqual(0);
    await settle(t);
    // Saving the rating on the closed dialog is not another close: no second closing text or prompt.
    expect(asked).toHaveLength(1);

    expect((await op.api.call('POST', `/api/conversations/${conv.id}/review`, { score: 5 })).status).toBe(403);
    const review = await admin.call('POST', `/api/conversations/${conv.id}/review`, { score: 3, comment: 'Could have asked about the model' });
    expect(review.body.review).toMatchObject({ score: 3, by: admin.session.user.id });
    expect((await admin.call('POST', `/api/conversations/${conv.id}/review`, { score: 0 })).status).toBe(400);
    v.socket.close();
  });

  it('on messengers and e-mail a lone digit after the request is the rating; it does not reopen the dialog', async () => {
    const tm = await team(t, admin, 'Digits', 1, { routing: { passOnSeconds: 0 }, messages: { ratingRequest: 'Rate us from 1 to 5' } });
    const op = tm.operators[0]!;
    const ask = (text: string, id: string) => t.hub.ingest.ingest({ channelId: tm.channelId, externalId: id, sender: { externalId: 'tg-42' }, text });
    const first = await ask('Where is my order?', 'd1');
    await settle(t);
    await op.api.call('POST', `/api/conversations/${first.conversationId}/messages`, { text: 'On its way.' });
    await op.api.call('POST', `/api/conversations/${first.conversationId}/close`);
    await settle(t);
    const rating = await ask(' 4 ', 'd2');
    expect(rating.conversationId).toBe(first.conversationId);
    const conv = (await admin.call('GET', `/api/conversations/${first.conversationId}`)).body;
    expect(conv).toMatchObject({ status: 'closed', rating: { score: 4 } });
    // Rated already: the next digit is an ordinary message and starts a new dialog.
    const again = await ask('5', 'd3');
    expect(again.conversationId).not.toBe(first.conversationId);
  });

  it('keeps the wait for later answers as a KPI, besides the first reply', async () => {
    const tm = await team(t, admin, 'Kpi', 1, { routing: { passOnSeconds: 0 } });
    const op = tm.operators[0]!;
    const say = (text: string) => t.hub.ingest.ingest({ channelId: tm.channelId, externalId: `kpi-${text}`, sender: { externalId: 'kpi-client' }, text });
    const d = await say('first');
    await settle(t);
    await op.api.call('POST', `/api/conversations/${d.conversationId}/messages`, { text: 'answer 1' });
    let kpi = (await admin.call('GET', `/api/conversations/${d.conversationId}`)).body.kpi;
    expect(kpi).toMatchObject({ averageReplySeconds: null, passOns: 0, startedOutOfHours: false });
    expect(kpi.firstReplySeconds).toBeGreaterThanOrEqual(0);
    await say('second');
    await t.hub.db.write((tx) => tx.manager.query('UPDATE conversations SET waiting_since = waiting_since - 90000 WHERE id = ?', [d.conversationId]));
    await op.api.call('POST', `/api/conversations/${d.conversationId}/messages`, { text: 'answer 2' });
    kpi = (await admin.call('GET', `/api/conversations/${d.conversationId}`)).body.kpi;
    expect(kpi.averageReplySeconds).toBeGreaterThanOrEqual(90);
  });
});
