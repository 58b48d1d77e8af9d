import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * WhatsApp's side of the WhatsApp Web double, driven by the test: it issues QR codes, pairs, keeps
 * chats with their messages, delivers customer messages as `message` events while a client is ready
 * (and keeps them for later otherwise), acks, disconnects, and can kill the client's process. Pairing
 * gives the client a device key that it keeps in its session; only that key logs in, until the phone
 * unlinks the device.
 * Message payloads follow whatsapp-web.js's `Message` fields.
 */
type Data = Record<string, any>;
const NO_REPLY = Symbol('no reply');

export interface Phone {
  port: number;
  /** The number this account has (digits). */
  number: string;
  ready: boolean;
  qrIssued: number;
  /** Clients let in with the device key they kept (a restart, or another node with the session). */
  logins: number;
  /** Messages the business sent (fromMe), in order. */
  sent: Data[];
  /** Whether messages that arrived while the client was away are pushed as `message` events when it is back. */
  pushMissed: boolean;
  /** Makes the next sendMessage deliver, then kill the client before it answers (a crash mid-send). */
  crashAfterNextSend: boolean;
  scan(): void;
  incoming(from: string, body: string, extra?: Data): Data;
  ack(id: string, ack: number): void;
  disconnect(reason: string): void;
  /** The phone unlinks the device: LOGOUT, and its key is refused from now on. */
  logout(): void;
  crash(): void;
  close(): Promise<void>;
}

