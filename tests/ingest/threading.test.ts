import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationEntity } from '../../server/conversations/conversation.entity.js';
import { startHub, type TestHub } from '../helpers/hub.js';
import { postgresAvailable } from '../helpers/postgres.js';

const databases = ['sqlite', ...((await postgresAvailable()) ? ['postgres' as const] : [])] as const;

describe.each(databases)('threaded conversations on %s', (database) => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startHub({ database });
  });
  afterAll(() => t.stop());

  const mail = (externalId: string, from: string, extra: Record<string, unknown> = {}) =>
    t.hub.ingest.ingest({ channelId: t.demoChannelId, externalId, sender: { externalId: from }, text: externalId, ...extra });

  it('separate threads of one sender stay separate; a reply by reference continues its thread', async () => {
    const a = await mail('<a@x>', 'ann@x', { threadKey: '<a@x>' });
    const b = await mail('<b@x>', 'ann@x', { threadKey: '<b@x>' });
    expect(b.conversationId).not.toBe(a.conversationId);
    const reply = await mail('<c@x>', 'ann@x', { threadKey: '<c@x>', threadRefs: ['<zzz@unknown>', '<a@x>'] });
    expect(reply.conversationId).toBe(a.conversationId);
  });

  it('a reply token continues its conversation only for the same contact; a forged one is ignored', async () => {
    const first = await mail('<t1@x>', 'tom@x', { threadKey: '<t1@x>' });
    const token = t.hub.replyTokens.issue(first.conversationId);
    expect((await mail('<t2@x>', 'tom@x', { threadKey: '<t2@x>', replyToken: token })).conversationId).toBe(first.conversationId);
    expect((await mail('<t3@x>', 'eve@x', { threadKey: '<t3@x>', replyToken: token })).conversationId).not.toBe(first.conversationId);
    const forged = token.replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A'));
    expect(t.hub.replyTokens.read(forged)).toBeNull();
    expect((await mail('<t4@x>', 'tom@x', { threadKey: '<t4@x>', replyToken: forged })).conversationId).not.toBe(first.conversationId);
  });

  it('a reply to a closed conversation reopens it', async () => {
    const first = await mail('<r1@x>', 'rita@x', { threadKey: '<r1@x>' });
    await t.hub.db.write((tx) => tx.manager.update(ConversationEntity, { id: first.conversationId }, { status: 'closed', closedAt: Date.now() }));
    const again = await mail('<r2@x>', 'rita@x', { threadKey: '<r2@x>', threadRefs: ['<r1@x>'] });
    expect(again.conversationId).toBe(first.conversationId);
    const conv = await t.hub.db.manager.findOneByOrFail(ConversationEntity, { id: first.conversationId });
    expect(conv.status).toBe('queued');
    expect(conv.closedAt).toBeNull();
  });

  it('chat channels keep one live conversation per contact', async () => {
    const x = await mail('chat-1', 'visitor-9');
    const y = await mail('chat-2', 'visitor-9');
    expect(y.conversationId).toBe(x.conversationId);
  });
});
