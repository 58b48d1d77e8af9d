import type { Request, Response, NextFunction } from 'express';
import type { ZodType } from 'zod';
import type { Capabilities, ChannelStatus, ChannelType } from '../shared/channel.js';
import type { InboundMessage, IngestResult } from '../shared/inbound.js';
import type { DeliveryStatus, OutboundMessage } from '../shared/outbound.js';
import type { TemplateDto } from '../shared/templates.js';
import type { CallTargets, CallUpdate } from '../shared/calls.js';
import type { Readable } from 'node:stream';

export interface ConnectorLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** A message as the customer sees it: public only. The hub never hands a connector an internal note. */
export interface PublicMessage {
  id: number;
  /** The id the connector gave the message at ingest (inbound only). */
  externalId: string | null;
  direction: 'in' | 'out';
  text: string;
  authorName: string | null;
  attachments: Array<{ id: number; fileName: string; mimeType: string; size: number }>;
  createdAt: string;
}

export interface StoredFile {
  path: string;
  fileName: string;
  mimeType: string;
  size: number;
}

/**
 * Everything a connector may ask of the hub. Narrow on purpose: no database, no Socket.IO server
 * of the operators, no other channel.
 */
export interface ConnectorContext {
  channelId: number;
  logger: ConnectorLogger;
  /** Stores a customer message; resolves once committed, so acknowledge the provider only after it. */
  ingest(message: Omit<InboundMessage, 'channelId'>): Promise<IngestResult>;
  updateDelivery(externalId: string, status: DeliveryStatus, reason?: string): Promise<void>;
  reportStatus(status: ChannelStatus, reason?: string | null): void;
  /** Stores a file a customer sent, owned by that sender until a message of theirs carries it. */
  saveAttachment(senderExternalId: string, file: { fileName: string; mimeType: string; data: Buffer }): Promise<StoredFile & { id: number }>;
  /** A file from the sender's own conversation on this channel, or null. */
  openAttachment(senderExternalId: string, attachmentId: number): Promise<StoredFile | null>;
  /** The sender's public messages on this channel with an id above `afterId`, oldest first. */
  publicHistory(senderExternalId: string, afterId: number, limit?: number): Promise<PublicMessage[]>;
  /** The customer is typing: shown to operators of the conversation. */
  clientTyping(senderExternalId: string, typing: boolean): void;
  /** Whether an operator of the channel's line is online now. */
  isLineAvailable(): Promise<boolean>;
  /** The customer told us who they are (a form): fills gaps in their contact, if they already have one. */
  identify(senderExternalId: string, details: { name?: string; email?: string; phone?: string }): Promise<void>;
  /** The customer rated their last closed dialog (1–5); false when nothing of theirs awaits a rating. */
  rate(senderExternalId: string, score: number, comment?: string): Promise<boolean>;
  /** The customer edited a message they sent: the stored text follows, operators see the change. */
  editMessage(externalId: string, text: string): Promise<void>;
  /**
   * A stored call changed (answered, ended, recording ready), found by the call's `externalId`. The hub
   * keeps outcomes moving forward, flags missed calls and voicemail for a call-back, clears the flag
   * once an outgoing call to the client is answered, and gives an unassigned dialog to who answered.
   */
  updateCall(externalId: string, update: CallUpdate): Promise<void>;
  /** Who a call on this channel's line should ring now, per the line's working hours and routing. */
  callTargets(): Promise<CallTargets>;
  /** Whether this user may place calls through this channel (a member of its line, or a supervisor/admin). */
  mayCall(userId: number): Promise<boolean>;
  /**
   * Durable state of this channel (checkpoints, offsets), kept in the hub's database so it survives
   * restarts and moves with the channel. Save a checkpoint only after the messages before it are ingested.
   */
  state: {
    get(key: string): Promise<string | null>;
    set(key: string, value: string): Promise<void>;
  };
  /**
   * Like `state`, for credentials that must move with the channel (a linked device's session): sealed
   * with the hub secret at rest. `set(key, null)` forgets the value.
   */
  secrets: {
    get(key: string): Promise<Buffer | null>;
    set(key: string, value: Buffer | null): Promise<void>;
  };
}

