/**
 * `npm run bench:console`: how fast the operator console is in Debian's Chromium with a large
 * database — the inbox ready with 10,000 conversations, and a 20,000-message dialog opened from it.
 * Times are taken inside the page (performance.now) from the user's action to the content painted.
 * The last line is one JSON object.
 */
import type { Page } from 'playwright-core';
import { launchBrowser, loginConsole, newPage } from '../tests/e2e/browser.js';
import { startHub } from '../tests/helpers/hub.js';

const CONVERSATIONS = Number(process.env.CONVERSATIONS ?? 10_000);
const HISTORY = Number(process.env.HISTORY ?? 20_000);
const RUNS = Number(process.env.RUNS ?? 7);

const t = await startHub();
const db = t.hub.db.manager;
const sender = { externalId: 'visitor-long', name: 'Long Story' };
const first = await t.hub.ingest.ingest({ channelId: t.demoChannelId, externalId: 'seed', sender, text: 'The very first message' });
const longId = first.conversationId;

// Bulk seeding in SQL: ingesting 30,000 rows one by one would take minutes and measure nothing new.
await db.query(
  `WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ${CONVERSATIONS})
   INSERT INTO contacts (name, email, phone, created_at, updated_at) SELECT 'Customer ' || i, 'c' || i || '@example.com', NULL, 1, 1 FROM seq`,
);
await db.query(
  `INSERT INTO conversations (line_id, channel_id, contact_id, contact_external_id, thread_key, status, assignee_id, last_message_preview,
     last_message_at, waiting_since, unread_count, first_reply_at, closed_at, created_at, updated_at)
   SELECT 1, ${t.demoChannelId}, id, 'bulk-' || id, '', 'queued', NULL, 'Question from ' || name, 1700000000000 + id * 1000, NULL, 1, NULL, NULL, 1, 1
   FROM contacts WHERE name LIKE 'Customer %'`,
);
const columns = ((await db.query(`PRAGMA table_info(messages)`)) as { name: string }[]).map((c) => c.name).filter((n) => n !== 'id');
const value = (n: string) => (n === 'external_id' ? `'bulk-' || i` : n === 'text' ? `'Old message ' || i` : n);
await db.query(
  `WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ${HISTORY})
   INSERT INTO messages (${columns.join(', ')}) SELECT ${columns.map(value).join(', ')} FROM seq, messages WHERE messages.id = ${first.messageId}`,
);
// The long dialog is the newest, so it heads the inbox.
await t.hub.ingest.ingest({ channelId: t.demoChannelId, externalId: 'latest', sender, text: 'Latest question' });
console.log(`seeded ${CONVERSATIONS} conversations and a dialog of ${HISTORY + 2} messages`);

const browser = await launchBrowser();
const { page } = await newPage(browser);
await loginConsole(page, t.url, t.admin.email, t.admin.password);

/**
 * Runs `action` in the page and returns ms until `selector` holds `text` (checked every animation
 * frame). Passed as source text: functions compiled by tsx carry helpers the page does not have.
 */
function timeInPage(p: Page, action: string, selector: string, text: string): Promise<number> {
  return p.evaluate(`(async () => {
    const start = performance.now();
    ${action};
    await new Promise((resolve) => {
      const check = () => (document.querySelector(${JSON.stringify(selector)})?.textContent?.includes(${JSON.stringify(text)}) ? resolve() : requestAnimationFrame(check));
      check();
    });
    return performance.now() - start;
  })()`) as Promise<number>;
}

const inbox: number[] = [];
const dialog: number[] = [];
for (let run = 0; run < RUNS; run++) {
  // Inbox: a full page load of the console (app boot, session, first page of 10,000 conversations).
  await page.goto('about:blank');
  const navStart = Date.now();
  await page.goto(`${t.url}/inbox/all`);
  await page.locator(`[data-test=conversation-${longId}]`).waitFor();
  const readyAt = (await page.evaluate('performance.now()')) as number;
  inbox.push(readyAt);
  if (run === 0) console.log(`first inbox load (incl. cold server caches): ${Date.now() - navStart} ms wall`);
  // Dialog: click the long conversation in the ready inbox until its newest message is painted.
  dialog.push(await timeInPage(page, `document.querySelector('[data-test=conversation-${longId}]').click()`, '[data-test=messages]', 'Latest question'));
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const round = (x: number) => Math.round(x * 10) / 10;
const result = {
  conversations: CONVERSATIONS, dialog_messages: HISTORY + 2, runs: RUNS,
  inbox_ready_ms_p50: round(pct(inbox, 50)), inbox_ready_ms_max: round(Math.max(...inbox)),
  dialog_open_ms_p50: round(pct(dialog, 50)), dialog_open_ms_max: round(Math.max(...dialog)),
};
console.log(`inbox ready (navigation start → first page painted): p50 ${result.inbox_ready_ms_p50} ms, max ${result.inbox_ready_ms_max} ms`);
console.log(`open ${HISTORY + 2}-message dialog (click → newest message painted): p50 ${result.dialog_open_ms_p50} ms, max ${result.dialog_open_ms_max} ms`);
await browser.close();
await t.stop();
console.log(JSON.stringify(result));
