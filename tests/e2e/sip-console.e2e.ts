/**
 * SIP end to end through the real console, with real peers on loopback: Kamailio (registrar and proxy,
 * WebSocket for the browser, UDP for sipp), a real hub, the built console in headless Chromium with fake
 * media devices signed in as an operator whose softphone registers as extension 1001, and sipp as the
 * caller from outside (a WebRTC-compatible offer the browser can answer) or the customer called.
 * Signalling is what is checked, not media: the offers carry no ICE candidates, so nothing flows.
 *
 * 1. A known caller rings: the popup shows her CRM card (name, lead); the operator answers, the caller
 *    hangs up → the call is logged answered by the operator, with its duration, in API and dialog.
 * 2. An unknown caller gives up before anyone answers → a missed call, a new contact and lead, and the
 *    dialog waits for a call-back (badge in the inbox).
 * 3. Click-to-call from the CRM card to a sipp UAS behind Kamailio's trunk → an outgoing call answered.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MessageDto } from '../../shared/conversations.js';
import { freePort, kamailioAvailable, startKamailio, type Kamailio } from '../calls/sip/kamailio.js';
import { describeRun, runSipp as startSipp, sippAvailable, type SippOptions, type SippResult, type SippRun } from '../calls/sip/sipp.js';
import { login, type ApiClient } from '../helpers/clients.js';
import { startHub, type TestHub } from '../helpers/hub.js';
import { FAKE_MEDIA_ARGS, launchBrowser, loginConsole, newPage, shot } from './browser.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const EXTENSION = '1001';
const OPERATOR = { email: 'petra@test.local', password: 'petra-password-1', name: 'Petra Phone' };
/**
 * Numbers from the fictional 555-01xx ranges that libphonenumber still counts as valid: the hub reads
 * an invalid one (the rig's default +15550001234: there is no area code 555) as a SIP user name.
 */
const CARLA = { name: 'Carla Caller', phone: '+12025550123', lead: 'Gravel bike order, size M' };
const STRANGER = '+13125550147';
/** Waits for the browser and the hub: generous, since the machine may be busy with other tests. */
const WAIT = { timeout: 20_000 };

let kamailio: Kamailio;
let hub: TestHub;
let browser: Browser;
let admin: ApiClient;
let op: Page;
let operatorId: number;
let lineId: number;
let sipChannelId: number;
let carlaId: number;
let uasPort: number;
const pageErrors: string[] = [];
const pageLog: string[] = [];

/** Every sipp run of a test ends with it: a failed test's sipp must not take part in the next test's call. */
const sippRuns: SippRun[] = [];
async function runSipp(options: SippOptions): Promise<SippRun> {
  const run = await startSipp({ target: kamailio.udpTarget, service: EXTENSION, ...options });
  sippRuns.push(run);
  return run;
}
async function sippOk(done: Promise<SippResult>): Promise<SippResult> {
  const result = await done;
  expect(result.code, describeRun(result)).toBe(0);
  return result;
}

/**
 * Until something has bound this UDP port on loopback (sipp's UAS is up). Read from /proc/net/udp, so
 * the check itself never holds the port sipp is about to bind.
 */
