/**
 * The WhatsApp Web worker: a child process that owns one whatsapp-web.js Client and its Chromium, so a
 * browser crash or hang never takes the hub down. It turns the library's events into IPC messages and
 * runs the parent's commands. Its only durable thing is the LocalAuth session folder, which it unpacks
 * from the parent's last snapshot at start (unless the folder is newer) and packs for the parent while
 * the client is ready.
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import type { Chat, Client, Message } from 'whatsapp-web.js';
import type { ClientModule, FindCommand, FromWorker, SendCommand, SyncCommand, ToWorker, WaMessageDto, WorkerConfig } from './protocol.js';
import { packSession, restoreSession, sessionDir, type SessionSnapshot } from './session-snapshot.js';

const MAX_MEDIA_BYTES = 64 * 1024 * 1024;
/** Message kinds that are not customer messages (system notices, calls, reactions, protocol). */
const IGNORED = new Set(['e2e_notification', 'notification', 'notification_template', 'gp2', 'group_notification', 'call_log', 'protocol', 'revoked', 'ciphertext', 'debug', 'reaction', 'broadcast_notification']);

let client: Client | null = null;
let inOrder: Promise<void> = Promise.resolve();
let mod: ClientModule | null = null;
let config: WorkerConfig | null = null;
/** Whether the client is ready now: only a ready session is worth a snapshot. */
let ready = false;
let snapshotTimer: NodeJS.Timeout | null = null;

let flushed: Promise<void> = Promise.resolve();
/** Sends to the parent; `flushed` settles once everything emitted so far has left, so exiting loses nothing. */
const emit = (m: FromWorker) => {
  if (!process.connected) return;
  flushed = new Promise<void>((resolve) => process.send!(m, undefined, undefined, () => resolve()));
};
const digitsOf = (id: string | undefined | null) => (id && /@c\.us$/.test(id) ? id.split('@')[0]! : null);

// The hub went away (crash, kill): nothing would read our events, so leave.
process.on('disconnect', () => void shutdown(0));
process.on('message', (m: ToWorker) => void handle(m));

async function handle(m: ToWorker): Promise<void> {
  if (m.t === 'init') return init(m.config, m.session);
  if (m.t === 'shutdown') return shutdown(0);
  try {
    if (!client) throw new Error('WhatsApp client is not running');
    const result = m.t === 'send' ? await send(m.cmd) : m.t === 'find' ? await find(m.cmd) : await sync(m.cmd);
    emit({ t: 'reply', rid: m.rid, ok: true, result });
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    emit({ t: 'reply', rid: m.rid, ok: false, error, permanent: (err as { permanent?: boolean }).permanent === true });
  }
}

async function init(cfg: WorkerConfig, session: SessionSnapshot | null): Promise<void> {
  config = cfg;
  if (session) {
    try {
      if ((await restoreSession(sessionDir(cfg.dataPath, cfg.clientId), session)) === 'restored') emit({ t: 'log', level: 'info', msg: 'whatsapp session restored from its snapshot' });
    } catch (err) {
      emit({ t: 'log', level: 'warn', msg: `whatsapp session snapshot not restored, starting from the local folder: ${(err as Error).message}` });
    }
  }
  try {
    const spec = cfg.clientModule.startsWith('/') ? pathToFileURL(cfg.clientModule).href : cfg.clientModule;
    mod = (await import(spec)) as ClientModule;
    client = mod.createClient(cfg) as Client;
    wire(client);
    await client.initialize();
    client.pupBrowser?.on('disconnected', () => fatal('Chromium closed unexpectedly', 3));
  } catch (err) {
    fatal(`WhatsApp client failed to start: ${(err as Error).message}`, 2);
  }
}

function wire(c: Client): void {
  c.on('qr', (qr: string) => emit({ t: 'state', state: 'qr', detail: qr }));
  c.on('authenticated', () => emit({ t: 'state', state: 'authenticated' }));
  c.on('auth_failure', (message: string) => {
    emit({ t: 'state', state: 'auth_failure', detail: message });
    void shutdown(4);
  });
  c.on('ready', () => {
    ready = true;
    emit({ t: 'state', state: 'ready', detail: c.info?.wid?.user });
    // Like RemoteAuth, wait before the first snapshot: a session just linked is still being written.
    snapshotTimer ??= setTimeout(function again() {
      void snapshot();
      snapshotTimer = setTimeout(again, config!.snapshots.everyMs);
    }, config!.snapshots.firstMs);
  });
  c.on('disconnected', (reason: string) => {
    ready = false;
    emit({ t: 'state', state: 'disconnected', detail: String(reason) });
    // The library destroys its page on most disconnects; a fresh process is the reliable way back.
    void shutdown(5);
  });
  // One at a time, so a slow media download never lets a later message overtake an earlier one.
  c.on('message', (msg: Message) => {
    inOrder = inOrder.then(() => forward(msg, false));
  });
  c.on('message_ack', (msg: Message, ack: number) => {
    if (msg.fromMe) emit({ t: 'ack', id: msg.id._serialized, ack });
  });
}

function wanted(msg: Message): boolean {
  if (msg.fromMe || msg.isStatus || msg.broadcast || IGNORED.has(msg.type)) return false;
  return config!.acceptGroups || !msg.from.endsWith('@g.us');
}

async function forward(msg: Message, backfill: boolean): Promise<void> {
  if (!wanted(msg)) return;
  try {
    emit({ t: 'message', msg: await serialize(msg), backfill });
  } catch (err) {
    emit({ t: 'fatal', error: `could not read message ${msg.id?._serialized}: ${(err as Error).message}` });
  }
}

