/**
 * Messages between the hub (parent) and the WhatsApp Web worker process over Node's IPC channel.
 * The worker owns the whatsapp-web.js Client and its Chromium; the parent owns everything durable.
 */
import type { SessionSnapshot } from './session-snapshot.js';

export interface WorkerConfig {
  /** Module exporting `createClient(config)` and `createMedia(...)`: `./wwebjs-client.js` in production. */
  clientModule: string;
  /** LocalAuth keeps the session in `<dataPath>/session-<clientId>`. */
  dataPath: string;
  clientId: string;
  chromiumPath: string;
  acceptGroups: boolean;
  /** While the client is ready, the session is packed `firstMs` after ready, then every `everyMs`, and on shutdown. */
  snapshots: { firstMs: number; everyMs: number };
}

/** A received message, serialized from whatsapp-web.js's `Message` with its media already downloaded. */
export interface WaMessageDto {
  id: string;
  /** The chat: `<digits>@c.us`, `<id>@lid` or a group's `<id>@g.us`. */
  chatId: string;
  isGroup: boolean;
  /** The sender's phone digits when known (resolved from a LID through the contact). */
  senderPhone: string | null;
  senderName: string | null;
  /** The author in a group. */
  authorPhone: string | null;
  type: string;
  body: string;
  /** Seconds since the epoch, as WhatsApp stamps it. */
  timestamp: number;
  location: { latitude: number; longitude: number; name?: string; address?: string } | null;
  vCards: string[];
  media: { mimetype: string; data: string; filename: string | null } | null;
  mediaError: string | null;
  quotedId: string | null;
}

export type ClientState = 'qr' | 'authenticated' | 'auth_failure' | 'ready' | 'disconnected';

export type FromWorker =
  | { t: 'state'; state: ClientState; detail?: string }
  | { t: 'message'; msg: WaMessageDto; backfill: boolean }
  | { t: 'ack'; id: string; ack: number }
  | { t: 'reply'; rid: number; ok: true; result: unknown }
  | { t: 'reply'; rid: number; ok: false; error: string; permanent: boolean }
  | { t: 'fatal'; error: string }
  /** The session, packed: the parent keeps it so another node (or a lost DATA_DIR) needs no new QR. */
  | { t: 'session'; snapshot: SessionSnapshot }
  | { t: 'log'; level: 'info' | 'warn'; msg: string };

export interface SendCommand {
  chatId: string;
  text: string;
  media?: { path: string; mimeType: string; fileName: string; asDocument: boolean };
}

export interface FindCommand {
  chatId: string;
  /** The body or caption the earlier attempt sent. */
  text: string;
  /** Seconds: only own messages at or after this time count. */
  since: number;
}

export interface SyncCommand {
  /** Per chat, the newest message time already stored (seconds). */
  since: Record<string, number>;
  /** For chats never seen: the newest time stored on any chat; null = first pairing, no backfill. */
  fallback: number | null;
}

export type ToWorker =
  /** `session`: the last snapshot the parent kept, unpacked before the client starts unless the folder is newer. */
  | { t: 'init'; config: WorkerConfig; session: SessionSnapshot | null }
  | { t: 'send'; rid: number; cmd: SendCommand }
  | { t: 'find'; rid: number; cmd: FindCommand }
  | { t: 'sync'; rid: number; cmd: SyncCommand }
  | { t: 'shutdown' };

/** The client module's shape: the production one wraps whatsapp-web.js, tests load a double of its Client. */
export interface ClientModule {
  createClient(config: WorkerConfig): unknown;
  createMedia(mimetype: string, base64: string, filename: string): unknown;
}
