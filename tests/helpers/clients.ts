import { io as connect, type Socket } from 'socket.io-client';
import type { Ack } from '../../shared/errors.js';
import type { EventEnvelope } from '../../shared/events.js';
import { OPERATOR_NAMESPACE, type OperatorClientEvents, type OperatorServerEvents, type SyncResult } from '../../shared/operator-socket.js';
import type { SessionDto } from '../../shared/users.js';
import { VISITOR_NAMESPACE, type VisitorClientEvents, type VisitorMessage, type VisitorServerEvents } from '../../shared/visitor-socket.js';

export interface ApiClient {
  session: SessionDto;
  cookie: string;
  call<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: T }>;
}

export async function login(url: string, email: string, password: string): Promise<ApiClient> {
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const session = (await res.json()) as SessionDto;
  return {
    session,
    cookie,
    async call(method, path, body, headers = {}) {
      const r = await fetch(`${url}${path}`, {
        method,
        headers: { cookie, 'x-csrf-token': session.csrfToken, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await r.text();
      return { status: r.status, body: text ? JSON.parse(text) : null };
    },
  };
}

export type OperatorSocket = Socket<OperatorServerEvents, OperatorClientEvents>;

/** An operator socket that records every pushed event. */
export async function operatorSocket(url: string, cookie: string): Promise<{ socket: OperatorSocket; events: EventEnvelope[] }> {
  const socket: OperatorSocket = connect(`${url}${OPERATOR_NAMESPACE}`, { transports: ['websocket'], extraHeaders: { cookie }, reconnection: false, forceNew: true });
  const events: EventEnvelope[] = [];
  socket.on('events', (batch) => events.push(...batch));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return { socket, events };
}

export function sync(socket: OperatorSocket, afterSeq: number | null): Promise<Ack<SyncResult>> {
  return new Promise((resolve) => socket.emit('sync', { afterSeq }, resolve));
}

export type VisitorSocket = Socket<VisitorServerEvents, VisitorClientEvents>;

export async function visitorSession(url: string, key: string, body: Record<string, unknown> = {}, origin?: string) {
  const r = await fetch(`${url}/api/widget/${key}/session`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...(origin ? { origin } : {}) }, body: JSON.stringify(body),
  });
  return { status: r.status, body: (await r.json()) as any };
}

/** A visitor as the widget is: a session token, then a socket on the visitor namespace. */
export async function visitor(url: string, key: string, prechat: Record<string, unknown> = {}) {
  const { body } = await visitorSession(url, key, prechat);
  const socket: VisitorSocket = connect(`${url}${VISITOR_NAMESPACE}`, { transports: ['websocket'], auth: { key, token: body.token }, reconnection: false, forceNew: true });
  const received: VisitorMessage[] = [];
  socket.on('message', (m) => received.push(m));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  let n = 0;
  return {
    socket, received, token: body.token as string, visitorId: body.visitorId as string,
    send(text: string, clientId = `c${Date.now()}${n++}x`, attachmentIds: number[] = []) {
      return new Promise<Ack<{ message: VisitorMessage }>>((resolve) => socket.emit('send', { clientId, text, attachmentIds }, resolve));
    },
    history(afterId = 0) {
      return new Promise<Ack<{ messages: VisitorMessage[] }>>((resolve) => socket.emit('sync', { afterId }, resolve));
    },
  };
}

/** Polls until `check` returns a value; for assertions on things that arrive over a socket. */
export async function eventually<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what = 'condition', timeoutMs = 5000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
