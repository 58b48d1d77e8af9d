import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationEntity } from '../../server/conversations/conversation.entity.js';
import { MessageEntity } from '../../server/conversations/message.entity.js';
import { fillPlaceholders } from '../../server/routing/automation.js';
import { login, type ApiClient } from '../helpers/clients.js';
import { startHub, type TestHub } from '../helpers/hub.js';
import { manualClock, settle, team, write } from './helpers.js';

const systemTexts = async (t: TestHub, conversationId: number) =>
  (await t.hub.db.manager.find(MessageEntity, { where: { conversationId, direction: 'out' }, order: { id: 'ASC' } }))
    .filter((m) => m.authorId === null).map((m) => m.text);

const status = async (t: TestHub, id: number) => (await t.hub.db.manager.findOneByOrFail(ConversationEntity, { id }));

// Monday 2026-11-23 10:00 in Berlin.
const MONDAY_10 = '2026-11-23T09:00:00Z';

describe('automatic messages and lifecycle', () => {
  const clock = manualClock(MONDAY_10);
  let t: TestHub;
  let admin: ApiClient;
  beforeAll(async () => {
    t = await startHub({ hub: { clock: clock.now, timerPollMs: 60_000 } });
    admin = await login(t.url, t.admin.email, t.admin.password);
  });
  afterAll(() => t.stop());

  it('fills placeholders and drops unknown ones', () => {
    expect(fillPlaceholders('Hi {{contact.name}}, {{ operator.name }} of {{line.name}} here{{x.y}}', { 'contact.name': 'Ann', 'operator.name': 'Bo', 'line.name': 'Sales' }))
      .toBe('Hi Ann, Bo of Sales here');
  });

  it('welcomes each new session, by name, and never answers an auto-reply', async () => {
    const tm = await team(t, admin, 'Welcome', 1, { messages: { welcome: 'Hello {{contact.name}}, this is {{line.name}}.' }, routing: { passOnSeconds: 0 } });
    const r = await t.hub.ingest.ingest({ channelId: tm.channelId, externalId: 'w1', sender: { externalId: 'wv', name: 'Wanda' }, text: 'hi' });
    await settle(t);
    expect(await systemTexts(t, r.conversationId)).toEqual(['Hello Wanda, this is Welcome.']);
    const bot = await t.hub.ingest.ingest({ channelId: tm.channelId, externalId: 'w2', sender: { externalId: 'robot' }, text: 'I am away', meta: { autoReply: true } });
    await settle(t);
    expect(await systemTexts(t, bot.conversationId)).toEqual([]);
  });

  it('out of hours: the client is told once per session, the dialog waits for the opening', async () => {
    const tm = await team(t, admin, 'Hours', 1, {
      routing: { passOnSeconds: 0 },
      hours: { enabled: true, timezone: 'Europe/Berlin', week: { mon: [{ from: '14:00', to: '18:00' }], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } },
      messages: { outOfHours: 'We open at 14:00.', welcome: 'Welcome!' },
    });
    const key = (await admin.call('GET', '/api/channels')).body.items.find((c: { id: number }) => c.id === tm.channelId).publicKey;
    const widgetOnline = async () => (await (await fetch(`${t.url}/api/widget/${key}/config`)).json()).online;
    expect(await widgetOnline()).toBe(false); // an operator is online, but the line is closed
    const first = await write(t, tm.channelId, 'early');
    await write(t, tm.channelId, 'early', 'anyone?');
    await settle(t);
    expect(await systemTexts(t, first.conversationId)).toEqual(['We open at 14:00.']);
    const conv = await status(t, first.conversationId);
    expect(conv).toMatchObject({ assigneeId: null, status: 'queued' });
    expect(conv.flags.startedOutOfHours).toBe(true);
    clock.advance(4 * 3600_000); // 14:00 in Berlin
    expect(await widgetOnline()).toBe(true);
    t.hub.routing.kick(tm.lineId);
    await settle(t);
    expect((await status(t, first.conversationId)).assigneeId).toBe(tm.operators[0]!.id);
  });

  it('no answer: after the wait the client gets the text once, and the dialog moves to the fallback line', async () => {
    const fallback = await admin.call('POST', '/api/lines', { name: 'Night desk' });
    const tm = await team(t, admin, 'Nobody', 0, { routing: { noAnswerSeconds: 120, fallbackLineId: fallback.body.id }, messages: { noAnswer: 'All our operators are busy.' } });
    const d = await write(t, tm.channelId, 'waiting');
    await settle(t);
    clock.advance(119_000);
    await t.hub.timers.fireDue();
    expect(await systemTexts(t, d.conversationId)).toEqual([]);
    clock.advance(2_000);
    await t.hub.timers.fireDue();
    await t.hub.timers.fireDue();
    expect(await systemTexts(t, d.conversationId)).toEqual(['All our operators are busy.']);
    expect((await status(t, d.conversationId)).lineId).toBe(fallback.body.id);
  });

  it('auto-close after client silence with its own text; a client message restarts the wait; closing text on a manual close', async () => {
    const tm = await team(t, admin, 'Quiet', 1, { routing: { passOnSeconds: 0, autoCloseMinutes: 30 }, messages: { autoClose: 'Closing as we have not heard back.', closing: 'Thanks, {{contact.name}}!' } });
    const op = tm.operators[0]!;
    const d = await t.hub.ingest.ingest({ channelId: tm.channelId, externalId: 'q1', sender: { externalId: 'qv', name: 'Quinn' }, text: 'question' });
    await settle(t);
    await op.api.call('POST', `/api/conversations/${d.conversationId}/messages`, { text: 'answer' });
    await settle(t);
    clock.advance(20 * 60_000);
    await write(t, tm.channelId, 'qv', 'one more thing');
    await op.api.call('POST', `/api/conversations/${d.conversationId}/messages`, { text: 'sure' });
    await settle(t);
    clock.advance(20 * 60_000);
    await t.hub.timers.fireDue();
    expect((await status(t, d.conversationId)).status).toBe('waiting');
    clock.advance(11 * 60_000);
    await t.hub.timers.fireDue();
    await settle(t);
    expect((await status(t, d.conversationId)).status).toBe('closed');
    expect(await systemTexts(t, d.conversationId)).toEqual(['Closing as we have not heard back.']);

    const e = await t.hub.ingest.ingest({ channelId: tm.channelId, externalId: 'q2', sender: { externalId: 'qv2', name: 'Rita' }, text: 'hi' });
    await settle(t);
    await op.api.call('POST', `/api/conversations/${e.conversationId}/close`);
    await settle(t);
    expect(await systemTexts(t, e.conversationId)).toEqual(['Thanks, Rita!']);
  });

  it('a client writing again within the reopen window continues the closed dialog; later starts a new one', async () => {
    const tm = await team(t, admin, 'Reopen', 1, { routing: { passOnSeconds: 0, reopenMinutes: 60 } });
    const first = await write(t, tm.channelId, 'back');
    await settle(t);
    await tm.operators[0]!.api.call('POST', `/api/conversations/${first.conversationId}/close`);
    const again = await write(t, tm.channelId, 'back', 'forgot something');
    expect(again.conversationId).toBe(first.conversationId);
    expect((await status(t, first.conversationId)).status).not.toBe('closed');
    await settle(t);
    await tm.operators[0]!.api.call('POST', `/api/conversations/${first.conversationId}/close`);
    await t.hub.db.write((tx) => tx.manager.update(ConversationEntity, { id: first.conversationId }, { closedAt: Date.now() - 61 * 60_000 }));
    const later = await write(t, tm.channelId, 'back', 'new question');
    expect(later.conversationId).not.toBe(first.conversationId);
  });
});