async function serialize(msg: Message): Promise<WaMessageDto> {
  const isGroup = msg.from.endsWith('@g.us');
  let senderPhone = isGroup ? null : digitsOf(msg.from);
  let senderName: string | null = null;
  try {
    const contact = await msg.getContact();
    senderName = contact.pushname || contact.name || null;
    // Newer accounts address people by LID (`…@lid`); the contact still knows the phone number.
    if (!isGroup && !senderPhone && contact.number) senderPhone = contact.number;
  } catch {
    /* a missing contact leaves the name empty */
  }
  let media: WaMessageDto['media'] = null;
  let mediaError: string | null = null;
  if (msg.hasMedia) {
    try {
      const m = await msg.downloadMedia();
      if (!m) mediaError = 'media no longer available on the phone';
      else if (m.data.length * 0.75 > MAX_MEDIA_BYTES) mediaError = 'media larger than 64 MB';
      else media = { mimetype: m.mimetype, data: m.data, filename: m.filename ?? null };
    } catch (err) {
      mediaError = `media download failed: ${(err as Error).message}`;
    }
  }
  const loc = msg.type === 'location' && msg.location
    ? { latitude: Number(msg.location.latitude), longitude: Number(msg.location.longitude), name: msg.location.name, address: msg.location.address }
    : null;
  let quotedId: string | null = null;
  if (msg.hasQuotedMsg) quotedId = (await msg.getQuotedMessage().catch(() => null))?.id._serialized ?? null;
  return {
    id: msg.id._serialized, chatId: msg.from, isGroup, senderPhone, senderName, authorPhone: isGroup ? digitsOf(msg.author) : null,
    type: msg.type, body: msg.body ?? '', timestamp: msg.timestamp, location: loc, vCards: msg.vCards ?? [], media, mediaError, quotedId,
  };
}

/** A chat id for a phone number, refusing numbers that are not on WhatsApp (permanent). */
async function chatIdFor(chatId: string): Promise<string> {
  if (!chatId.endsWith('@c.us')) return chatId;
  const id = await client!.getNumberId(chatId.split('@')[0]!);
  if (!id) throw Object.assign(new Error('This number is not on WhatsApp'), { permanent: true });
  return id._serialized;
}

async function send(cmd: SendCommand): Promise<{ id: string }> {
  const to = await chatIdFor(cmd.chatId);
  if (!cmd.media) return { id: (await client!.sendMessage(to, cmd.text)).id._serialized };
  const data = (await readFile(cmd.media.path)).toString('base64');
  const media = mod!.createMedia(cmd.media.mimeType, data, cmd.media.fileName) as Parameters<Client['sendMessage']>[1];
  const sent = await client!.sendMessage(to, media, { caption: cmd.text || undefined, sendMediaAsDocument: cmd.media.asDocument });
  return { id: sent.id._serialized };
}

/** An own message an interrupted attempt may already have sent: same text, not older than `since`. */
async function find(cmd: FindCommand): Promise<{ id: string | null }> {
  const chat = await client!.getChatById(await chatIdFor(cmd.chatId));
  const recent = await chat.fetchMessages({ limit: 50, fromMe: true });
  const hit = recent.find((m) => m.fromMe && m.timestamp >= cmd.since && (m.body ?? '') === cmd.text);
  return { id: hit?.id._serialized ?? null };
}

/** Re-emits, per chat, the customer messages newer than what the hub stored: the gap of a disconnect. */
async function sync(cmd: SyncCommand): Promise<{ chats: number; messages: number }> {
  let chats = 0;
  let messages = 0;
  for (const chat of (await client!.getChats()) as Chat[]) {
    if (chat.isGroup && !config!.acceptGroups) continue;
    const since = cmd.since[chat.id._serialized] ?? cmd.fallback;
    if (since === null || chat.timestamp <= since) continue;
    chats++;
    const recent = await chat.fetchMessages({ limit: 100 });
    for (const m of recent.filter((x) => !x.fromMe && x.timestamp > since).sort((a, b) => a.timestamp - b.timestamp)) {
      await forward(m, true);
      messages++;
    }
  }
  return { chats, messages };
}

/** One at a time: the timer's and the shutdown's would otherwise pack into the same file. */
let packing: Promise<void> = Promise.resolve();
function snapshot(): Promise<void> {
  packing = packing.then(packOnce);
  return packing;
}

async function packOnce(): Promise<void> {
  if (!ready || !process.connected) return;
  try {
    const packed = await packSession(sessionDir(config!.dataPath, config!.clientId));
    // A logout while packing makes the snapshot worthless.
    if (packed && ready) emit({ t: 'session', snapshot: packed });
  } catch (err) {
    emit({ t: 'log', level: 'warn', msg: `whatsapp session snapshot failed: ${(err as Error).message}` });
  }
}

function fatal(error: string, code: number): void {
  emit({ t: 'fatal', error });
  void shutdown(code);
}

let closing = false;
async function shutdown(code: number): Promise<void> {
  if (closing) return;
  closing = true;
  if (snapshotTimer) clearTimeout(snapshotTimer);
  const c = client;
  client = null;
  await Promise.race([c?.destroy().catch(() => undefined), new Promise((r) => setTimeout(r, 5000))]);
  // Asked to stop with the session healthy: pack it once more, now that Chromium has closed its files.
  if (code === 0) await snapshot();
  ready = false;
  await Promise.race([flushed, new Promise((r) => setTimeout(r, 1000))]);
  process.exit(code);
}
