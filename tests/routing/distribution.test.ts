import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationEntity } from '../../server/conversations/conversation.entity.js';
import { login, type ApiClient } from '../helpers/clients.js';
import { startHub, type TestHub } from '../helpers/hub.js';
import { assignees, manualClock, settle, team, write } from './helpers.js';

describe('distribution by line', () => {
  const clock = manualClock();
  let t: TestHub;
  let admin: ApiClient;
  beforeAll(async () => {
    t = await startHub({ hub: { clock: clock.now } });
    admin = await login(t.url, t.admin.email, t.admin.password);
  });
  afterAll(() => t.stop());

  it('evenly: 300 dialogs to 3 equal operators gives each 100 ± 1', async () => {
    const tm = await team(t, admin, 'Even', 3, { routing: { mode: 'evenly', passOnSeconds: 0 } });
    for (let i = 0; i < 300; i++) await write(t, tm.channelId, `even-${i}`);
    await settle(t);
    const counts = await assignees(t, tm.lineId);
    expect(counts.get(null) ?? 0).toBe(0);
    for (const o of tm.operators) expect(Math.abs((counts.get(o.id) ?? 0) - 100)).toBeLessThanOrEqual(1);
  });

  it('strictly in order: the first operator until full, then the next; a pass-on goes down the list and wraps', async () => {
    const tm = await team(t, admin, 'Order', 3, { routing: { mode: 'in_order', passOnSeconds: 60 } }, 2);
    const [a, b, c] = tm.operators;
    const first = await write(t, tm.channelId, 'ord-1');
    const second = await write(t, tm.channelId, 'ord-2');
    const third = await write(t, tm.channelId, 'ord-3');
    await settle(t);
    const counts = await assignees(t, tm.lineId);
    expect([counts.get(a!.id), counts.get(b!.id), counts.get(c!.id) ?? 0]).toEqual([2, 1, 0]);
    // The other two dialogs are answered in time, so only the first one passes on.
    await a!.api.call('POST', `/api/conversations/${second.conversationId}/messages`, { text: 'On it' });
    await b!.api.call('POST', `/api/conversations/${third.conversationId}/messages`, { text: 'On it' });

    const owner = async () => (await t.hub.db.manager.findOneByOrFail(ConversationEntity, { id: first.conversationId })).assigneeId;
    // a!'s dialog is not answered in 60 s: it passes to the next with room (b), then c, then back around.
    clock.advance(61_000);
    await t.hub.timers.fireDue();
    await settle(t);
    expect(await owner()).toBe(b!.id);
    clock.advance(61_000);
    await t.hub.timers.fireDue();
    await settle(t);
    expect(await owner()).toBe(c!.id);
    const conv = await t.hub.db.manager.findOneByOrFail(ConversationEntity, { id: first.conversationId });
    expect(conv.flags.passOns).toBe(2);
    // An answer stops the passing.
    await c!.api.call('POST', `/api/conversations/${first.conversationId}/messages`, { text: 'Here!' });
    clock.advance(61_000);
    await t.hub.timers.fireDue();
    expect(await owner()).toBe(c!.id);
  });

  it('least busy: the operator with the fewest open dialogs', async () => {
    const tm = await team(t, admin, 'Busy', 3, { routing: { mode: 'least_busy', passOnSeconds: 0 } });
    for (let i = 0; i < 9; i++) await write(t, tm.channelId, `busy-${i}`);
    await settle(t);
    const counts = await assignees(t, tm.lineId);
    expect(tm.operators.map((o) => counts.get(o.id))).toEqual([3, 3, 3]);
  });

  it('capacity and presence: queued dialogs wait, and the longest-waiting one goes out as soon as a slot or an operator frees', async () => {
    const tm = await team(t, admin, 'Cap', 3, { routing: { mode: 'evenly', passOnSeconds: 0 } }, 1);
    const dialogs = [];
    for (let i = 0; i < 5; i++) {
      dialogs.push(await write(t, tm.channelId, `cap-${i}`));
      clock.advance(1000);
    }
    await settle(t);
    expect((await assignees(t, tm.lineId)).get(null)).toBe(2);
    const busy = tm.operators[1]!;
    const mine = (await busy.api.call('GET', '/api/conversations?scope=mine')).body.items[0];
    await busy.api.call('POST', `/api/conversations/${mine.id}/close`);
    await settle(t);
    const longestWaiting = dialogs[3]!.conversationId;
    expect((await t.hub.db.manager.findOneByOrFail(ConversationEntity, { id: longestWaiting })).assigneeId).toBe(busy.id);

    // An operator going offline takes no new dialog; coming back online, they get the last one.
    const other = tm.operators[0]!;
    const theirs = (await other.api.call('GET', '/api/conversations?scope=mine')).body.items[0];
    await other.api.call('PUT', '/api/me/presence', { presence: 'away' });
    await other.api.call('POST', `/api/conversations/${theirs.id}/close`);
    await settle(t);
    expect((await assignees(t, tm.lineId)).get(null)).toBe(1);
    await other.api.call('PUT', '/api/me/presence', { presence: 'online' });
    await settle(t);
    expect((await assignees(t, tm.lineId)).get(null) ?? 0).toBe(0);
  });

  it('to everyone: 100 dialogs offered to 5 operators taking them at once end with exactly one owner each', async () => {
    const tm = await team(t, admin, 'All', 5, { routing: { mode: 'everyone', passOnSeconds: 0 } });
    const convs = [];
    for (let i = 0; i < 100; i++) convs.push((await write(t, tm.channelId, `all-${i}`)).conversationId);
    await settle(t);
    expect((await assignees(t, tm.lineId)).get(null)).toBe(100);
    const results = await Promise.all(convs.flatMap((id) =>
      tm.operators.map(async (o) => ({ id, who: o.id, status: (await o.api.call('POST', `/api/conversations/${id}/assign`, { assigneeId: o.id })).status }))));
    for (const id of convs) {
      const wins = results.filter((r) => r.id === id && r.status === 200);
      expect(wins).toHaveLength(1);
      expect((await t.hub.db.manager.findOneByOrFail(ConversationEntity, { id })).assigneeId).toBe(wins[0]!.who);
    }
    expect(results.filter((r) => r.status !== 200).every((r) => r.status === 403)).toBe(true);
  });

  it('a returning client goes to their last operator when the line says so', async () => {
    const tm = await team(t, admin, 'Known', 3, { routing: { mode: 'evenly', passOnSeconds: 0, knownClients: 'last_operator' } });
    const first = await write(t, tm.channelId, 'regular');
    await settle(t);
    const owner = (await t.hub.db.manager.findOneByOrFail(ConversationEntity, { id: first.conversationId })).assigneeId;
    const ownerApi = tm.operators.find((o) => o.id === owner)!.api;
    await ownerApi.call('POST', `/api/conversations/${first.conversationId}/close`);
    for (let i = 0; i < 4; i++) await write(t, tm.channelId, `other-${i}`);
    const again = await write(t, tm.channelId, 'regular');
    await settle(t);
    expect(again.conversationId).not.toBe(first.conversationId);
    expect((await t.hub.db.manager.findOneByOrFail(ConversationEntity, { id: again.conversationId })).assigneeId).toBe(owner);
  });

  it('changing one section of a line leaves the others, its members and CRM policy as they were', async () => {
    const tm = await team(t, admin, 'Keep', 2, { routing: { mode: 'least_busy', passOnSeconds: 30 } });
    await admin.call('PATCH', `/api/lines/${tm.lineId}`, { crm: { createLead: false, sourceName: 'Ads' } });
    const r = await admin.call('PATCH', `/api/lines/${tm.lineId}`, { messages: { welcome: 'Hi' } });
    expect(r.body.memberIds).toEqual(tm.operators.map((o) => o.id));
    expect(r.body.crm).toEqual({ createLead: false, sourceName: 'Ads' });
    expect(r.body.routing).toMatchObject({ mode: 'least_busy', passOnSeconds: 30 });
    expect(r.body.messages.welcome).toBe('Hi');
  });

  it('an operator can skip a dialog by hand; a colleague cannot skip it for them', async () => {
    const tm = await team(t, admin, 'Skip', 2, { routing: { mode: 'in_order', passOnSeconds: 0 } });
    const d = await write(t, tm.channelId, 'skipper');
    await settle(t);
    const [a, b] = tm.operators;
    expect((await b!.api.call('POST', `/api/conversations/${d.conversationId}/skip`)).status).toBe(409);
    expect((await a!.api.call('POST', `/api/conversations/${d.conversationId}/skip`)).status).toBe(204);
    await settle(t);
    expect((await t.hub.db.manager.findOneByOrFail(ConversationEntity, { id: d.conversationId })).assigneeId).toBe(b!.id);
    // Once answered there is nothing to pass on: the operator is told so instead of a silent no-op.
    await b!.api.call('POST', `/api/conversations/${d.conversationId}/messages`, { text: 'Hello!' });
    const answered = await b!.api.call('POST', `/api/conversations/${d.conversationId}/skip`);
    expect(answered.status).toBe(409);
  });
});