describe('timers survive a restart', () => {
  const clock = manualClock(MONDAY_10);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'omniline-restart-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('a pass-on, a no-answer and an auto-close wait each fire once, on the clock, after a restart', async () => {
    let t = await startHub({ dataDir, hub: { clock: clock.now, timerPollMs: 60_000 } });
    const admin = await login(t.url, t.admin.email, t.admin.password);
    const tm = await team(t, admin, 'Restart', 2, {
      routing: { mode: 'in_order', passOnSeconds: 60, noAnswerSeconds: 90, autoCloseMinutes: 5 },
      messages: { noAnswer: 'Still looking for someone.', autoClose: 'Bye for now.' },
    });
    const [a, b] = tm.operators;
    const passing = await write(t, tm.channelId, 'r-pass');
    const closing = await write(t, tm.channelId, 'r-close');
    await settle(t);
    // a answers `closing` (auto-close wait starts); `passing` stays unanswered (pass-on and no-answer waits).
    const closingOwner = (await status(t, closing.conversationId)).assigneeId!;
    const api = [a!, b!].find((o) => o.id === closingOwner)!.api;
    await api.call('POST', `/api/conversations/${closing.conversationId}/messages`, { text: 'done?' });
    await settle(t);
    const ownerBefore = (await status(t, passing.conversationId)).assigneeId;
    await t.stop();

    clock.advance(10 * 60_000);
    t = await startHub({ dataDir, hub: { clock: clock.now, timerPollMs: 60_000 } });
    await t.hub.timers.fireDue();
    await settle(t);
    await t.hub.timers.fireDue();
    await settle(t);

    const passed = await status(t, passing.conversationId);
    expect(passed.assigneeId).not.toBe(ownerBefore);
    expect(passed.flags.passOns).toBe(1);
    // Answered by nobody and not yet assigned-and-answered: the no-answer text went out once.
    expect(await systemTexts(t, passing.conversationId)).toEqual(['Still looking for someone.']);
    expect((await status(t, closing.conversationId)).status).toBe('closed');
    expect(await systemTexts(t, closing.conversationId)).toEqual(['Bye for now.']);
    await t.stop();
  });
});
