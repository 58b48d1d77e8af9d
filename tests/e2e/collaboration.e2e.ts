/**
 * Working together in the console against a real hub: an admin writes a canned answer in settings;
 * an operator inserts it with `/` (the contact's name filled in) and the visitor reads it; the
 * operator invites a colleague, whose inbox gets the dialog live; the admin pins the dialog.
 * Also shoots the channel type picker with the e-mail form.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type ApiClient } from '../helpers/clients.js';
import { startHub, type TestHub } from '../helpers/hub.js';
import { launchBrowser, loginConsole, newPage, shot, visitorWrites } from './browser.js';

let hub: TestHub;
let browser: Browser;
let api: ApiClient;
let admin: Page;
let op: Page;
let colleague: Page;
let visitor: Page;
let conversationId: number;
let opId: number;
const errors: string[] = [];
const OP = { email: 'olga@test.local', password: 'olga-password-1', name: 'Olga Operator' };
const COLLEAGUE = { email: 'boris@test.local', password: 'boris-password-1', name: 'Boris Colleague' };
const VISITOR = 'Vera Visitor';

async function page(width = 1280, height = 900): Promise<Page> {
  const p = (await newPage(browser, { width, height })).page;
  p.on('pageerror', (e) => errors.push(e.message));
  return p;
}

beforeAll(async () => {
  hub = await startHub();
  browser = await launchBrowser();
  api = await login(hub.url, hub.admin.email, hub.admin.password);
  const ids: number[] = [];
  for (const u of [OP, COLLEAGUE]) {
    const created = await api.call<{ id: number }>('POST', '/api/users', { ...u, role: 'operator' });
    expect(created.status).toBe(201);
    ids.push(created.body.id);
  }
  opId = ids[0]!;
  const channels = await api.call<{ items: { id: number; lineId: number }[] }>('GET', '/api/channels');
  const lineId = channels.body.items.find((c) => c.id === hub.demoChannelId)!.lineId;
  const line = await api.call<{ memberIds: number[] }>('GET', `/api/lines/${lineId}`);
  expect((await api.call('PATCH', `/api/lines/${lineId}`, { memberIds: [...line.body.memberIds, ...ids] })).status).toBe(200);
});

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
});

const row = (p: Page) => p.locator('[data-test=inbox-list] [data-row]').filter({ hasText: VISITOR });

describe('collaboration in the console', () => {
  it('an admin adds a canned answer in settings', async () => {
    admin = await page();
    await loginConsole(admin, hub.url, hub.admin.email, hub.admin.password);
    await admin.goto(`${hub.url}/settings/canned`);
    await admin.click('[data-test=canned-add]');
    await admin.fill('[data-test=canned-shortcut]', 'greet');
    await admin.fill('[data-test=canned-text]', 'Hello {{contact.name}}, this is {{operator.name}}. How can I help?');
    await admin.click('[data-test=canned-save]');
    await admin.locator('[data-test=canned-greet]').waitFor();
    const listed = await api.call<{ items: { shortcut: string; lineId: number | null }[] }>('GET', '/api/canned-answers');
    expect(listed.body.items).toEqual([expect.objectContaining({ shortcut: 'greet', lineId: null })]);
  });

  it('shows the channel type picker with the e-mail form', async () => {
    await admin.goto(`${hub.url}/settings/channels`);
    await admin.click('[data-test=channel-add]');
    await admin.click('[data-test=channel-type-email]');
    await admin.locator('[data-test=email-fields]').waitFor();
    await admin.fill('[data-test=channel-name]', 'Support mailbox');
    expect(await admin.locator('[data-test=channel-type-email] input').isChecked()).toBe(true);
    await shot(admin, '25-connect-channel');
    // The server checks the settings: a missing host comes back as its own message.
    await admin.click('[data-test=channel-cancel]');
    await expect.poll(() => admin.locator('[data-test=channel-form]').count()).toBe(0);
  });

  it('an operator inserts it with / and the visitor reads it with their name filled in', async () => {
    colleague = await page();
    await loginConsole(colleague, hub.url, COLLEAGUE.email, COLLEAGUE.password);
    op = await page();
    await loginConsole(op, hub.url, OP.email, OP.password);
    visitor = await page(1000, 760);
    await visitor.goto(`${hub.url}/demo`);
    await visitor.click('.launcher');
    await visitorWrites(visitor, 'Hi, do you ship to Norway?', VISITOR);

    // Routing may hand it to anyone online: the admin gives it to Olga, whose "mine" gets it live.
    await expect
      .poll(async () => (await api.call<{ items: { id: number }[] }>('GET', `/api/conversations?scope=all&q=${encodeURIComponent(VISITOR)}`)).body.items[0]?.id, { timeout: 15_000 })
      .toBeTruthy();
    conversationId = (await api.call<{ items: { id: number }[] }>('GET', `/api/conversations?scope=all&q=${encodeURIComponent(VISITOR)}`)).body.items[0]!.id;
    await api.call('POST', `/api/conversations/${conversationId}/assign`, { assigneeId: opId });
    await row(op).waitFor({ timeout: 15_000 });
    await row(op).click();
    await op.waitForURL(new RegExp(`/inbox/mine/${conversationId}$`));
    await expect.poll(() => op.locator('[data-test=dialog-assignee]').textContent()).toContain(OP.name);

    const input = op.locator('[data-test=composer-input]');
    await input.click();
    await input.pressSequentially('/gr', { delay: 20 });
    await op.locator('[data-test=canned-option-greet]').waitFor();
    await shot(op, '24-canned-answers');
    await input.press('Enter');
    const expected = `Hello ${VISITOR}, this is ${OP.name}. How can I help?`;
    await expect.poll(() => input.inputValue()).toBe(expected);
    expect(await op.locator('[data-test=canned-popup]').count()).toBe(0);
    await input.press('Enter');
    await op.locator('[data-test=messages]').getByText(expected).waitFor();
    await visitor.getByText(expected).waitFor({ timeout: 15_000 });
  });

  it('Esc closes the popup and keeps the typed text', async () => {
    const input = op.locator('[data-test=composer-input]');
    await input.pressSequentially('/gr', { delay: 20 });
    await op.locator('[data-test=canned-popup]').waitFor();
    await input.press('Escape');
    expect(await op.locator('[data-test=canned-popup]').count()).toBe(0);
    expect(await input.inputValue()).toBe('/gr');
    await input.fill('');
  });

  it('the operator invites a colleague, who gets the dialog live', async () => {
    await colleague.locator('[data-test=tab-mine]').click();
    await expect.poll(() => row(colleague).count()).toBe(0);
    await op.click('[data-test=invite]');
    await expect.poll(() => op.locator('[data-test=invite-select] option').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining(COLLEAGUE.name)]));
    const value = await op.locator('[data-test=invite-select] option', { hasText: COLLEAGUE.name }).getAttribute('value');
    await op.selectOption('[data-test=invite-select]', value!);
    await op.click('[data-test=invite-submit]');
    await op.locator(`[data-test=participant-${value}]`).waitFor();
    await op.locator('[data-test=messages]').getByText(`${OP.name} invited ${COLLEAGUE.name}`).waitFor();
    // No reload: the colleague's "mine" tab gains the dialog through the socket.
    await row(colleague).waitFor({ timeout: 15_000 });
    await row(colleague).click();
    await colleague.locator('[data-test=messages]').getByText('Hi, do you ship to Norway?').waitFor();
    await colleague.locator('[data-test=messages]').getByText(`${OP.name} invited ${COLLEAGUE.name}`).waitFor();
    expect(await visitor.getByText('invited').count()).toBe(0);
  });

  it('the admin pins the dialog: it goes to the top of the list with a pin', async () => {
    // Another, newer dialog would normally sort above it.
    const other = await page(1000, 760);
    await other.goto(`${hub.url}/demo`);
    await other.click('.launcher');
    await visitorWrites(other, 'Newer question', 'Nick Newer');
    await admin.goto(`${hub.url}/inbox/all/${conversationId}`);
    const rows = admin.locator('[data-test=inbox-list] [data-row]');
    await rows.filter({ hasText: 'Nick Newer' }).waitFor({ timeout: 15_000 });
    await admin.click('[data-test=pin]');
    await expect.poll(() => admin.locator('[data-test=pin]').getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => rows.first().getAttribute('data-test')).toBe(`conversation-${conversationId}`);
    await rows.first().locator('[data-test=pin-icon]').waitFor();
    const pins = await api.call<{ conversationIds: number[] }>('GET', '/api/me/pins');
    expect(pins.body.conversationIds).toEqual([conversationId]);
    // Kept across a reload.
    await admin.reload();
    await expect.poll(() => rows.first().getAttribute('data-test')).toBe(`conversation-${conversationId}`);
    expect(errors).toEqual([]);
  });
});
