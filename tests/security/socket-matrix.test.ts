import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR_NAMESPACE } from '../../shared/operator-socket.js';
import { VISITOR_NAMESPACE } from '../../shared/visitor-socket.js';
import type { Role } from '../../shared/users.js';
import { eventually, login, operatorSocket, visitor, type ApiClient } from '../helpers/clients.js';
import { startHub, type TestHub } from '../helpers/hub.js';

/**
 * Every socket event × every kind of caller, written down by hand like the REST matrix: who may
 * connect to each namespace, and what each client event does for a caller inside and outside its
 * scope. An event the server starts handling without a line here fails the completeness check.
 */
const OPERATOR_EVENTS = ['sync', 'typing', 'presence'] as const;
const VISITOR_EVENTS = ['send', 'sync', 'typing', 'rate'] as const;
/** Listeners Socket.IO itself attaches, which are not client events. */
const RESERVED = new Set(['disconnect', 'disconnecting', 'error']);

type Caller = 'operator of line A' | 'operator outside line A' | 'supervisor' | 'admin';
const CALLERS: Record<Caller, { role: Role; memberOfA: boolean }> = {
  'operator of line A': { role: 'operator', memberOfA: true },
  'operator outside line A': { role: 'operator', memberOfA: false },
  supervisor: { role: 'supervisor', memberOfA: false },
  admin: { role: 'admin', memberOfA: false },
};
/** Whether a caller's scope covers a dialog of line A: members of the line and staff. */
const coversA = (c: Caller) => CALLERS[c].memberOfA || CALLERS[c].role !== 'operator';

type Ack = { ok: boolean; error?: { code: string } };
const ask = (s: Socket, event: string, payload: unknown) => new Promise<Ack>((resolve) => s.emit(event, payload, resolve));

