/**
 * The operator's Socket.IO link: connects with the session cookie, catches up through
 * {@link EventStream} on every (re)connect and hands pushes to the dispatcher.
 */
import { io, type Socket } from 'socket.io-client';
import { OPERATOR_NAMESPACE, type OperatorClientEvents, type OperatorServerEvents, type SyncResult, type TypingRequest } from '../../../shared/operator-socket';
import { useConnectionStore } from '../stores/connection';
import { setLoadGate } from '../stores/load-gate';
import { EventStream } from './event-stream';
import { createDispatcher, type Notify } from './dispatch';

type OperatorSocket = Socket<OperatorServerEvents, OperatorClientEvents>;

const SYNC_TIMEOUT_MS = 10_000;
/** How long first REST loads wait for the first sync before going ahead without it. */
const GATE_TIMEOUT_MS = 3000;

let socket: OperatorSocket | null = null;
let stream: EventStream | null = null;

export interface RealtimeHooks {
  notify: Notify;
  /** Reload lists by REST: after the first sync, or when a resync could not be completed. */
  reload: () => void;
  /** The server refused the socket as unauthenticated: ask REST, whose 401 leads to the login page. */
  checkSession: () => void;
}

/** Retry delay after the server refused a connection: 1 s, 2 s, 4 s … up to 30 s. */
export function retryDelay(attempt: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, attempt));
}

async function fetchSync(s: OperatorSocket, afterSeq: number | null): Promise<SyncResult> {
  const res = await s.timeout(SYNC_TIMEOUT_MS).emitWithAck('sync', { afterSeq });
  if (!res.ok) throw new Error(res.error.message);
  return res;
}

export function connectRealtime(hooks: RealtimeHooks): void {
  if (socket) return;
  const connection = useConnectionStore();
  const dispatcher = createDispatcher(hooks.notify);
  const s: OperatorSocket = io(OPERATOR_NAMESPACE, { withCredentials: true, transports: ['websocket', 'polling'] });
  const es = new EventStream((e, live) => dispatcher.event(e, live));
  socket = s;
  stream = es;
  connection.set('connecting');

  let openGate!: () => void;
  let gateTimedOut = false;
  let firstSyncDone = false;
  const firstSync = new Promise<void>((resolve) => (openGate = resolve));
  const timeout = new Promise<void>((resolve) => setTimeout(() => ((gateTimedOut = true), resolve()), GATE_TIMEOUT_MS));
  setLoadGate(() => Promise.race([firstSync, timeout]));

  const catchUp = async () => {
    if (es.isSyncing) return;
    connection.set('syncing');
    try {
      const outcome = await es.sync((afterSeq) => fetchSync(s, afterSeq));
      // The very first sync opened the gate before any REST load: nothing to refetch.
      const gated = !firstSyncDone && !gateTimedOut;
      firstSyncDone = true;
      openGate();
      if (outcome.initial && !gated) hooks.reload();
    } catch {
      // The log could not be replayed: start over from a fresh snapshot.
      es.forget();
      try {
        await es.sync((afterSeq) => fetchSync(s, afterSeq));
      } catch {
        // Keep the live link; lists come from REST.
      }
      firstSyncDone = true;
      openGate();
      hooks.reload();
    }
    if (socket === s && s.connected) {
      connection.set('live');
      connection.resyncs++;
    }
  };

  let refused = 0;
  s.on('connect', () => {
    refused = 0;
    void catchUp();
  });
  s.on('disconnect', (reason) => {
    connection.set('down', reason);
    // The server closed us on purpose (restart, deploy): socket.io will not retry by itself.
    if (reason === 'io server disconnect') setTimeout(() => socket === s && s.connect(), 1000);
  });
  s.on('connect_error', (err) => {
    connection.set('down', err.message);
    if (s.active) return; // A transport failure: socket.io retries by itself.
    // Refused by the server's middleware: retry by hand, and find out whether the session ended.
    if (err.message === 'unauthenticated') hooks.checkSession();
    setTimeout(() => socket === s && !s.connected && s.connect(), retryDelay(refused++));
  });
  s.on('events', (batch) => batch.forEach((e) => es.receive(e)));
  s.on('presence', (p) => dispatcher.presence(p));
  s.on('typing', (t) => dispatcher.typing(t));
}

export function disconnectRealtime(): void {
  socket?.disconnect();
  socket?.removeAllListeners();
  socket = null;
  stream = null;
  setLoadGate(null);
  useConnectionStore().reset();
}

/** Tell colleagues (and, in reply mode, the client) that I am typing. */
export function emitTyping(req: TypingRequest): void {
  if (socket?.connected) socket.emit('typing', req);
}

export function currentSeq(): number | null {
  return stream?.lastSeq ?? null;
}