async function udpBound(port: number): Promise<void> {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const deadline = Date.now() + WAIT.timeout;
  while (!readFileSync('/proc/net/udp', 'utf8').split('\n').some((line) => line.trim().split(/\s+/)[1] === local)) {
    if (Date.now() > deadline) throw new Error(`nothing bound udp 127.0.0.1:${port}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function messagesOf(conversationId: number): Promise<MessageDto[]> {
  const r = await admin.call<{ items: MessageDto[] }>('GET', `/api/conversations/${conversationId}/messages?limit=200`);
  expect(r.status).toBe(200);
  return r.body.items;
}

/** The conversation id a console link points at (`/inbox/<scope>/<id>`). */
async function linkedConversation(link: ReturnType<Page['locator']>): Promise<number> {
  await link.waitFor(WAIT);
  const href = (await link.getAttribute('href')) ?? '';
  const id = Number(/\/inbox\/\w+\/(\d+)/.exec(href)?.[1]);
  expect(id, `conversation link ${href}`).toBeGreaterThan(0);
  return id;
}

beforeAll(async () => {
  expect(existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM} (apt-get install chromium)`).toBe(true);
  expect(kamailioAvailable(), 'Kamailio with its websocket module (apt-get install kamailio kamailio-websocket-modules)').toBe(true);
  expect(sippAvailable(), 'sipp (apt-get install sip-tester)').toBe(true);
  // The customer the operator calls: Kamailio sends INVITEs for numbers nobody registered to a sipp UAS there.
  uasPort = await freePort('udp');
  kamailio = await startKamailio({ trunk: `sip:127.0.0.1:${uasPort}` });
  hub = await startHub();
  admin = await login(hub.url, hub.admin.email, hub.admin.password);

  // The operator, on the demo line (line 1) with its site chat.
  const created = await admin.call<{ id: number }>('POST', '/api/users', { ...OPERATOR, role: 'operator' });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  operatorId = created.body.id;
  const channels = await admin.call<{ items: { id: number; lineId: number }[] }>('GET', '/api/channels');
  lineId = channels.body.items.find((c) => c.id === hub.demoChannelId)!.lineId;
  const line = await admin.call<{ memberIds: number[] }>('GET', `/api/lines/${lineId}`);
  expect((await admin.call('PATCH', `/api/lines/${lineId}`, { memberIds: [...line.body.memberIds, operatorId] })).status).toBe(200);

  // The office PBX as a SIP channel of that line, and the operator's extension on it.
  const sip = await admin.call<{ id: number }>('POST', '/api/channels', {
    type: 'sip', name: 'Office PBX', lineId, settings: { wsUrl: kamailio.wsUrl, domain: kamailio.domain },
  });
  expect(sip.status, JSON.stringify(sip.body)).toBe(201);
  sipChannelId = sip.body.id;
  const account = await admin.call('PUT', `/api/channels/${sipChannelId}/sip-accounts/${operatorId}`, { extension: EXTENSION, password: 'petra-sip-secret' });
  expect(account.status, JSON.stringify(account.body)).toBe(200);

  // Carla wrote on the site chat before, leaving her number: a contact with a lead the popup can show.
  const seeded = await hub.hub.ingest.ingest({
    channelId: hub.demoChannelId, externalId: 'seed-carla-1', sender: { externalId: 'visitor-carla', name: CARLA.name, phone: CARLA.phone },
    text: 'Hello, could you call me about the gravel bike?',
  });
  carlaId = seeded.contactId;
  const contact = await admin.call<{ phone: string | null }>('GET', `/api/contacts/${carlaId}`);
  if (contact.body.phone !== CARLA.phone) expect((await admin.call('PATCH', `/api/contacts/${carlaId}`, { phone: CARLA.phone })).status).toBe(200);
  const leads = await admin.call<{ items: { id: number }[] }>('GET', `/api/leads?contactId=${carlaId}`);
  expect(leads.body.items).toHaveLength(1);
  expect((await admin.call('PATCH', `/api/leads/${leads.body.items[0]!.id}`, { title: CARLA.lead })).status).toBe(200);

  browser = await launchBrowser(FAKE_MEDIA_ARGS);
  op = (await newPage(browser, { width: 1280, height: 800 })).page;
  op.on('pageerror', (e) => pageErrors.push(e.message));
  op.on('console', (m) => pageLog.push(`${m.type()}: ${m.text()}`));
  await loginConsole(op, hub.url, OPERATOR.email, OPERATOR.password);
  // The softphone registered as 1001 over ws://.
  await op.locator('[data-test=phone-status][data-status=ready]').waitFor(WAIT);
});

afterEach(async (context) => {
  for (const run of sippRuns.splice(0)) run.stop();
  if (context.task.result?.state !== 'fail') return;
  const popupText = await op?.locator('[data-test=call-popup]').innerText({ timeout: 1000 }).catch(() => '(no popup)');
  console.error([`--- popup ---`, popupText, `--- page errors ---`, ...pageErrors, `--- page console (tail) ---`, ...pageLog.slice(-60), `--- kamailio log (tail) ---`, kamailio?.log().slice(-6000)].join('\n'));
});

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
  await kamailio?.stop();
});

