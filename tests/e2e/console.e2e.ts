/**
 * The operator console against a real hub: an operator, a visitor on the demo shop and a colleague,
 * each in their own browser context.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type ApiClient } from '../helpers/clients.js';
import { startHub, type TestHub } from '../helpers/hub.js';
import { launchBrowser, loginConsole, newPage, shot, visitorWrites } from './browser.js';

let hub: TestHub;
let browser: Browser;
let api: ApiClient;
let op: Page;
let visitor: Page;
let colleague: Page;
const pageErrors: string[] = [];
const COLLEAGUE = { email: 'boris@test.local', password: 'boris-password-1', name: 'Boris Colleague' };

beforeAll(async () => {
  hub = await startHub();
  browser = await launchBrowser();
  api = await login(hub.url, hub.admin.email, hub.admin.password);
});

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
});

const row = (page: Page) => page.locator('[data-test=inbox-list] [data-row]').filter({ hasText: 'Anna Visitor' });
const thread = (page: Page) => page.locator('[data-test=messages]');

describe('operator console', () => {
  it('signs in and shows the inbox', async () => {
    const first = await newPage(browser);
    op = first.page;
    first.page.on('pageerror', (e) => pageErrors.push(e.message));
    await op.goto(`${hub.url}/`);
    await op.waitForSelector('[data-test=login-form]');
    await shot(op, '01-login');
    await op.fill('input[name=email]', hub.admin.email);
    await op.fill('input[name=password]', 'wrong-password');
    await op.click('[data-test=login-form] button[type=submit]');
    await expect.poll(() => op.locator('[data-test=login-error]').textContent()).toBeTruthy();
    await loginConsole(op, hub.url, hub.admin.email, hub.admin.password);
    await op.waitForSelector('[data-test=inbox-list]');
    await expect.poll(() => op.locator('[data-test=presence]').inputValue()).toBe('online');
  });

  it('shows a visitor message live, without a reload', async () => {
    await op.click('[data-test=tab-all]');
    const v = await newPage(browser, { width: 1000, height: 720 });
    visitor = v.page;
    await visitor.goto(`${hub.url}/demo`);
    await visitor.click('.launcher');
    await visitorWrites(visitor, 'Hello, is the gravel bike in stock?', 'Anna Visitor');
    await row(op).waitFor({ timeout: 15_000 });
    expect(await row(op).textContent()).toContain('gravel bike');
    await row(op).click();
    await thread(op).getByText('Hello, is the gravel bike in stock?').waitFor();
    await op.locator('[data-test=crm-card]').waitFor();
    await shot(op, '02-dialog-incoming');
  });

  it('takes the dialog and replies; the visitor sees the reply', async () => {
    const take = op.locator('[data-test=take]');
    if (await take.isVisible()) await take.click();
    await expect.poll(() => op.locator('[data-test=dialog-assignee]').textContent()).toContain('Administrator');
    await op.fill('[data-test=composer-input]', 'Yes! Size M and L are in stock.');
    await op.press('[data-test=composer-input]', 'Enter');
    await thread(op).getByText('Size M and L are in stock.').waitFor();
    await visitor.getByText('Size M and L are in stock.').waitFor({ timeout: 15_000 });
    await shot(visitor, '03-visitor-sees-reply');
  });

  it('writes an internal note that the visitor never sees', async () => {
    await op.click('[data-test=mode-note]');
    await op.locator('[data-test=note-banner]').waitFor();
    await op.fill('[data-test=composer-input]', 'VIP: offer free delivery, do not tell the price yet');
    await shot(op, '04-note-mode');
    await op.press('[data-test=composer-input]', 'Enter');
    const note = thread(op).locator('[data-kind=note]').filter({ hasText: 'VIP: offer free delivery' });
    await note.waitFor();
    expect(await note.locator('[data-test=note-label]').textContent()).toContain('Internal note');
    // Amber, not the reply blue.
    const bg = await note.locator('.bubble').evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(bg).toBe('rgb(255, 244, 214)');
    // A reply after the note reaches the visitor; the note never does.
    await op.click('[data-test=mode-reply]');
    await op.fill('[data-test=composer-input]', 'Shall I reserve one for you?');
    await op.press('[data-test=composer-input]', 'Enter');
    await visitor.getByText('Shall I reserve one for you?').waitFor({ timeout: 15_000 });
    expect(await visitor.getByText('VIP: offer free delivery').count()).toBe(0);
    await visitor.reload();
    await visitor.getByText('Shall I reserve one for you?').waitFor({ timeout: 15_000 });
    expect(await visitor.content()).not.toContain('VIP: offer free delivery');
    await shot(op, '05-dialog-with-note');
  });

  it('transfers the dialog to a colleague who sees it arrive live', async () => {
    const created = await api.call('POST', '/api/users', { email: COLLEAGUE.email, name: COLLEAGUE.name, role: 'operator', password: COLLEAGUE.password });
    expect(created.status).toBe(201);
    const c = await newPage(browser);
    colleague = c.page;
    await loginConsole(colleague, hub.url, COLLEAGUE.email, COLLEAGUE.password);
    await colleague.waitForSelector('[data-test=inbox-list]');
    expect(await row(colleague).count()).toBe(0);

    await op.click('[data-test=transfer]');
    await expect.poll(() => op.locator('[data-test=transfer-select] option').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining(COLLEAGUE.name)]));
    const value = await op.locator('[data-test=transfer-select] option', { hasText: COLLEAGUE.name }).getAttribute('value');
    await op.selectOption('[data-test=transfer-select]', value!);
    await op.click('[data-test=transfer-submit]');
    await expect.poll(() => op.locator('[data-test=dialog-assignee]').textContent()).toContain(COLLEAGUE.name);

    await row(colleague).waitFor({ timeout: 15_000 });
    await row(colleague).click();
    await thread(colleague).getByText('Hello, is the gravel bike in stock?').waitFor();
    // Colleagues see notes too.
    await thread(colleague).getByText('VIP: offer free delivery').waitFor();
    await shot(colleague, '06-colleague-receives-transfer');
  });

  it('closes the dialog and finds it under Closed', async () => {
    await colleague.click('[data-test=close]');
    await colleague.locator('[data-test=reopen]').waitFor();
    await expect.poll(() => colleague.locator('[data-test=dialog] [data-test=status-badge]').first().textContent()).toContain('Closed');
    await colleague.click('[data-test=tab-closed]');
    await row(colleague).waitFor({ timeout: 10_000 });
    await expect.poll(() => op.locator('[data-test=dialog] [data-test=status-badge]').first().textContent()).toContain('Closed');
    await shot(colleague, '07-closed');
  });

  it('renders the supervisor and settings screens', async () => {
    await op.goto(`${hub.url}/supervisor`);
    await op.locator('[data-test=supervisor-operators]').getByText(COLLEAGUE.name).waitFor();
    await shot(op, '08-supervisor');
    await op.goto(`${hub.url}/settings/users`);
    await op.locator('[data-test=users-table]').getByText(COLLEAGUE.email).waitFor();
    await shot(op, '09-settings-users');
    await op.goto(`${hub.url}/settings/channels`);
    await op.locator('[data-test=embed-code]').first().waitFor();
    expect(await op.locator('[data-test=embed-code]').first().textContent()).toContain(`data-key="${hub.demoWidgetKey}"`);
    await shot(op, '10-settings-channels');
    await op.goto(`${hub.url}/settings/lines`);
    await op.locator('[data-test^=line-]').first().waitFor();
    await shot(op, '11-settings-lines');
  });

  it('works on a narrow phone screen', async () => {
    const m = await newPage(browser, { width: 390, height: 780 });
    await loginConsole(m.page, hub.url, COLLEAGUE.email, COLLEAGUE.password);
    await m.page.goto(`${hub.url}/inbox/closed`);
    await row(m.page).waitFor();
    await shot(m.page, '12-mobile-inbox');
    await row(m.page).click();
    await thread(m.page).getByText('Hello, is the gravel bike in stock?').waitFor();
    await shot(m.page, '13-mobile-dialog');
    expect(m.errors).toEqual([]);
  });

  it('had no uncaught page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
