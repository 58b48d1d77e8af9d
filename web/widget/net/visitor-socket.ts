import io, { type Socket } from 'socket.io-client';
import type {
  VISITOR_NAMESPACE,
  VisitorClientEvents,
  VisitorMessage,
  VisitorSendRequest,
  VisitorServerEvents,
} from '../../../shared/visitor-socket.js';
import type { Ack } from '../../../shared/errors.js';

/** What the chat needs from the realtime link; a fake stands in for it in tests. */
export interface VisitorLink {
  readonly connected: boolean;
  send(req: VisitorSendRequest, timeoutMs: number): Promise<Ack<{ message: VisitorMessage }>>;
  sync(afterId: number, timeoutMs: number): Promise<Ack<{ messages: VisitorMessage[] }>>;
  typing(typing: boolean): void;
  rate(score: number, timeoutMs: number): Promise<Ack<object>>;
  /** Connects again after the server refused the handshake (a fresh token is read via `token()`). */
  reconnect(): void;
  close(): void;
}

export interface VisitorLinkEvents extends VisitorServerEvents {
  /** Fired on the first connect and on every reconnect: the moment to `sync`. */
  connected: () => void;
  disconnected: () => void;
  /** The server refused the handshake (socket.io will not retry on its own). */
  rejected: (message: string) => void;
}

export type OpenVisitorLink = (token: () => string, on: VisitorLinkEvents) => VisitorLink;

// Typed against the contract but not imported as a value: that would bundle zod with it.
const NAMESPACE: typeof VISITOR_NAMESPACE = '/visitor';

/** Opens the `/visitor` namespace on the Omniline server with `auth: { key, token }`. */
export function socketLinkFactory(origin: string, key: string): OpenVisitorLink {
  return (token, on) => {
    const socket: Socket<VisitorServerEvents, VisitorClientEvents> = io(origin + NAMESPACE, {
      // A callback so that every reconnect presents the newest token, not the one of the first connect.
      auth: (cb) => cb({ key, token: token() }),
      // WebSocket first: it is not subject to CORS on the customer's site and needs no sticky
      // sessions behind a load balancer; long-polling remains the fallback where proxies block it.
      transports: ['websocket', 'polling'],
      tryAllTransports: true,
      withCredentials: false,
    });
    socket.on('connect', on.connected);
    socket.on('disconnect', on.disconnected);
    socket.on('connect_error', (err) => {
      if (!socket.active) on.rejected(err.message);
    });
    socket.on('message', on.message);
    socket.on('typing', on.typing);
    socket.on('status', on.status);
    socket.on('rating-request', on['rating-request']);
    return {
      get connected() {
        return socket.connected;
      },
      send: (req, ms) => socket.timeout(ms).emitWithAck('send', req),
      sync: (afterId, ms) => socket.timeout(ms).emitWithAck('sync', { afterId }),
      typing: (typing) => void socket.volatile.emit('typing', { typing }),
      rate: (score, ms) => socket.timeout(ms).emitWithAck('rate', { score }),
      reconnect: () => void socket.connect(),
      close: () => void socket.disconnect(),
    };
  };
}
