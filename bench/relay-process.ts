/**
 * The ceiling of the stack: a bare Socket.IO server (same version and transport as the hub, no
 * database, no validation, no authentication) in a process of its own. It speaks the hub's wire
 * shape so that the benchmark drives it with the very same client code: a visitor `send` with an
 * ack on `/visitor`, relayed as a `message.created` event envelope to every operator socket on
 * `/operator`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { serveAsChild } from './child.js';

serveAsChild(async () => {
  const http = createServer();
  const io = new Server(http, { serveClient: false, maxHttpBufferSize: 1e6, cors: { origin: false } });
  const operators = io.of('/operator');
  operators.on('connection', (socket) => void socket.join('operators'));
  let seq = 0;
  io.of('/visitor').on('connection', (socket) => {
    socket.on('send', (req: { text?: unknown }, ack: unknown) => {
      const id = ++seq;
      const at = new Date().toISOString();
      const message = { id, direction: 'in', text: String(req?.text ?? ''), authorName: null, attachments: [], createdAt: at };
      operators.to('operators').emit('event', { seq: id, type: 'message.created', at, payload: { message } });
      if (typeof ack === 'function') ack({ ok: true, message });
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  return {
    info: { url: `http://127.0.0.1:${port}` },
    stop: () =>
      new Promise<void>((resolve) => {
        io.close(() => resolve());
        http.closeAllConnections();
      }),
  };
});
