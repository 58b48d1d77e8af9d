/**
 * The only test double of the WhatsApp suite: whatsapp-web.js's `Client`, replaced at its boundary. It
 * emits the library's documented events (`qr`, `authenticated`, `auth_failure`, `ready`, `disconnected`,
 * `message`, `message_ack`) with the documented payloads (`Message` with `id._serialized`, `from`, `to`,
 * `fromMe`, `type`, `body`, `timestamp`, `hasMedia`, `location`, `vCards`, `downloadMedia()`,
 * `getContact()`…), and implements the Client methods the worker calls (`initialize`, `destroy`,
 * `sendMessage`, `getChats`, `getChatById`, `getNumberId`). What WhatsApp would do is played by the test
 * through `wweb-phone.ts`, reached over a loopback socket (`WA_PHONE_PORT`). Like LocalAuth, the session
 * is a folder `<dataPath>/session-<clientId>`, so a restarted worker needs no new QR; like WhatsApp Web,
 * the device key lives in the profile's IndexedDB.
 */
import { EventEmitter } from 'node:events';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import path from 'node:path';
import type { WorkerConfig } from '../../../connectors/whatsapp/protocol.js';

type Data = Record<string, any>;

export function createClient(config: WorkerConfig) {
  return new ClientDouble(config);
}

/** `new MessageMedia(mimetype, data, filename)`: the library's plain value object. */
export function createMedia(mimetype: string, data: string, filename: string) {
  return { mimetype, data, filename, filesize: null };
}

class ClientDouble extends EventEmitter {
  info: Data | null = null;
  pupBrowser = undefined;
  private socket: Socket | null = null;
  private rid = 0;
  private readonly calls = new Map<number, { resolve(v: any): void; reject(e: Error): void }>();
  private readonly keyFile: string;

  constructor(private readonly config: WorkerConfig) {
    super();
    this.keyFile = path.join(config.dataPath, `session-${config.clientId}`, 'Default', 'IndexedDB', 'https_web.whatsapp.com_0.indexeddb.leveldb', 'device.json');
  }

  async initialize(): Promise<void> {
    const socket = connect(Number(process.env.WA_PHONE_PORT), '127.0.0.1');
    this.socket = socket;
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
        this.fromPhone(JSON.parse(buffer.slice(0, i)));
        buffer = buffer.slice(i + 1);
      }
    });
    this.write({ t: 'hello', clientId: this.config.clientId, device: this.deviceKey() });
  }

  private deviceKey(): string | null {
    try {
      return (JSON.parse(readFileSync(this.keyFile, 'utf8')) as { device: string }).device;
    } catch {
      return null;
    }
  }

  async destroy(): Promise<void> {
    this.socket?.destroy();
  }

  async logout(): Promise<void> {
    await this.destroy();
  }

  sendMessage(chatId: string, content: string | Data, options: Data = {}) {
    const c = typeof content === 'string' ? { kind: 'text', body: content } : { kind: 'media', mimetype: content.mimetype, data: content.data, filename: content.filename };
    return this.call('sendMessage', chatId, c, { caption: options.caption, asDocument: options.sendMediaAsDocument }).then((m) => this.message(m));
  }

  async getChats() {
    return ((await this.call('getChats')) as Data[]).map((c) => this.chat(c));
  }

  async getChatById(id: string) {
    return this.chat(await this.call('getChat', id));
  }

  getNumberId(number: string): Promise<Data | null> {
    return this.call('getNumberId', number);
  }

  private chat(c: Data) {
    return { ...c, id: { _serialized: c.id, server: c.id.split('@')[1], user: c.id.split('@')[0] }, fetchMessages: async (o: Data) => ((await this.call('fetchMessages', c.id, o)) as Data[]).map((m) => this.message(m)) };
  }

  /** A `Message` as the library hands it out: data fields plus its methods. */
  private message(m: Data) {
    return {
      ...m,
      id: { fromMe: m.fromMe, remote: m.fromMe ? m.to : m.from, id: m.id.split('_').pop(), _serialized: m.id },
      getContact: async () => {
        const c = await this.call('getContact', m.fromMe ? m.to : m.author ?? m.from);
        return { ...c, id: { _serialized: c.id, user: c.id.split('@')[0], server: c.id.split('@')[1] } };
      },
      downloadMedia: () => this.call('downloadMedia', m.id),
      getQuotedMessage: async () => null,
      getChat: () => this.getChatById(m.fromMe ? m.to : m.from),
    };
  }

  private fromPhone(msg: Data): void {
    if (msg.t === 'result') {
      const call = this.calls.get(msg.rid);
      this.calls.delete(msg.rid);
      if (msg.error) call?.reject(new Error(msg.error));
      else call?.resolve(msg.value);
    } else if (msg.t === 'crash') {
      process.kill(process.pid, 'SIGKILL');
    } else if (msg.t === 'pair') {
      mkdirSync(path.dirname(this.keyFile), { recursive: true });
      writeFileSync(this.keyFile, JSON.stringify({ device: msg.device }));
    } else if (msg.t === 'event') {
      if (msg.name === 'ready') this.info = { wid: { user: msg.phone, _serialized: `${msg.phone}@c.us` }, pushname: 'Omni Shop' };
      const args = (msg.args ?? []).map((a: Data) => (a && typeof a === 'object' && 'fromMe' in a ? this.message(a) : a));
      this.emit(msg.name, ...args);
    }
  }

  private call(method: string, ...args: unknown[]): Promise<any> {
    const rid = ++this.rid;
    return new Promise((resolve, reject) => {
      this.calls.set(rid, { resolve, reject });
      this.write({ t: 'call', rid, method, args });
    });
  }

  private write(m: Data): void {
    this.socket?.write(`${JSON.stringify(m)}\n`);
  }
}