/** A send that failed: transient failures are retried with backoff, permanent ones shown to the operator. */
export class SendError extends Error {
  constructor(message: string, readonly transient: boolean) {
    super(message);
  }
}

export interface Connector {
  start(): Promise<void>;
  stop(): Promise<void>;
  /**
   * `send` may run twice for one `messageId` without the customer seeing it twice (the provider, or
   * our own widget, dedupes by a key derived from it). When a send was cut off (the hub died mid-send)
   * such channels get it again; all others mark the message failed rather than risk a double.
   */
  readonly idempotentSends?: boolean;
  /** Delivers one public message; resolves with the provider's message id. */
  send(message: OutboundMessage): Promise<{ externalId: string }>;
  /**
   * Sends the customer their dialog (public messages only) through this channel; resolves with the
   * number of messages it held. Channels that cannot (chats) leave it out.
   */
  sendTranscript?(recipientExternalId: string, o: { contactName: string; title: string }): Promise<number>;
  /** The operator is typing a reply (never called for internal-note typing). */
  operatorTyping?(recipientExternalId: string, typing: boolean, operatorName: string): void;
  /** The dialog closed and the line asks for a rating: channels with buttons (the widget) show them. */
  ratingRequested?(recipientExternalId: string, prompt: string): void;
  /** Whether an operator of the line is online changed: channels that show it (the widget) pass it on. */
  availabilityChanged?(online: boolean): void;
  /**
   * Telephony: a short-lived token for the operator's browser phone (Twilio Voice SDK), or null when
   * the channel has none.
   */
  phoneToken?(userId: number): Promise<{ token: string; identity: string; expiresAt: string } | null>;
  /** Telephony: streams a call recording from the provider (`CallUpdate.recordingSource`) for the hub's authenticated proxy. */
  recording?(source: string): Promise<{ stream: Readable; mimeType: string; size: number | null }>;
  /**
   * Webhooks, mounted under `/hooks/<type>/<channelId>` (any sub-path and method). `req.body` is the
   * raw request body as a Buffer (at most 5 MB), so signatures can be checked over the exact bytes;
   * parse it after verifying. Answer 401/403 on a bad signature, 400 on a bad payload.
   */
  webhook?(req: Request, res: Response, next: NextFunction): void;
}

export interface ChannelInfo {
  id: number;
  name: string;
  publicKey: string | null;
}

export interface ConnectorDefinition<S = unknown> {
  type: ChannelType;
  /** Parses and defaults the channel's settings; a bad value is the admin's validation error. */
  settings: ZodType<S>;
  /** Setting names whose values are secrets: masked in every API answer and log. */
  secretFields: readonly string[];
  /** Whether the channel gets a public key for embeds. */
  usesPublicKey: boolean;
  capabilities(settings: S): Capabilities;
  create(channel: ChannelInfo, settings: S, ctx: ConnectorContext): Connector;
  /**
   * Tries the settings against the provider without saving them, and says exactly what is wrong
   * (authentication failed, TLS error, host unreachable, folder missing, …).
   */
  testConnection?(settings: S): Promise<{ ok: true; details?: string } | { ok: false; reason: string }>;
  /**
   * Refuse to save settings that fail `testConnection` (a bot token that `getMe` rejects). Channels
   * that can recover on their own (a mailbox whose server is down) save anyway and show the error as status.
   */
  checkOnSave?: boolean;
  /**
   * Whether the connector pulls from the provider in a loop of its own (IMAP IDLE, Telegram long
   * polling, the WhatsApp Web session). With several nodes such a channel runs on one node at a time,
   * the holder of its lease, which also sends its replies; channels fed by webhooks run on every node.
   * A connector should not both loop and take webhooks: a webhook reaching a node that waits gets 503.
   * @default false (no loop)
   */
  inboundLoop?(settings: S): boolean;
  /** The provider's approved message templates, for channels that need them (WhatsApp Cloud API). */
  templates?(settings: S): Promise<TemplateDto[]>;
}
