/**
 * Open-line settings in the console against a real hub: routing, a weekly schedule with a split
 * shift and an overnight interval (kept across a reload), a welcome text the /demo visitor gets,
 * then the dialog actions that go with routing (skip, transfer to a line) and the quality loop
 * (the client's rating, a supervisor's review, the supervisor list).
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
let lineId: number;
let lineName: string;
let nightId: number;
const errors: string[] = [];

beforeAll(async () => {
  hub = await startHub();
  browser = await launchBrowser();
  api = await login(hub.url, hub.admin.email, hub.admin.password);
  const channels = await api.call<{ items: { id: number; lineId: number }[] }>('GET', '/api/channels');
  lineId = channels.body.items.find((c) => c.id === hub.demoChannelId)!.lineId;
  lineName = (await api.call<{ name: string }>('GET', `/api/lines/${lineId}`)).body.name;
  // A second line to fall back and transfer to; it asks for a rating when a dialog closes.
  const night = await api.call<{ id: number }>('POST', '/api/lines', {
    name: 'Night desk',
    messages: { ratingRequest: 'How did we do? Rate us from 1 to 5.' },
  });
  expect(night.status).toBe(201);
  nightId = night.body.id;
});

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
});

const day = (d: string) => op.locator(`[data-test=hours-day-${d}]`);
const spans = (d: string) => day(d).locator('[data-test=hours-bar]').evaluateAll((bars) => bars.map((b) => `${b.getAttribute('data-span')}:${b.getAttribute('data-part')}`));

describe('open line settings', () => {
  it('edits routing and explains each mode', async () => {
    const page = await newPage(browser, { width: 1280, height: 1000 });
    op = page.page;
    op.on('pageerror', (e) => errors.push(e.message));
    await loginConsole(op, hub.url, hub.admin.email, hub.admin.password);
    await op.goto(`${hub.url}/settings/lines`);
    await op.locator(`[data-test=line-${lineId}] button`).click();
    await op.waitForURL(new RegExp(`/settings/lines/${lineId}/general$`));
    await op.click('[data-test=line-tab-routing]');
    await op.locator('[data-test=routing-form]').waitFor();
    expect(await op.locator('[data-test=routing-form]').textContent()).toContain('who has waited longest since their last dialog');

    await op.locator('[data-test=routing-mode-in_order]').check();
    // 60 s by default is shown as 1 minute; 2 of them are stored as 120 seconds.
    expect(await op.locator('[data-test=routing-pass-on]').inputValue()).toBe('1');
    await op.fill('[data-test=routing-pass-on]', '2');
    await op.selectOption('[data-test=routing-fallback]', String(nightId));
    await op.selectOption('[data-test=routing-known]', 'last_operator');
    await op.locator('[data-test=line-tab-routing] .dot').waitFor();
    await op.locator('[data-test=routing-pass-on]').blur();
    await shot(op, '20-line-routing');
    await op.click('[data-test=routing-save]');
    await op.locator('[data-test=routing-save-saved]').waitFor();
    const line = await api.call('GET', `/api/lines/${lineId}`);
    expect(line.body.routing).toMatchObject({ mode: 'in_order', passOnSeconds: 120, fallbackLineId: nightId, knownClients: 'last_operator' });
  });

  it('sets working hours with a split shift and an overnight interval, and keeps them across a reload', async () => {
    await op.click('[data-test=line-tab-hours]');
    await op.locator('[data-test=hours-form]').waitFor();
    await op.locator('[data-test=hours-enabled]').check();
    // Time zone: search, then pick.
    await op.click('[data-test=hours-timezone]');
    await op.fill('[data-test=hours-timezone]', 'berl');
    await op.locator('[role=option][data-zone="Europe/Berlin"]').click();
    expect(await op.inputValue('[data-test=hours-timezone]')).toContain('Europe/Berlin');

    // Monday: 09:00–13:00 and 14:00–18:00.
    await op.fill('[data-test=hours-mon-0-to]', '13:00');
    await op.click('[data-test=hours-mon-add]');
    await op.fill('[data-test=hours-mon-1-from]', '14');
    await op.fill('[data-test=hours-mon-1-to]', '1800');
    await op.locator('[data-test=hours-mon-1-to]').blur();
    expect(await op.inputValue('[data-test=hours-mon-1-from]')).toBe('14:00');
    // Friday night: 22:00–06:00 runs into Saturday.
    await op.click('[data-test=hours-fri-add]');
    await op.fill('[data-test=hours-fri-1-from]', '22:00');
    await op.fill('[data-test=hours-fri-1-to]', '06:00');
    await op.locator('[data-test=hours-fri-1-to]').blur();
    // A yearly holiday.
    await op.fill('[data-test=holiday-date]', '2026-12-25');
    await op.check('[data-test=holiday-yearly]');
    await op.click('[data-test=holiday-add]');
    await op.locator('[data-holiday="12-25"]').waitFor();

    expect(await spans('mon')).toEqual(['09:00-13:00:whole', '14:00-18:00:whole']);
    expect(await spans('fri')).toEqual(['09:00-18:00:whole', '22:00-24:00:head']);
    expect(await spans('sat')).toEqual(['00:00-06:00:tail']);
    await op.locator('[data-test=hours-week]').scrollIntoViewIfNeeded();
    await shot(op, '21-working-hours');

    // A time that does not exist is caught before anything is sent.
    await op.fill('[data-test=hours-tue-0-from]', '25:00');
    await op.click('[data-test=hours-save]');
    await op.locator('[data-test=hours-save-error]').waitFor();
    expect(await op.getAttribute('[data-test=hours-tue-0-from]', 'aria-invalid')).toBe('true');
    expect(await day('tue').textContent()).toContain('Enter a time such as 09:00.');
    await op.fill('[data-test=hours-tue-0-from]', '09:00');

    await op.click('[data-test=hours-save]');
    await op.locator('[data-test=hours-save-saved]').waitFor();
    const saved = await api.call('GET', `/api/lines/${lineId}`);
    expect(saved.body.hours).toMatchObject({
      enabled: true,
      timezone: 'Europe/Berlin',
      holidays: ['12-25'],
      week: { mon: [{ from: '09:00', to: '13:00' }, { from: '14:00', to: '18:00' }], fri: [{ from: '09:00', to: '18:00' }, { from: '22:00', to: '06:00' }], sat: [] },
    });

    await op.reload();
    await op.locator('[data-test=hours-form]').waitFor();
    expect(await op.locator('[data-test=hours-enabled]').isChecked()).toBe(true);
    expect(await op.inputValue('[data-test=hours-timezone]')).toContain('Europe/Berlin');
    expect(await op.inputValue('[data-test=hours-mon-1-from]')).toBe('14:00');
    expect(await op.inputValue('[data-test=hours-fri-1-to]')).toBe('06:00');
    expect(await spans('sat')).toEqual(['00:00-06:00:tail']);
    await op.locator('[data-holiday="12-25"]').waitFor();
    expect(await op.locator(`[data-test=line-${lineId}-hours]`).textContent()).toContain('Europe/Berlin, 52 h a week');
  });

  it('sets a welcome text with placeholders that a visitor on /demo gets', async () => {
    // The schedule stays stored but is switched off, so the line is open whenever this test runs.
    await op.locator('[data-test=hours-enabled]').uncheck();
    await op.click('[data-test=hours-save]');
    await op.locator('[data-test=hours-save-saved]').waitFor();

    await op.click('[data-test=line-tab-messages]');
    const welcome = op.locator('[data-test=message-welcome-text]');
    await welcome.fill('Hi ');
    await op.locator('[data-test=message-welcome] .chip', { hasText: '{{contact.name}}' }).click();
    await welcome.pressSequentially('! You are talking to');
    await op.locator('[data-test=message-welcome] .chip', { hasText: '{{line.name}}' }).click();
    await welcome.pressSequentially('.');
    expect(await welcome.inputValue()).toBe('Hi {{contact.name}}! You are talking to {{line.name}}.');
    await op.locator('[data-test=welcome-when-first]').check();
    await op.click('[data-test=messages-save]');
    await op.locator('[data-test=messages-save-saved]').waitFor();
    expect((await api.call('GET', `/api/lines/${lineId}`)).body.messages).toMatchObject({ welcome: 'Hi {{contact.name}}! You are talking to {{line.name}}.', welcomeWhen: 'first' });

    const v = await newPage(browser, { width: 1000, height: 720 });
    visitor = v.page;
    await visitor.goto(`${hub.url}/demo`);
    await visitor.click('.launcher');
    await visitorWrites(visitor, 'Do you ship to Norway?', 'Vera Visitor');
    await visitor.getByText(`Hi Vera Visitor! You are talking to ${lineName}.`).waitFor({ timeout: 15_000 });
  });

  it('lets the assignee skip the dialog and transfer it to another line', async () => {
    await op.goto(`${hub.url}/inbox/all`);
    const row = op.locator('[data-test=inbox-list] [data-row]').filter({ hasText: 'Vera Visitor' });
    await row.click();
    await op.locator('[data-test=messages]').getByText('Do you ship to Norway?').waitFor();
    const take = op.locator('[data-test=take]');
    if (await take.isVisible()) await take.click();
    await expect.poll(() => op.locator('[data-test=dialog-assignee]').textContent()).toContain('Administrator');
    // Nobody else is on the line, so skipping puts it back in the queue.
    await op.click('[data-test=skip]');
    await expect.poll(() => op.locator('[data-test=dialog-assignee]').textContent()).toContain('Unassigned');

    await op.click('[data-test=transfer]');
    await op.locator('[data-test=transfer-lines] option', { hasText: 'Night desk' }).waitFor({ state: 'attached' });
    await op.selectOption('[data-test=transfer-select]', `line:${nightId}`);
    await op.click('[data-test=transfer-submit]');
    await op.locator('[data-test=transfer-form]').waitFor({ state: 'detached' });
    const id = Number(/\/(\d+)$/.exec(op.url())![1]);
    await expect.poll(async () => (await api.call('GET', `/api/conversations/${id}`)).body.lineId).toBe(nightId);
  });

  it("shows the client's rating and takes a supervisor's review", async () => {
    await op.click('[data-test=close]');
    await op.locator('[data-test=reopen]').waitFor();
    // The Night desk asks for a rating; the visitor answers in the widget.
    await visitor.getByText('How did we do? Rate us from 1 to 5.').first().waitFor({ timeout: 15_000 });
    await visitor.locator('button[aria-label="Rate 4 of 5"]').click();
    await op.locator('[data-test=dialog-rating]').waitFor({ timeout: 15_000 });
    expect(await op.locator('[data-test=dialog-rating] [data-test=stars]').getAttribute('aria-label')).toBe('4 of 5');

    const card = op.locator('[data-test=crm-card]');
    if (!(await card.isVisible())) await op.click('[data-test=toggle-crm]');
    await card.locator('[data-test=crm-session]').waitFor();
    expect(await card.locator('[data-test=kpi-pass-ons]').textContent()).toBe('1');
    await card.locator('[data-test=review-open]').click();
    await card.locator('[data-test=star-3]').check({ force: true });
    await card.locator('[data-test=review-comment]').fill('Transferred without a note to the client.');
    await card.locator('[data-test=review-save]').click();
    await card.locator('[data-test=crm-review]').getByText('Transferred without a note to the client.').waitFor();
    expect(await card.locator('[data-test=crm-review] [data-test=stars]').getAttribute('aria-label')).toBe('3 of 5');
    await shot(op, '22-dialog-rating-review');

    await op.goto(`${hub.url}/supervisor`);
    const quality = op.locator('[data-test=supervisor-quality]');
    const closed = await api.call<{ items: { id: number; contactName: string }[] }>('GET', '/api/conversations?scope=closed');
    const id = closed.body.items.find((c) => c.contactName === 'Vera Visitor')!.id;
    const row = quality.locator(`[data-test=quality-${id}]`);
    await row.waitFor();
    expect(await row.locator('[data-test=stars]').evaluateAll((s) => s.map((e) => e.getAttribute('aria-label')))).toEqual(['4 of 5', '3 of 5']);
    await shot(op, '23-supervisor-quality');
  });

  it('had no uncaught page errors', () => {
    expect(errors).toEqual([]);
  });
});
