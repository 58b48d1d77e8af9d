/**
 * SIP signalling end to end with real peers on loopback: Kamailio (registrar + proxy, WebSocket for
 * the browser, UDP for sipp), the console's SipPhone in headless Chromium with fake media devices
 * registered as extension 1001, and sipp as the caller from outside or the customer called.
 * Only signalling is checked, not media: the offers carry no ICE candidates, so nothing flows.
 */
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startKamailio, type Kamailio, type KamailioOptions } from '../calls/sip/kamailio.js';
import { DEFAULT_KEYS, describeRun, runSipp as startSipp, type SippOptions, type SippResult, type SippRun } from '../calls/sip/sipp.js';
import type { SipPhoneOptions } from '../../web/console/phones/sip-phone.js';
import { FAKE_MEDIA_ARGS, launchBrowser, newPage } from './browser.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const EXTENSION = '1001';
const CALLER = DEFAULT_KEYS.caller;

/** The page: the SipPhone bundled as the console would ship it, plus the harness around it. */
async function servePage(): Promise<{ url: string; close: () => Promise<void> }> {
  const bundle = await build({
    entryPoints: [path.join(ROOT, 'tests/calls/sip/harness-page.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome110',
    sourcemap: 'inline',
    logLevel: 'silent',
  });
  const script = bundle.outputFiles[0]!.text;
  const html = '<!doctype html><html><head><meta charset="utf-8"><title>SIP harness</title><link rel="icon" href="data:,"></head><body><script src="/harness.js"></script></body></html>';
  const server = http.createServer((req, res) => {
    if (req.url === '/harness.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(script);
    } else if (req.url === '/' || req.url === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

let site: { url: string; close: () => Promise<void> };
let browser: Browser;

/** Every sipp run of a test ends with it: a failed test's sipp must not answer the next test's call. */
const sippRuns: SippRun[] = [];
async function runSipp(options: SippOptions): Promise<SippRun> {
  const run = await startSipp(options);
  sippRuns.push(run);
  return run;
}
afterEach(() => {
  for (const run of sippRuns.splice(0)) run.stop();
});

beforeAll(async () => {
  expect(existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM} (apt-get install chromium)`).toBe(true);
  site = await servePage();
  // browser.ts's flags, plus fake microphone and an auto-accepted permission prompt.
  browser = await launchBrowser(FAKE_MEDIA_ARGS);
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

/**
 * One Kamailio (its trunk a sipp UAS port) and one page with the harness loaded; the helpers read
 * and drive that page's phone.
 */
function rig(options: Omit<KamailioOptions, 'trunk'>, page?: () => Promise<Page>) {
  const r = {
    kamailio: null as unknown as Kamailio,
    page: null as unknown as Page,
    uasPort: 0,
    log: [] as string[],
    calls: () => r.page.evaluate(() => window.sipHarness.calls),
    statuses: () => r.page.evaluate(() => window.sipHarness.statuses),
    callCount: async () => (await r.calls()).length,
    start: async (phone: Partial<SipPhoneOptions>) => {
      const full = { channelId: 1, wsUrl: r.kamailio.wsUrl, domain: r.kamailio.domain, extension: EXTENSION, password: 'not-checked', displayName: 'Operator One', ...phone };
      await r.page.evaluate((o) => window.sipHarness.start(o), full);
    },
    waitForStatus: async (status: string) => {
      await r.page.waitForFunction((s) => window.sipHarness.statuses.includes(s), status, { timeout: 15_000 });
    },
    waitForCall: async (index: number) => {
      await r.page.waitForFunction((i) => window.sipHarness.calls.length > i, index, { timeout: 15_000 });
      return (await r.calls())[index]!;
    },
    waitForEvents: async (index: number, count: number) => {
      await r.page.waitForFunction(([i, n]) => (window.sipHarness.calls[i!]?.events.length ?? 0) >= n!, [index, count], { timeout: 15_000 });
      return (await r.calls())[index]!.events;
    },
  };

  beforeAll(async () => {
    // The customer an operator calls: Kamailio sends INVITEs for unregistered users to this sipp UAS.
    r.uasPort = await freePort('udp');
    r.kamailio = await startKamailio({ domain: DEFAULT_KEYS.domain, trunk: `sip:127.0.0.1:${r.uasPort}`, ...options });
    r.page = page ? await page() : (await newPage(browser)).page;
    r.page.on('console', (message) => r.log.push(`${message.type()}: ${message.text()}`));
    r.page.on('pageerror', (error) => r.log.push(`pageerror: ${error.message}`));
    await r.page.goto(site.url);
  });

  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail') return;
    const statuses = await r.statuses().catch(() => []);
    const calls = await r.calls().catch(() => []);
    console.error(
      [`--- phone statuses ---`, JSON.stringify(statuses), `--- calls ---`, JSON.stringify(calls), `--- page console ---`, ...r.log.slice(-60)].join('\n') +
        `\n--- kamailio log (tail) ---\n${r.kamailio?.log().slice(-8000)}`,
    );
  });

  afterAll(async () => {
    await r.page?.evaluate(() => window.sipHarness.stop()).catch(() => undefined);
    await r.page?.context().close();
    await r.kamailio?.stop();
  });

  return r;
}

async function sippOk(done: Promise<SippResult>): Promise<SippResult> {
  const result = await done;
  expect(result.code, describeRun(result)).toBe(0);
  return result;
}

describe('SIP signalling: SipPhone in Chromium ↔ Kamailio (ws://, no auth) ↔ sipp', () => {
  const r = rig({});
  beforeAll(async () => {
    await r.start({});
    await r.waitForStatus('ready');
  });

  it('registers the operator’s extension over WebSocket', async () => {
    const statuses = await r.statuses();
    expect(statuses).toEqual(['registering', 'ready']);
  });

  it('an incoming call from sipp is answered in the browser, then the caller hangs up', async () => {
    const index = await r.callCount();
    const run = await runSipp({ scenario: 'uac-answered', target: r.kamailio.udpTarget, service: EXTENSION, pauseMs: 1500 });
    const call = await r.waitForCall(index);
    expect(call).toMatchObject({ direction: 'in', remote: CALLER, events: [] });
    await r.page.evaluate((i) => window.sipHarness.answer(i), index);
    const result = await sippOk(run.done);
    // The Call-ID the phone reports is the one on the wire (the server logs calls by it).
    expect(result.messages).toContain(`Call-ID: ${call.callId}`);
    expect(await r.waitForEvents(index, 2)).toEqual(['accepted', 'ended {"answered":true}']);
  });

  it('a call the caller cancels before anyone answers ends as cancelled', async () => {
    const index = await r.callCount();
    const run = await runSipp({ scenario: 'uac-cancelled', target: r.kamailio.udpTarget, service: EXTENSION, pauseMs: 800 });
    await r.waitForCall(index);
    expect((await r.calls())[index]).toMatchObject({ direction: 'in', remote: CALLER });
    await sippOk(run.done);
    expect(await r.waitForEvents(index, 1)).toEqual(['ended {"answered":false,"reason":"cancelled"}']);
  });

  it('a CANCEL with Reason cause=200 ends the call as answered elsewhere', async () => {
    const index = await r.callCount();
    const run = await runSipp({
      scenario: 'uac-cancelled',
      target: r.kamailio.udpTarget,
      service: EXTENSION,
      pauseMs: 500,
      keys: { cancel_reason: 'SIP;cause=200;text="Call completed elsewhere"' },
    });
    await r.waitForCall(index);
    await sippOk(run.done);
    expect(await r.waitForEvents(index, 1)).toEqual(['ended {"answered":false,"reason":"elsewhere"}']);
  });

  it('the operator declines a ringing call: 486 to the caller, ended as declined', async () => {
    const index = await r.callCount();
    const run = await runSipp({ scenario: 'uac-declined', target: r.kamailio.udpTarget, service: EXTENSION });
    await r.waitForCall(index);
    await r.page.evaluate((i) => window.sipHarness.decline(i), index);
    const result = await sippOk(run.done);
    expect(result.messages).toMatch(/^SIP\/2\.0 486 Busy Here/m);
    expect(await r.waitForEvents(index, 1)).toEqual(['ended {"answered":false,"reason":"declined"}']);
  });

  it('an answered call is held, resumed, muted and transferred blind to another extension', async () => {
    const index = await r.callCount();
    const run = await runSipp({ scenario: 'uac-transfer', target: r.kamailio.udpTarget, service: EXTENSION });
    await r.waitForCall(index);
    await r.page.evaluate((i) => window.sipHarness.answer(i), index);
    expect(await r.waitForEvents(index, 1)).toEqual(['accepted']);
    // Hold and resume at once: the phone sends the second re-INVITE only after the first is answered.
    await r.page.evaluate((i) => {
      window.sipHarness.hold(i, true);
      window.sipHarness.hold(i, false);
    }, index);
    // The browser's ACK to the answer of its resuming re-INVITE, before the REFER goes.
    await run.waitForTrace(/X-Seen: a=sendrecv[\s\S]*message received[^\n]*\n\s*ACK /);
    // Mute is local (the track stops sending): nothing on the wire, the call goes on.
    await r.page.evaluate((i) => {
      window.sipHarness.mute(i, true);
      window.sipHarness.mute(i, false);
    }, index);
    await r.page.evaluate((i) => window.sipHarness.transfer(i, '1002'), index);
    const result = await sippOk(run.done);
    expect(result.messages).toMatch(/^Refer-To: <?sip:1002@pbx\.omniline\.test>?/m);
    expect(await r.waitForEvents(index, 2)).toEqual(['accepted', 'ended {"answered":true}']);
  });

  it('rung on two consoles of the extension: one answers, the other ends as answered elsewhere', async () => {
    // A second tab (or operator) registered as the same extension: Kamailio forks the INVITE to both.
    const { page: second } = await newPage(browser);
    try {
      await second.goto(site.url);
      await second.evaluate(
        (o) => window.sipHarness.start(o),
        { channelId: 1, wsUrl: r.kamailio.wsUrl, domain: r.kamailio.domain, extension: EXTENSION, password: 'not-checked' },
      );
      await second.waitForFunction(() => window.sipHarness.statuses.includes('ready'), undefined, { timeout: 15_000 });
      const index = await r.callCount();
      const run = await runSipp({ scenario: 'uac-answered', target: r.kamailio.udpTarget, service: EXTENSION, pauseMs: 800 });
      const call = await r.waitForCall(index);
      await second.waitForFunction(() => window.sipHarness.calls.length > 0, undefined, { timeout: 15_000 });
      await r.page.evaluate((i) => window.sipHarness.answer(i), index);
      await sippOk(run.done);
      expect(await r.waitForEvents(index, 2)).toEqual(['accepted', 'ended {"answered":true}']);
      // Kamailio's tm cancels the other branch with "Reason: SIP;cause=200" (local_cancel_reason).
      await second.waitForFunction(() => window.sipHarness.calls[0]!.events.length > 0, undefined, { timeout: 15_000 });
      const other = (await second.evaluate(() => window.sipHarness.calls))[0]!;
      expect(other).toMatchObject({ callId: call.callId, direction: 'in', remote: CALLER, events: ['ended {"answered":false,"reason":"elsewhere"}'] });
    } finally {
      await second.evaluate(() => window.sipHarness.stop()).catch(() => undefined);
      await second.context().close();
    }
  });

  it('the operator calls out: sipp answers, the operator hangs up', async () => {
    const run = await runSipp({ scenario: 'uas', port: r.uasPort });
    // sipp binds its port at once; the INVITE is retransmitted by Kamailio anyway.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const index = await r.page.evaluate(() => window.sipHarness.call('+1 555 000 9876'));
    const call = (await r.calls())[index]!;
    expect(call).toMatchObject({ direction: 'out', remote: '+15550009876' });
    expect(await r.waitForEvents(index, 1)).toEqual(['accepted']);
    await r.page.evaluate((i) => window.sipHarness.hangup(i), index);
    const result = await sippOk(run.done);
    expect(result.messages).toContain(`Call-ID: ${call.callId}`);
    expect(await r.waitForEvents(index, 2)).toEqual(['accepted', 'ended {"answered":true}']);
  });
});

describe('SIP signalling over wss:// with digest authentication (the documented configuration)', () => {
  const r = rig({ tls: true, users: { [EXTENSION]: 'secret-1001', '1002': 'secret-1002' } }, async () => {
    // The proxy's certificate is self-signed for 127.0.0.1: this context accepts it.
    const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'en-US' });
    return context.newPage();
  });

  it('a wrong password is refused; the right one registers over wss://', async () => {
    await r.start({ wsUrl: r.kamailio.wssUrl!, password: 'wrong' });
    await r.waitForStatus('error: 401 Unauthorized');
    await r.page.evaluate(() => window.sipHarness.stop());
    await r.start({ wsUrl: r.kamailio.wssUrl!, password: 'secret-1001' });
    await r.waitForStatus('ready');
    expect(await r.statuses()).toEqual(['registering', 'error: 401 Unauthorized', 'stopped', 'registering', 'ready']);
  });

  it('a call from the trunk (trusted by address) is answered; the caller hangs up', async () => {
    const index = await r.callCount();
    const run = await runSipp({ scenario: 'uac-answered', target: r.kamailio.udpTarget, service: EXTENSION, pauseMs: 800 });
    const call = await r.waitForCall(index);
    expect(call).toMatchObject({ direction: 'in', remote: CALLER });
    await r.page.evaluate((i) => window.sipHarness.answer(i), index);
    await sippOk(run.done);
    expect(await r.waitForEvents(index, 2)).toEqual(['accepted', 'ended {"answered":true}']);
  });

  it('an outgoing call is challenged (407), authenticated and answered', async () => {
    const run = await runSipp({ scenario: 'uas', port: r.uasPort });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const index = await r.page.evaluate(() => window.sipHarness.call('+15550009876'));
    expect(await r.waitForEvents(index, 1)).toEqual(['accepted']);
    await r.page.evaluate((i) => window.sipHarness.hangup(i), index);
    const result = await sippOk(run.done);
    // Kamailio consumed the credentials: the far end never sees them.
    expect(result.messages).toMatch(/^INVITE sip:\+15550009876@/m);
    expect(result.messages).not.toMatch(/^Proxy-Authorization:/m);
    expect(await r.waitForEvents(index, 2)).toEqual(['accepted', 'ended {"answered":true}']);
  });
});