const popup = () => op.locator('[data-test=call-popup]');
const controls = () => op.locator('[data-test=call-controls]');

describe('SIP calls through the console: Kamailio ↔ softphone in Chromium ↔ sipp', () => {
  let carlaConversation: number;

  it('a known caller: the popup shows her CRM card; answered, then she hangs up → logged with its duration', async () => {
    const run = await runSipp({ scenario: 'uac-answered', pauseMs: 2000, keys: { caller: CARLA.phone, caller_name: CARLA.name } });
    await popup().waitFor(WAIT);
    // The card comes with the answer to the softphone's "ringing" report: her name, number and open lead.
    await popup().locator('[data-test=call-popup-name]', { hasText: CARLA.name }).waitFor(WAIT);
    await popup().locator('[data-test=call-popup-lead]', { hasText: CARLA.lead }).waitFor(WAIT);
    expect(await popup().locator('[data-test=call-popup-number]').textContent()).toContain(CARLA.phone);
    carlaConversation = await linkedConversation(popup().locator('[data-test=call-open-dialog]'));
    const callId = await popup().getAttribute('data-call-id');
    expect(callId).toBeTruthy();
    await shot(op, '50-sip-incoming-call');

    await popup().locator('[data-test=call-answer]').click();
    await controls().and(op.locator('[data-stage=active]')).waitFor(WAIT);
    expect(await popup().count()).toBe(0);
    expect(await controls().textContent()).toContain(CARLA.name);

    // sipp talks for 2 s, hangs up and expects the 200 to its BYE.
    const result = await sippOk(run.done);
    expect(result.messages).toContain(`Call-ID: ${callId}`);
    await controls().waitFor({ state: 'detached', ...WAIT });

    // Logged: answered by the operator, with its duration (the "ended" report follows the BYE).
    await expect
      .poll(async () => (await messagesOf(carlaConversation)).find((m) => m.kind === 'call')?.call?.durationSeconds ?? null, WAIT)
      .not.toBeNull();
    const [call] = (await messagesOf(carlaConversation)).filter((m) => m.kind === 'call');
    expect(call!.call).toMatchObject({ direction: 'in', from: CARLA.phone, to: EXTENSION, outcome: 'answered', answeredBy: operatorId });
    expect(call!.call!.durationSeconds).toBeGreaterThanOrEqual(1);
    const conv = await admin.call('GET', `/api/conversations/${carlaConversation}`);
    expect(conv.body).toMatchObject({ contactId: carlaId, channelId: sipChannelId, assigneeId: operatorId, status: 'open' });
    expect(conv.body.callBack).toBeFalsy();

    // The dialog: the call entry, answered, with its duration.
    await op.locator(`[data-test=tab-mine]`).click();
    await op.locator(`[data-test=conversation-${carlaConversation}]`).click();
    const entry = op.locator('[data-test=messages] [data-test=call]');
    await entry.and(op.locator('[data-outcome=answered]')).waitFor(WAIT);
    expect(await entry.locator('[data-test=call-duration]').textContent()).toMatch(/\d/);
    await op.locator('[data-test=crm-card]').waitFor(WAIT);
    await shot(op, '51-sip-call-logged');
  });

  it('an unknown caller gives up before anyone answers → missed call, new contact and lead, call-back', async () => {
    // It rings for 3 s: the popup is checked while it does, everything else once sipp has cancelled.
    const run = await runSipp({ scenario: 'uac-cancelled', pauseMs: 3000, keys: { caller: STRANGER, caller_name: 'Stranger' } });
    await popup().waitFor(WAIT);
    expect(await popup().locator('[data-test=call-popup-number]').textContent()).toContain(STRANGER);
    // Nobody answers: sipp cancels and the popup goes.
    await sippOk(run.done);
    await popup().waitFor({ state: 'detached', ...WAIT });

    // A new contact with that number, and their dialog on the SIP channel.
    const contacts = await admin.call<{ items: { id: number; phone: string | null }[] }>('GET', `/api/contacts?q=${encodeURIComponent(STRANGER)}`);
    expect(contacts.body.items).toEqual([expect.objectContaining({ phone: STRANGER })]);
    const contactId = contacts.body.items[0]!.id;
    expect(contactId).not.toBe(carlaId);
    const dialogs = await admin.call<{ items: { id: number }[] }>('GET', `/api/conversations?contactId=${contactId}&channelId=${sipChannelId}`);
    expect(dialogs.body.items).toHaveLength(1);
    const conversationId = dialogs.body.items[0]!.id;

    // The call is logged missed (the "ended" report follows the CANCEL) and waits for a call-back.
    await expect.poll(async () => (await messagesOf(conversationId)).find((m) => m.kind === 'call')?.call?.outcome, WAIT).toBe('missed');
    const calls = (await messagesOf(conversationId)).filter((m) => m.kind === 'call');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.call).toMatchObject({ direction: 'in', from: STRANGER, to: EXTENSION, outcome: 'missed', answeredBy: null, durationSeconds: null });
    const conv = await admin.call('GET', `/api/conversations/${conversationId}`);
    expect(conv.body).toMatchObject({ channelId: sipChannelId, contactId, callBack: true });
    expect(conv.body.status).not.toBe('closed');
    // Routing may have offered the new dialog to the operator (online) while it rang; else it waits in the queue.
    expect([operatorId, null]).toContain(conv.body.assigneeId);
    // And a lead for the new contact, on the line (the demo line creates leads for new dialogs).
    const leads = await admin.call<{ items: { contactId: number; lineId: number; status: string }[] }>('GET', `/api/leads?contactId=${contactId}`);
    expect(leads.body.items).toEqual([expect.objectContaining({ contactId, lineId, status: 'new' })]);

    // The inbox: the dialog waits with the call-back badge.
    await op.locator(`[data-test=tab-${conv.body.assigneeId === operatorId ? 'mine' : 'queue'}]`).click();
    const row = op.locator(`[data-test=conversation-${conversationId}]`);
    await row.locator('[data-test=call-back-badge]').waitFor(WAIT);
    await row.click();
    await op.locator('[data-test=messages] [data-test=call][data-outcome=missed]').waitFor(WAIT);
    await shot(op, '52-sip-missed-call');
  });

  it('click-to-call from the CRM card: the customer (sipp behind the trunk) answers, the operator hangs up', async () => {
    await op.locator('[data-test=tab-mine]').click();
    await op.locator(`[data-test=conversation-${carlaConversation}]`).click();
    const dial = op.locator('[data-test=crm-card] [data-test=crm-call]');
    await dial.waitFor(WAIT);
    const run = await runSipp({ scenario: 'uas', port: uasPort });
    await udpBound(uasPort);
    await dial.click();
    await controls().and(op.locator('[data-stage=active]')).waitFor(WAIT);
    expect(await controls().textContent()).toContain(CARLA.name);
    await controls().locator('[data-test=call-hangup]').click();
    const result = await sippOk(run.done);
    expect(result.messages).toMatch(new RegExp(`^INVITE sip:\\${CARLA.phone}@`, 'm'));
    await controls().waitFor({ state: 'detached', ...WAIT });

    const outgoing = async () => (await messagesOf(carlaConversation)).find((m) => m.kind === 'call' && m.call?.direction === 'out');
    await expect.poll(async () => (await outgoing())?.call?.endedAt ?? null, WAIT).not.toBeNull();
    const call = (await outgoing())!;
    expect(call).toMatchObject({ direction: 'out', authorId: operatorId });
    expect(call.call).toMatchObject({ direction: 'out', from: EXTENSION, to: CARLA.phone, outcome: 'answered', answeredBy: operatorId });
    expect(call.call!.durationSeconds).not.toBeNull();
    await op.locator('[data-test=messages] [data-test=call][data-outcome=answered]').nth(1).waitFor(WAIT);
  });

  it('no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