export async function startPhone(number = '15550001111'): Promise<Phone> {
  const chats = new Map<string, { id: string; name: string; isGroup: boolean; messages: Data[] }>();
  const media = new Map<string, Data>();
  const contacts = new Map<string, Data>();
  let socket: Socket | null = null;
  /** The key of the device linked now; a client must present it to be let in. */
  let device: string | null = null;
  let seq = 0;
  const send = (m: Data) => socket?.write(`${JSON.stringify(m)}\n`);
  const event = (name: string, ...args: unknown[]) => send({ t: 'event', name, args, phone: number });
  const chatOf = (id: string, name = id) => {
    if (!chats.has(id)) chats.set(id, { id, name, isGroup: id.endsWith('@g.us'), messages: [] });
    return chats.get(id)!;
  };
  const now = () => Math.floor(Date.now() / 1000);

  const goReady = () => {
    phone.ready = true;
    event('authenticated');
    event('ready');
    // Like WhatsApp Web, messages that arrived while away are pushed once the client is back.
    if (phone.pushMissed) for (const c of chats.values()) for (const m of c.messages) if (!m.fromMe && !m.delivered) deliver(m);
  };
  const deliver = (m: Data) => {
    m.delivered = true;
    event('message', m);
  };

  const calls: Record<string, (...a: any[]) => unknown> = {
    sendMessage(chatId: string, content: Data, opts: Data) {
      const id = `true_${chatId}_3EB0${(++seq).toString(16).toUpperCase().padStart(8, '0')}`;
      const isMedia = content.kind === 'media';
      const m = {
        id, from: `${number}@c.us`, to: chatId, fromMe: true, timestamp: now(), ack: 1, isStatus: false, broadcast: false,
        type: isMedia ? (opts.asDocument ? 'document' : content.mimetype.split('/')[0]) : 'chat', body: isMedia ? opts.caption ?? '' : content.body,
        hasMedia: isMedia, vCards: [], hasQuotedMsg: false, ...(isMedia ? { media: { mimetype: content.mimetype, filename: content.filename, size: Buffer.from(content.data, 'base64').length } } : {}),
      };
      chatOf(chatId).messages.push(m);
      phone.sent.push(m);
      if (phone.crashAfterNextSend) {
        phone.crashAfterNextSend = false;
        send({ t: 'crash' });
        return NO_REPLY;
      }
      return m;
    },
    getChats: () => [...chats.values()].map((c) => ({ id: c.id, name: c.name, isGroup: c.isGroup, timestamp: c.messages.at(-1)?.timestamp ?? 0, unreadCount: 0 })),
    getChat: (id: string) => {
      const c = chatOf(id);
      return { id: c.id, name: c.name, isGroup: c.isGroup, timestamp: c.messages.at(-1)?.timestamp ?? 0, unreadCount: 0 };
    },
    fetchMessages: (chatId: string, o: Data) => {
      const all = chatOf(chatId).messages.filter((m) => o.fromMe === undefined || m.fromMe === o.fromMe);
      return all.slice(-(o.limit ?? all.length));
    },
    getNumberId: (digits: string) => (digits.startsWith('000') ? null : { server: 'c.us', user: digits, _serialized: `${digits}@c.us` }),
    getContact: (id: string) => contacts.get(id) ?? { id, number: id.endsWith('@c.us') ? id.split('@')[0] : undefined, pushname: undefined, isGroup: id.endsWith('@g.us'), isMe: false },
    downloadMedia: (id: string) => media.get(id) ?? null,
  };

  const server: Server = createServer((s) => {
    socket = s;
    let buffer = '';
    s.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
        const msg = JSON.parse(buffer.slice(0, i));
        buffer = buffer.slice(i + 1);
        if (msg.t === 'hello') {
          if (msg.device && msg.device === device) {
            phone.logins++;
            goReady();
          }
          else if (msg.device) event('auth_failure', 'Unable to log in. Are the session details valid?');
          else {
            phone.qrIssued++;
            event('qr', `2@${phone.qrIssued}QRxYz${'A'.repeat(40)},base64PublicKey=,identityKey=,advSecret=`);
          }
        } else if (msg.t === 'call') {
          try {
            const value = calls[msg.method]!(...msg.args);
            if (value !== NO_REPLY) send({ t: 'result', rid: msg.rid, value: value ?? null });
          } catch (err) {
            send({ t: 'result', rid: msg.rid, error: (err as Error).message });
          }
        }
      }
    });
    s.on('close', () => {
      if (socket === s) {
        socket = null;
        phone.ready = false;
      }
    });
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));

  const phone: Phone = {
    port: (server.address() as AddressInfo).port,
    number, ready: false, qrIssued: 0, logins: 0, sent: [], crashAfterNextSend: false, pushMissed: true,
    scan() {
      device = randomBytes(16).toString('hex');
      send({ t: 'pair', device });
      goReady();
    },
    incoming(from, body, extra = {}) {
      const chatId = extra.chatId ?? `${from}@c.us`;
      const id = `false_${chatId}_3A${(++seq).toString(16).toUpperCase().padStart(10, '0')}`;
      const m: Data = {
        id, from: chatId, to: `${number}@c.us`, fromMe: false, timestamp: extra.timestamp ?? now(), type: 'chat', body, hasMedia: false,
        vCards: [], isStatus: false, broadcast: false, hasQuotedMsg: false, ack: 1, ...extra,
      };
      delete m.chatId;
      if (extra.media) {
        media.set(id, extra.media);
        delete m.media;
        m.hasMedia = true;
      }
      if (extra.pushname) contacts.set(m.author ?? chatId, { id: m.author ?? chatId, number: extra.number ?? from, pushname: extra.pushname, isGroup: false, isMe: false });
      chatOf(chatId).messages.push(m);
      if (phone.ready) deliver(m);
      return m;
    },
    ack(id, ack) {
      const m = phone.sent.find((x) => x.id === id);
      if (m) event('message_ack', { ...m, ack }, ack);
    },
    disconnect(reason) {
      phone.ready = false;
      event('disconnected', reason);
    },
    logout() {
      device = null;
      phone.ready = false;
      event('disconnected', 'LOGOUT');
    },
    crash() {
      send({ t: 'crash' });
    },
    close: () => new Promise((r) => {
      socket?.destroy();
      server.close(() => r());
    }),
  };
  return phone;
}
