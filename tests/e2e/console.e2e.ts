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
/** A 2×2 red PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==', 'base64');
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
    // Keyboard: j moves to the first row, Enter opens it.
    await op.locator('body').click({ position: { x: 640, y: 400 } });
    await op.keyboard.press('j');
    await op.keyboard.press('Enter');
    await op.waitForURL(/\/inbox\/all\/\d+/);
    await thread(op).getByText('Hello, is the gravel bike in stock?').waitFor();
    await op.locator('[data-test=crm-card]').waitFor();
    await shot(op, '02-dialog-incoming');
  });

  it('takes the dialog and replies; the visitor sees the reply', async () => {
    const take = op.locator('[data-test=take]');
    if (await take.isVisible()) await take.click();
    await expect.poll(() => op.locator('[data-test=dialog-assignee]').textContent()).toContain('Administrator');
    // The visitor starts typing: the operator sees it.
    await visitor.locator('textarea[aria-label="Message"]').pressSequentially('Which', { delay: 30 });
    await op.locator('[data-test=typing]').getByText('Client is typing').waitFor({ timeout: 10_000 });
    await visitor.locator('textarea[aria-label="Message"]').fill('');
    await op.fill('[data-test=composer-input]', 'Yes! Size M and L are in stock.');
    await op.press('[data-test=composer-input]', 'Enter');
    await thread(op).getByText('Size M and L are in stock.').waitFor();
    await visitor.getByText('Size M and L are in stock.').waitFor({ timeout: 15_000 });
    // An attachment goes up through POST /api/uploads and out with the reply.
    await op.locator('[data-test=file-input]').setInputFiles({ name: 'size-chart.png', mimeType: 'image/png', buffer: PNG });
    await op.locator('[data-test=composer-attachments] .chip.done').waitFor();
    await op.press('[data-test=composer-input]', 'Enter');
    await thread(op).locator('[data-test=attachment-image] img').waitFor();
    await visitor.locator('a.image img').first().waitFor({ timeout: 15_000 });
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

  it('edits the client card: contact and lead', async () => {
    const card = op.locator('[data-test=crm-card]');
    await card.locator('[data-test=contact-edit]').click();
    await card.locator('[data-test=contact-phone]').fill('+31 20 555 0101');
    await card.locator('[data-test=contact-email]').fill('anna@example.com');
    await card.locator('[data-test=contact-save]').click();
    await card.getByText('+31 20 555 0101').waitFor();
    await card.locator('[data-test=lead-status]').selectOption('in_progress');
    await expect.poll(() => op.locator('[data-test=lead-badge]').textContent()).toContain('In progress');
    const contact = await api.call<{ items: { contactId: number; status: string }[] }>('GET', '/api/leads?status=in_progress');
    expect(contact.body.items).toHaveLength(1);
  });

  it('shows a reconnect banner when the link drops and catches up on return', async () => {
    // Drop every operator socket and refuse reconnects for a while, as a restarting server would.
    let refusing = true;
    const operators = hub.hub.io.of('/operator');
    operators.use((_socket, next) => (refusing ? next(new Error('unavailable')) : next()));
    operators.disconnectSockets(true);
    try {
      await op.locator('[data-test=reconnect-banner]').waitFor();
      await shot(op, '06-reconnect-banner');
      await visitorWrites(visitor, 'Are you still there?');
      await visitor.getByText('Are you still there?').waitFor();
      await op.waitForTimeout(500);
      expect(await thread(op).getByText('Are you still there?').count()).toBe(0);
    } finally {
      refusing = false;
    }
    await op.locator('[data-test=reconnect-banner]').waitFor({ state: 'detached', timeout: 20_000 });
    await thread(op).getByText('Are you still there?').waitFor({ timeout: 10_000 });
    await expect.poll(() => op.locator('[data-test=presence]').inputValue()).toBe('online');
  });

  it('transfers the dialog to a colleague who sees it arrive live', async () => {
    const created = await api.call('POST', '/api/users', { email: COLLEAGUE.email, name: COLLEAGUE.name, role: 'operator', password: COLLEAGUE.password });
    expect(created.status).toBe(201);
    const c = await newPage(browser);
    colleague = c.page;
    await loginConsole(colleague, hub.url, COLLEAGUE.email, COLLEAGUE.password);
    await colleague.waitForSelector('[data-test=inbox-list]');
    expect(await row(colleague).count()).toBe(0);

    // The admin puts Boris on the demo line (Settings → Open lines), as an operator must be a member.
    const dialogUrl = op.url();
    const channels = await api.call<{ items: { id: number; lineId: number }[] }>('GET', '/api/channels');
    const lineId = channels.body.items.find((ch) => ch.id === hub.demoChannelId)!.lineId;
    await op.goto(`${hub.url}/settings/lines`);
    await op.locator(`[data-test=line-${lineId}] button`).click();
    const memberValue = await op.locator('[data-test=line-add-member] option', { hasText: COLLEAGUE.name }).getAttribute('value');
    await op.selectOption('[data-test=line-add-member]', memberValue!);
    await op.locator('[data-test=line-form] .add button').click();
    await shot(op, '12-settings-line-form');
    await op.click('[data-test=line-save]');
    await op.locator(`[data-test=line-${lineId}]`).getByText(COLLEAGUE.name).waitFor();
    await op.goto(dialogUrl);
    await thread(op).getByText('Shall I reserve one for you?').waitFor();

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
    await shot(colleague, '07-colleague-receives-transfer');
  });

  it('closes the dialog and finds it under Closed', async () => {
    await colleague.click('[data-test=close]');
    await colleague.locator('[data-test=reopen]').waitFor();
    await expect.poll(() => colleague.locator('[data-test=dialog] [data-test=status-badge]').first().textContent()).toContain('Closed');
    await colleague.click('[data-test=tab-closed]');
    await row(colleague).waitFor({ timeout: 10_000 });
    await expect.poll(() => op.locator('[data-test=dialog] [data-test=status-badge]').first().textContent()).toContain('Closed');
    await shot(colleague, '08-closed');
  });

  it('renders the supervisor and settings screens', async () => {
    await op.goto(`${hub.url}/supervisor`);
    await op.locator('[data-test=supervisor-operators]').getByText(COLLEAGUE.name).waitFor();
    await shot(op, '09-supervisor');
    await op.goto(`${hub.url}/settings/users`);
    await op.locator('[data-test=users-table]').getByText(COLLEAGUE.email).waitFor();
    await shot(op, '10-settings-users');
    await op.goto(`${hub.url}/settings/channels`);
    await op.locator('[data-test=embed-code]').first().waitFor();
    expect(await op.locator('[data-test=embed-code]').first().textContent()).toContain(`data-key="${hub.demoWidgetKey}"`);
    // A second site chat, created from the form, shows its own embed code.
    await op.click('[data-test=channel-add]');
    await op.fill('[data-test=channel-name]', 'Service desk chat');
    await op.fill('[data-test=channel-title]', 'Service desk');
    await op.fill('[data-test=channel-origins]', 'https://shop.example\nhttps://help.shop.example/faq');
    await op.click('[data-test=channel-save]');
    await op.locator('[data-test=channel-form]').waitFor({ state: 'detached' });
    const list = await api.call<{ items: { name: string; publicKey: string | null; settings: Record<string, unknown> }[] }>('GET', '/api/channels');
    const created = list.body.items.find((ch) => ch.name === 'Service desk chat')!;
    expect(created.settings.allowedOrigins).toEqual(['https://shop.example', 'https://help.shop.example']);
    await op.locator('[data-test=embed-code]', { hasText: `data-key="${created.publicKey}"` }).waitFor();
    await shot(op, '11-settings-channels');
    await op.goto(`${hub.url}/settings/lines`);
    await op.locator('[data-test^=line-]').first().waitFor();
    await shot(op, '13-settings-lines');
  });

  it('works on a narrow phone screen', async () => {
    const m = await newPage(browser, { width: 390, height: 780 });
    await loginConsole(m.page, hub.url, COLLEAGUE.email, COLLEAGUE.password);
    await m.page.goto(`${hub.url}/inbox/closed`);
    await row(m.page).waitFor();
    await shot(m.page, '14-mobile-inbox');
    await row(m.page).click();
    await thread(m.page).getByText('Hello, is the gravel bike in stock?').waitFor();
    await shot(m.page, '15-mobile-dialog');
    expect(m.errors).toEqual([]);
  });

  it('speaks Russian when asked in the profile', async () => {
    await colleague.goto(`${hub.url}/profile`);
    await colleague.selectOption('[data-test=language]', 'ru');
    await expect.poll(() => colleague.locator('header nav').textContent()).toContain('Диалоги');
    await colleague.goto(`${hub.url}/inbox/closed`);
    await row(colleague).click();
    await colleague.getByText('Внутренняя заметка').first().waitFor();
    await shot(colleague, '16-russian');
  });

  it('logs out and stays out after a reload', async () => {
    await colleague.click('[data-test=logout]');
    await colleague.waitForURL(/\/login/);
    await colleague.reload();
    await colleague.locator('[data-test=login-form]').waitFor();
    const me = await colleague.evaluate(() => fetch('/api/me').then((r) => r.status));
    expect(me).toBe(401);
  });

  it('had no uncaught page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
