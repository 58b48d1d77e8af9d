import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { checkSipWebSocket } from '../../connectors/sip/test-connection.js';
import { eventually, login, type ApiClient } from '../helpers/clients.js';
import { startHub, type TestHub } from '../helpers/hub.js';
import { line, operator, type Operator } from './helpers.js';

/** A WebSocket server on a free port that picks `sip` when offered (or never, when told so). */
async function pbx(acceptSip: boolean): Promise<{ url: string; close(): Promise<void> }> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', handleProtocols: (protocols) => (acceptSip && protocols.has('sip') ? 'sip' : false) });
  await new Promise((r) => wss.once('listening', r));
  return { url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/ws`, close: () => new Promise((r) => wss.close(() => r())) };
}

describe('SIP lines: the connector', () => {
  let t: TestHub;
  let admin: ApiClient;
  let ann: Operator;
  let salesLine: number;
  beforeAll(async () => {
    t = await startHub();
    admin = await login(t.url, t.admin.email, t.admin.password);
    ann = await operator(t, admin, 'Ann');
    salesLine = await line(admin, 'Sales', [ann.id]);
  });
  afterAll(() => t.stop());

  it('checks the PBX: a SIP WebSocket, or exactly why not', async () => {
    const good = await pbx(true);
    const other = await pbx(false);
    expect(await checkSipWebSocket(good.url)).toEqual({ ok: true, details: `The PBX at ${good.url} accepts SIP over WebSocket` });
    expect(await checkSipWebSocket(other.url)).toMatchObject({ ok: false, reason: expect.stringMatching(/did not accept the "sip" subprotocol/) });
    const tls = await checkSipWebSocket(good.url.replace('ws://', 'wss://'));
    expect(tls).toMatchObject({ ok: false, reason: expect.stringMatching(/^TLS failed with 127\.0\.0\.1/) });
    const port = Number(new URL(good.url).port);
    await Promise.all([good.close(), other.close()]);
    expect(await checkSipWebSocket(`ws://127.0.0.1:${port}/ws`)).toMatchObject({ ok: false, reason: expect.stringMatching(/^Connection refused by 127\.0\.0\.1/) });

    // A server that takes the connection and never answers.
    const silent: Server = createServer(() => undefined).listen(0, '127.0.0.1');
    await new Promise((r) => silent.once('listening', r));
    const slow = await checkSipWebSocket(`ws://127.0.0.1:${(silent.address() as AddressInfo).port}/ws`, 300);
    expect(slow).toMatchObject({ ok: false, reason: expect.stringMatching(/timeout/) });
    silent.close();
  });

  it('the channel API: settings checked, the test button reaches the PBX, nothing secret', async () => {
    const bad = await admin.call('POST', '/api/channels', { type: 'sip', name: 'PBX', lineId: salesLine, settings: { wsUrl: 'https://pbx.test', domain: 'not a host', defaultCountry: 'XX' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues.map((i: { path: string[] }) => i.path.join('.')).sort()).toEqual(['settings.defaultCountry', 'settings.domain', 'settings.wsUrl']);
    const good = await pbx(true);
    const test = await admin.call('POST', '/api/channels/test', { type: 'sip', settings: { wsUrl: good.url, domain: 'pbx.test' } });
    expect(test.body).toEqual({ ok: true, message: `The PBX at ${good.url} accepts SIP over WebSocket` });
    await good.close();
    const created = await admin.call('POST', '/api/channels', { type: 'sip', name: 'PBX', lineId: salesLine, settings: { wsUrl: 'wss://pbx.test/ws', domain: 'PBX.Test', defaultCountry: '' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ settings: { wsUrl: 'wss://pbx.test/ws', domain: 'pbx.test' }, capabilities: { attachments: false, maxTextLength: 1 } });
    expect(created.body.settings).not.toHaveProperty('defaultCountry');
    await eventually(async () => (await admin.call('GET', '/api/channels')).body.items.find((c: { id: number }) => c.id === created.body.id).status === 'connected', 'connected');
  });

  it('carries calls only: a text reply fails with the reason, for the operator to see', async () => {
    const channelId = (await admin.call('GET', '/api/channels')).body.items.find((c: { type: string }) => c.type === 'sip').id;
    const call = await ann.api.call('POST', '/api/calls/sip', { channelId, callId: 'text-1@pbx', direction: 'in', remote: '+493012345678', event: 'ringing' });
    const reply = await ann.api.call('POST', `/api/conversations/${call.body.conversationId}/messages`, { text: 'hello?' });
    await eventually(async () => {
      const page = await ann.api.call('GET', `/api/conversations/${call.body.conversationId}/messages`);
      const m = page.body.items.find((x: { id: number }) => x.id === reply.body.id);
      return m.deliveryStatus === 'failed' && m.deliveryError === 'SIP lines carry calls only';
    }, 'failed reply');
  });
});
