import { io as connect, type Socket } from 'socket.io-client';

/** A socket.io-client socket on the WebSocket transport, no reconnection, resolved once connected. */
export function openSocket(url: string, namespace: string, extra: { auth?: Record<string, string>; extraHeaders?: Record<string, string> }): Promise<Socket> {
  const socket = connect(`${url}${namespace}`, { transports: ['websocket'], reconnection: false, forceNew: true, ...extra });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(new Error(`${namespace} connect failed: ${err.message}`));
    });
  });
}

/** `make(0 … n−1)`, `batch` at a time. */
export async function inBatches<T>(n: number, batch: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i += batch) out.push(...(await Promise.all(Array.from({ length: Math.min(batch, n - i) }, (_, k) => make(i + k)))));
  return out;
}

export function closeAll(sockets: Array<{ close(): unknown }>): void {
  for (const s of sockets) s.close();
}
