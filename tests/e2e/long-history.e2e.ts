/**
 * A dialog with 20,000 messages opens at once and scrolls back page by page with a small DOM:
 * the thread is virtualized and history is fetched with `before = the smallest id shown`.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../helpers/clients.js';
import { startHub, type TestHub } from '../helpers/hub.js';
import { launchBrowser, loginConsole, newPage, shot } from './browser.js';

const HISTORY = 20_000;
let hub: TestHub;
let browser: Browser;
let conversationId: number;

/** Copies one stored message HISTORY times in one statement: ingesting 20,000 one by one takes minutes. */
async function seedHistory(seedId: number): Promise<void> {
  const db = hub.hub.db.manager;
  const columns = (await db.query(`PRAGMA table_info(messages)`)) as { name: string }[];
  const names = columns.map((c) => c.name).filter((n) => n !== 'id');
  const value = (n: string) =>
    n === 'external_id' ? `'bulk-' || i` : n === 'text' ? `'Old message ' || i` : n === 'created_at' ? `created_at - (${HISTORY + 1} - i) * 1000` : n;
  await db.query(
    `WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ${HISTORY})
     INSERT INTO messages (${names.join(', ')}) SELECT ${names.map(value).join(', ')} FROM seq, messages WHERE messages.id = ${seedId}`,
  );
}

beforeAll(async () => {
  hub = await startHub();
  browser = await launchBrowser();
  // "To everyone": nobody is assigned automatically, so the dialog waits in the queue for the supervisor
  // (the default "evenly" would hand it to the online admin at once).
  const api = await login(hub.url, hub.admin.email, hub.admin.password);
  const line = (await api.call<{ routing: object }>('GET', `/api/lines/1`)).body;
  const routed = await api.call('PATCH', '/api/lines/1', { routing: { ...line.routing, mode: 'everyone' } });
  if (routed.status !== 200) throw new Error(`could not set the line's routing: ${JSON.stringify(routed.body)}`);
  const sender = { externalId: 'visitor-long', name: 'Long Story' };
  const first = await hub.hub.ingest.ingest({ channelId: hub.demoChannelId, externalId: 'seed', sender, text: 'The very first message' });
  conversationId = first.conversationId;
  await seedHistory(first.messageId);
  await hub.hub.ingest.ingest({ channelId: hub.demoChannelId, externalId: 'latest', sender, text: 'Latest question' });
});

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
});

describe('a conversation with a long history', () => {
  it('opens fast, keeps the DOM small and pages back without jumping', async () => {
    const { page, errors } = await newPage(browser);
    await loginConsole(page, hub.url, hub.admin.email, hub.admin.password);
    const pages: string[] = [];
    page.on('request', (r) => r.url().includes(`/api/conversations/${conversationId}/messages`) && pages.push(r.url()));

    // How fast it opens is measured by bench/console-perf.ts, not asserted here.
    await page.goto(`${hub.url}/inbox/all/${conversationId}`);
    const thread = page.locator('[data-test=messages]');
    await thread.getByText('Latest question').waitFor();
    expect(pages, pages.join(" ")).toHaveLength(1);
    expect(await thread.locator('.row').count()).toBeLessThan(60);

    /** Whether the message with this text is inside the scroller's visible box. */
    const inView = (text: string) =>
      thread.evaluate((el, t) => {
        const box = el.getBoundingClientRect();
        const row = [...el.querySelectorAll('.row')].find((r) => r.textContent?.includes(t));
        if (!row) return false;
        const r = row.getBoundingClientRect();
        return r.bottom > box.top && r.top < box.bottom;
      }, text);

    // The first page holds the latest message and bulk 20000..19952; each older page adds 50.
    for (let n = 1; n <= 5; n++) {
      const oldest = `Old message ${19952 - 50 * (n - 1)}`;
      await thread.evaluate((el) => el.scrollTo({ top: 0 }));
      await expect.poll(() => pages.length, { timeout: 10_000 }).toBe(n + 1);
      expect(pages.at(-1)).toMatch(/before=\d+/);
      // What was the oldest message stays where the operator was looking, with older ones above it.
      await page.waitForTimeout(300);
      await expect.poll(() => inView(oldest)).toBe(true);
      expect(await thread.locator('.row').count()).toBeLessThan(80);
    }
    await shot(page, '17-long-history');

    // The supervisor sees it waiting, with a ticking timer, and assigns it.
    await page.goto(`${hub.url}/supervisor`);
    const queue = page.locator('[data-test=supervisor-queue]');
    await queue.getByText('Long Story').waitFor();
    await shot(page, '18-supervisor-queue');
    const option = await queue.locator('[data-test=supervisor-assign-select] option', { hasText: 'Administrator' }).getAttribute('value');
    await queue.locator('[data-test=supervisor-assign-select]').selectOption(option!);
    await queue.getByRole('button', { name: 'Assign' }).click();
    await queue.getByText('Nobody is waiting.').waitFor();
    await expect.poll(() => page.locator('[data-test=supervisor-operators]').textContent()).toContain('1 of 10');
    expect(errors).toEqual([]);
  });
});

describe('an e-mail with HTML', () => {
  it('renders in a sandboxed frame where no script runs', async () => {
    const mail = await hub.hub.ingest.ingest({
      channelId: hub.demoChannelId,
      externalId: 'mail-1',
      sender: { externalId: 'mail-sender', name: 'Mail Person' },
      text: 'Bold offer',
      html: '<h2>Spring sale</h2><p><b>Bold offer</b> for <a href="https://shop.example">you</a></p><img src="x" onerror="parent.document.title=\'pwned\'">',
    });
    const { page, errors } = await newPage(browser);
    await loginConsole(page, hub.url, hub.admin.email, hub.admin.password);
    await page.goto(`${hub.url}/inbox/all/${mail.conversationId}`);
    const frame = page.frameLocator('[data-test=email-frame]');
    await frame.getByText('Bold offer').waitFor();
    expect(await page.locator('[data-test=email-frame]').getAttribute('sandbox')).not.toContain('allow-scripts');
    await page.waitForTimeout(300);
    expect(await page.title()).not.toBe('pwned');
    await shot(page, '19-email-html');
    expect(errors).toEqual([]);
  });
});
