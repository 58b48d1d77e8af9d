import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type TestHub } from '../../tests/helpers/hub.js';
import { CONVERSATION_COLUMNS, conversationJsonArgs, conversationOf } from './conversation.row.js';

describe('a conversation read as columns or as a JSON object (SQLite)', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startHub();
  });
  afterAll(() => t.stop());

  it('gives the same dialog either way: numbers, nulls, text and flags', async () => {
    const r = await t.hub.ingest.ingest({ channelId: t.demoChannelId, externalId: 'row-1', sender: { externalId: 'v-row', name: 'Row "quoted" \\ name' }, text: "it's here" });
    await t.hub.db.write((tx) => tx.sql('UPDATE conversations SET flags = ?, assignee_id = NULL, closed_at = NULL WHERE id = ?', [JSON.stringify({ ratingRequested: true, note: 'a "b" \\ c' }), r.conversationId]));
    const [plain] = await t.hub.db.manager.query(`SELECT ${CONVERSATION_COLUMNS} FROM conversations WHERE id = ?`, [r.conversationId]);
    const [json] = await t.hub.db.manager.query(`SELECT json_object(${conversationJsonArgs('v')}) AS o FROM conversations v WHERE v.id = ?`, [r.conversationId]);
    const fromJson = conversationOf(JSON.parse(json.o));
    expect(fromJson).toEqual(conversationOf(plain));
    expect(fromJson).toMatchObject({ id: r.conversationId, assigneeId: null, closedAt: null, flags: { ratingRequested: true, note: 'a "b" \\ c' }, lastMessagePreview: "it's here" });
  });
});
