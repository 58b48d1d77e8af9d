/**
 * Script in every text a customer or colleague controls, rendered where the console shows it: the
 * inbox, the dialog, the CRM card, the supervisor view and settings. Each payload, if it ran, would
 * bump `window.__xss` or open a dialog; the texts must show up literally instead.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, login, visitor, type ApiClient } from '../helpers/clients.js';
import { startHub, type TestHub } from '../helpers/hub.js';
import { launchBrowser, loginConsole, newPage, shot } from './browser.js';

const RUN = 'window.__xss=(window.__xss||0)+1';
const PAYLOADS = {
  img: `<img src=x onerror="${RUN}">`,
  script: `<script>${RUN}</script>`,
  svg: `<svg/onload="${RUN}">`,
  link: `javascript:${RUN}//`,
  attr: `"><iframe srcdoc="<script>parent.${RUN}</script>">`,
};
/** Texts take every payload; names (at most 200 characters) the two that fit. */
const mixed = (label: string) => `${label} ${PAYLOADS.img} ${PAYLOADS.script} ${PAYLOADS.svg} ${PAYLOADS.attr}`;
const named = (label: string) => `${label} ${PAYLOADS.img} ${PAYLOADS.svg}`;

let hub: TestHub;
let browser: Browser;
let api: ApiClient;
let page: Page;
let conversationId: number;
const dialogs: string[] = [];
const errors: string[] = [];

beforeAll(async () => {
  hub = await startHub();
  browser = await launchBrowser();
  api = await login(hub.url, hub.admin.email, hub.admin.password);
  const user = await api.call('POST', '/api/users', { email: 'evil@test.local', name: named('Operator'), password: 'evil-password-1', role: 'operator' });
  expect(user.status).toBe(201);
  const line = await api.call('POST', '/api/lines', { name: named('Line'), memberIds: [user.body.id] });
  expect(line.status).toBe(201);
  expect((await api.call('POST', '/api/canned-answers', { shortcut: 'evil', text: mixed('Canned') })).status).toBe(201);
  expect((await api.call('POST', '/api/channels', { type: 'webchat', name: named('Channel'), lineId: line.body.id })).status).toBe(201);

  const v = await visitor(hub.url, hub.demoWidgetKey, { name: named('Client') });
  const sent = await v.send(`${mixed('Message')} ${PAYLOADS.link} https://example.com/${PAYLOADS.img}`);
  if (!sent.ok) throw new Error(sent.error.message);
  v.socket.close();
  const conv = await eventually(async () => (await api.call('GET', '/api/conversations?scope=all')).body.items[0], 'dialog');
  conversationId = conv.id;
  await api.call('POST', `/api/conversations/${conversationId}/notes`, { text: mixed('Note') });
  await api.call('POST', `/api/conversations/${conversationId}/messages`, { text: mixed('Reply') });
  const lead = (await api.call('GET', `/api/leads?contactId=${conv.contactId}`)).body.items[0];
  await api.call('PATCH', `/api/leads/${lead.id}`, { title: named('Lead') });
  await api.call('PATCH', `/api/contacts/${conv.contactId}`, { email: 'client@example.com' });
  await api.call('POST', `/api/conversations/${conversationId}/transfer`, { lineId: line.body.id, comment: mixed('Transfer') });

  const opened = await newPage(browser, { width: 1400, height: 900 });
  page = opened.page;
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await loginConsole(page, hub.url, hub.admin.email, hub.admin.password);
});

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
});

async function nothingRan(where: string): Promise<void> {
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss ?? 0), where).toBe(0);
  expect(dialogs, where).toEqual([]);
}

describe('script in user-controlled text never runs in the console', () => {
  it('inbox and dialog: contact name, message, note, reply, system events', async () => {
    await page.goto(`${hub.url}/inbox/all/${conversationId}`);
    await page.getByText('Message <img', { exact: false }).filter({ visible: true }).first().waitFor();
    await page.getByText('Note <img', { exact: false }).filter({ visible: true }).first().waitFor();
    expect(await page.locator('[data-test=inbox-list]').textContent()).toContain('Client <img src=x');
    await nothingRan('dialog');
    await shot(page, '40-xss-dialog');
  });

  it('CRM card: contact and lead', async () => {
    await page.getByText('Lead <img', { exact: false }).filter({ visible: true }).first().waitFor();
    await nothingRan('crm');
  });

  it('supervisor view: operators and queue', async () => {
    await page.goto(`${hub.url}/supervisor`);
    await page.getByText('Operator <img', { exact: false }).filter({ visible: true }).first().waitFor();
    await nothingRan('supervisor');
  });

  it('settings: users, lines, channels, canned answers', async () => {
    for (const [path, text] of [['users', 'Operator <img'], ['lines', 'Line <img'], ['channels', 'Channel <img'], ['canned', 'Canned <img']] as const) {
      await page.goto(`${hub.url}/settings/${path}`);
      await page.getByText(text, { exact: false }).filter({ visible: true }).first().waitFor();
      await nothingRan(`settings/${path}`);
    }
    expect(errors).toEqual([]);
  });
});