describe('authorization matrix: every caller × every socket event', () => {
  let t: TestHub;
  let admin: ApiClient;
  const as = {} as Record<Caller, ApiClient>;
  let lineA: number;
  let conversationA: number;
  let widgetKeyA: string;

  beforeAll(async () => {
    t = await startHub();
    admin = await login(t.url, t.admin.email, t.admin.password);
    as.admin = admin;
    const members: number[] = [];
    for (const [name, c] of Object.entries(CALLERS) as Array<[Caller, (typeof CALLERS)[Caller]]>) {
      if (name === 'admin') continue;
      const email = `${name.replace(/\W+/g, '-')}@sockets.test`;
      const made = await admin.call('POST', '/api/users', { email, name, role: c.role, password: 'sockets-password-1' });
      expect(made.status).toBe(201);
      if (c.memberOfA) members.push(made.body.id);
      as[name] = await login(t.url, email, 'sockets-password-1');
    }
    lineA = (await admin.call('POST', '/api/lines', { name: 'Line A', memberIds: members })).body.id;
    const channel = (await admin.call('POST', '/api/channels', { type: 'webchat', name: 'A chat', lineId: lineA })).body;
    widgetKeyA = channel.publicKey;
    conversationA = (await t.hub.ingest.ingest({ channelId: channel.id, externalId: 'm1', sender: { externalId: 'client-a' }, text: 'secret of line A' })).conversationId;
  });
  afterAll(() => t.stop());

  it('has a line for every client event the server handles, in both namespaces', async () => {
    const op = await operatorSocket(t.url, admin.cookie);
    const v = await visitor(t.url, t.demoWidgetKey);
    const handled = (namespace: string, id: string) =>
      t.hub.io.of(namespace).sockets.get(id)!.eventNames().map(String).filter((e) => !RESERVED.has(e)).sort();
    expect(handled(OPERATOR_NAMESPACE, op.socket.id!)).toEqual([...OPERATOR_EVENTS].sort());
    expect(handled(VISITOR_NAMESPACE, v.socket.id!)).toEqual([...VISITOR_EVENTS].sort());
    op.socket.close();
    v.socket.close();
  });

  it('refuses the operator namespace without a session, with a visitor token, or with a forged cookie', async () => {
    const { body } = await fetch(`${t.url}/api/widget/${t.demoWidgetKey}/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
      .then(async (r) => ({ body: (await r.json()) as { token: string } }));
    for (const opts of [{}, { auth: { key: t.demoWidgetKey, token: body.token } }, { extraHeaders: { cookie: 'omniline_session=forged' } }]) {
      const s = connect(`${t.url}${OPERATOR_NAMESPACE}`, { transports: ['websocket'], reconnection: false, forceNew: true, ...opts });
      const err = await new Promise<Error>((resolve) => s.once('connect_error', resolve));
      expect(err.message).toBe('unauthenticated');
      s.close();
    }
  });

  it('refuses the visitor namespace to an operator session without a visitor token, and to a token of another widget', async () => {
    const tokenOfDemo = (await visitor(t.url, t.demoWidgetKey)).token;
    for (const opts of [{ extraHeaders: { cookie: admin.cookie } }, { auth: { key: widgetKeyA, token: tokenOfDemo } }]) {
      const s = connect(`${t.url}${VISITOR_NAMESPACE}`, { transports: ['websocket'], reconnection: false, forceNew: true, ...opts });
      const err = await new Promise<Error>((resolve) => s.once('connect_error', resolve));
      expect(err.message).toMatch(/unknown widget key|invalid visitor token/);
      s.close();
    }
  });

  it.each(Object.keys(CALLERS) as Caller[])('operator namespace as %s: sync, typing and presence stay within the caller\'s scope', async (caller) => {
    const me = as[caller];
    const watcher = await operatorSocket(t.url, admin.cookie);
    const typings: Array<{ conversationId: number; userId: number | null }> = [];
    watcher.socket.on('typing', (e) => typings.push(e));
    const s = await operatorSocket(t.url, me.cookie);

    const replay = (await ask(s.socket as unknown as Socket, 'sync', { afterSeq: 0 })) as Ack & { events: Array<{ payload: unknown }> };
    expect(replay.ok).toBe(true);
    expect(JSON.stringify(replay.events).includes('secret of line A'), `${caller} replay`).toBe(coversA(caller));

    const typing = await ask(s.socket as unknown as Socket, 'typing', { conversationId: conversationA, typing: true, mode: 'note' });
    if (coversA(caller)) {
      expect(typing.ok).toBe(true);
      await eventually(() => typings.some((e) => e.conversationId === conversationA && e.userId === me.session.user.id), 'colleagues see the typing');
    } else {
      expect(typing).toEqual({ ok: false, error: expect.objectContaining({ code: 'not_found' }) });
      expect(typings).toEqual([]);
    }

    // Presence is the caller's own: the payload has no user to name, and another user's is untouched.
    const presence = await ask(s.socket as unknown as Socket, 'presence', { presence: 'away', userId: admin.session.user.id });
    expect(presence.ok).toBe(true);
    const users = (await admin.call('GET', '/api/users')).body.items as Array<{ id: number; presence: string }>;
    expect(users.find((u) => u.id === me.session.user.id)!.presence).toBe('away');
    if (caller !== 'admin') expect(users.find((u) => u.id === admin.session.user.id)!.presence).not.toBe('away');
    await ask(s.socket as unknown as Socket, 'presence', { presence: 'online' });

    for (const event of OPERATOR_EVENTS) {
      const bad = await ask(s.socket as unknown as Socket, event, { afterSeq: 'x', conversationId: 'x', presence: 'x', typing: 'x' });
      expect(bad.ok, `${caller} ${event} malformed`).toBe(false);
      expect(bad.error!.code).toBe('validation_failed');
    }
    s.socket.close();
    watcher.socket.close();
  });

  it('visitor namespace: each event reaches only the visitor\'s own dialog', async () => {
    const ann = await visitor(t.url, widgetKeyA, { name: 'Ann' });
    const bob = await visitor(t.url, widgetKeyA, { name: 'Bob' });
    const sent = await ann.send('only for Ann', 'ann-message-1');
    expect(sent.ok).toBe(true);
    const bobHistory = await bob.history();
    expect(bobHistory.ok && JSON.stringify(bobHistory.messages)).not.toContain('only for Ann');
    expect(JSON.stringify(bob.received)).not.toContain('only for Ann');
    // Nobody's dialog is finished: rating is refused rather than landing on someone else's.
    expect(await ask(bob.socket as unknown as Socket, 'rate', { score: 5 })).toEqual({ ok: false, error: expect.objectContaining({ code: 'not_found' }) });
    for (const event of ['send', 'sync', 'rate'] as const) {
      const bad = await ask(bob.socket as unknown as Socket, event, { clientId: 1, text: 7, afterId: 'x', score: 9 });
      expect(bad.ok, `${event} malformed`).toBe(false);
      expect(bad.error!.code).toBe('validation_failed');
    }
    ann.socket.close();
    bob.socket.close();
  });
});
