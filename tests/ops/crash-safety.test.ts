import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../server/db/database.js';
import { eventually, login, type ApiClient } from '../helpers/clients.js';
import { createTestDatabase, postgresAvailable } from '../helpers/postgres.js';
import { startHubProcess, type HubProcess } from '../helpers/process.js';
import { startBotApi, type FakeBotApi } from '../messengers/servers/bot-api.js';
import { freePort } from '../helpers/hub.js';

const databases = ['sqlite', ...((await postgresAvailable()) ? ['postgres' as const] : [])] as const;
const TOKEN = '555000111:AAHcrashTestTokenForTheBotApi_0123456';
const BURST = 10_000;
const CHATS = 200;

/**
 * The hub killed with SIGKILL (no shutdown code runs) in the middle of work, then started again on the
 * same data. Telegram long polling is the provider here: updates stay with the Bot API until the hub
 * confirms them with the next offset, so whatever the hub had not confirmed comes again after the
 * restart — the at-least-once delivery every provider gives. Ingest must turn it into exactly once.
 */
describe.each(databases)('crash safety on %s', (database) => {
  let api: FakeBotApi;
  let dataDir: string;
  let pg: { url: string; drop(): Promise<void> } | null = null;
  let env: Record<string, string>;
  let port: number;
  let hub: HubProcess;
  let admin: ApiClient;
  let channelId: number;

  beforeAll(async () => {
    api = await startBotApi([{ token: TOKEN, username: 'crash_bot' }]);
    dataDir = mkdtempSync(path.join(tmpdir(), 'omniline-crash-'));
    pg = database === 'postgres' ? await createTestDatabase() : null;
    port = await freePort();
    env = { OUTBOX_LEASE_SECONDS: '1', ...(pg ? { DATABASE_URL: pg.url } : {}) };
    hub = await startHubProcess({ dataDir, port, env });
    admin = await login(hub.url, 'admin@test.local', 'admin-password-1');
    const made = await admin.call('POST', '/api/channels', { type: 'telegram', name: 'Crash bot', lineId: 1, settings: { botToken: TOKEN, apiRoot: api.url, pollTimeoutSeconds: 1 } });
    expect(made.status).toBe(201);
    channelId = made.body.id;
  }, 120_000);

  afterAll(async () => {
    await hub?.kill();
    await api?.close();
    await pg?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Reads the hub's own database directly (the hub may be dead). */
  async function count(sql: string, params: unknown[]): Promise<number> {
    const db = await Database.open(pg ? { kind: 'postgres', url: pg.url } : { kind: 'sqlite', file: path.join(dataDir, 'omniline.sqlite') }, { migrate: false });
    try {
      const [row] = (await db.manager.query(pg ? sql.replace(/\?/g, (_, i) => `$${sql.slice(0, i).split('?').length}`) : sql, params)) as Array<{ n: string | number }>;
      return Number(row!.n);
    } finally {
      await db.close();
    }
  }

  it(`SIGKILL in the middle of ${BURST.toLocaleString('en')} inbound messages: after the restart each is stored exactly once`, async () => {
    const bot = api.bot(TOKEN);
    const perChat = new Map<number, number>();
    for (let i = 0; i < BURST; i++) {
      const chat = 7_000_000 + (i % CHATS);
      const n = (perChat.get(chat) ?? 0) + 1;
      perChat.set(chat, n);
      api.push(TOKEN, {
        message: { message_id: n, date: Math.floor(Date.now() / 1000), chat: { id: chat, type: 'private', first_name: `Client ${chat}` }, from: { id: chat, is_bot: false, first_name: `Client ${chat}` }, text: `message ${n} from ${chat}` },
      });
    }
    // Kill once the hub has confirmed a good part of the burst, while it is busy with the rest.
    await eventually(() => bot.pending.length <= BURST * 0.7, 'a third of the burst confirmed', 120_000);
    await hub.kill();
    const confirmedBeforeKill = BURST - bot.pending.length;
    expect(confirmedBeforeKill).toBeLessThan(BURST);

    hub = await startHubProcess({ dataDir, port, env });
    await eventually(() => bot.pending.length === 0, 'every update confirmed after the restart', 240_000);
    await eventually(async () => (await count('SELECT COUNT(*) AS n FROM messages WHERE channel_id = ?', [channelId])) >= BURST, 'all stored', 30_000);
    expect(await count("SELECT COUNT(*) AS n FROM messages WHERE channel_id = ? AND direction = 'in'", [channelId])).toBe(BURST);
    expect(await count('SELECT COUNT(DISTINCT external_id) AS n FROM messages WHERE channel_id = ?', [channelId])).toBe(BURST);
    expect(await count('SELECT COUNT(*) AS n FROM conversations WHERE channel_id = ?', [channelId])).toBe(CHATS);
    expect(await count('SELECT COUNT(*) AS n FROM leads', [])).toBe(CHATS);
  }, 400_000);

  it('SIGKILL while a reply is with the provider: after the restart it is marked failed, never sent twice', async () => {
    const bot = api.bot(TOKEN);
    admin = await login(hub.url, 'admin@test.local', 'admin-password-1');
    const conv = (await admin.call('GET', `/api/conversations?scope=all&channelId=${channelId}&limit=1`)).body.items[0];
    let release!: () => void;
    bot.sendGate = new Promise<void>((r) => (release = r));
    const sendsBefore = bot.calls.filter((c) => c === 'sendMessage').length;
    const reply = await admin.call('POST', `/api/conversations/${conv.id}/messages`, { text: 'your order ships today' });
    expect(reply.status).toBe(201);
    await eventually(() => bot.calls.filter((c) => c === 'sendMessage').length === sendsBefore + 1, 'the send reached the provider');
    await hub.kill();
    bot.sendGate = null;
    release();

    hub = await startHubProcess({ dataDir, port, env });
    admin = await login(hub.url, 'admin@test.local', 'admin-password-1');
    const failed = await eventually(async () => {
      const page = await admin.call('GET', `/api/conversations/${conv.id}/messages?limit=5`);
      const m = page.body.items.find((x: { id: number }) => x.id === reply.body.id);
      return m?.deliveryStatus === 'failed' ? m : undefined;
    }, 'the cut-off send marked failed', 20_000);
    expect(failed.deliveryError).toMatch(/interrupted/);
    await new Promise((r) => setTimeout(r, 1500));
    expect(bot.calls.filter((c) => c === 'sendMessage').length).toBe(sendsBefore + 1);
  }, 120_000);
});
