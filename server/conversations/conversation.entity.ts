import { EntitySchema } from 'typeorm';
import type { ConversationStatus } from '../../shared/conversations.js';
import { id, int, json, ref, text, time } from '../db/columns.js';

/** Per-session facts routing and reports need: which automatic texts went out, passes-on, KPIs. */
export interface ConversationFlags {
  welcomeSent?: boolean;
  outOfHoursSent?: boolean;
  noAnswerSent?: boolean;
  /** How often the dialog passed from one operator to the next. */
  passOns?: number;
  /** Operators who let it pass this session, skipped until everyone has been tried. */
  skipped?: number[];
  assignedAt?: number;
  /** The client first wrote outside the line's working hours. */
  startedOutOfHours?: boolean;
  /** Closed by the auto-close timer (its own text went out instead of the closing text). */
  autoClosed?: boolean;
  /** The `closedAt` whose closing texts went out: each close is handled once. */
  closeHandledAt?: number;
  /** The client was asked for a rating when the dialog closed. */
  ratingRequested?: boolean;
  /** The client's rating (CSAT); `at` in epoch ms. */
  rating?: { score: number; comment: string | null; at: number };
  /** Seconds the client waited for each operator answer after the first (the first is `firstReplyAt`); the last 50. */
  replyWaits?: number[];
  /** Marked as spam: closed without closing texts. */
  spam?: boolean;
  /** A missed call or voicemail waits for someone to call back; cleared by an answered outgoing call. */
  callBack?: boolean;
  /** A supervisor's review of the handling. */
  review?: { score: number; comment: string | null; by: number; at: number };
}

export interface Conversation {
  id: number;
  lineId: number;
  channelId: number;
  contactId: number;
  /** The contact's id on this channel: where replies go. */
  contactExternalId: string;
  /** Separates parallel threads of one contact on one channel (e-mail); '' for chat channels. */
  threadKey: string;
  status: ConversationStatus;
  assigneeId: number | null;
  lastMessagePreview: string;
  lastMessageAt: number;
  waitingSince: number | null;
  unreadCount: number;
  firstReplyAt: number | null;
  closedAt: number | null;
  flags: ConversationFlags;
  createdAt: number;
  updatedAt: number;
}

export const ConversationEntity = new EntitySchema<Conversation>({
  name: 'Conversation',
  tableName: 'conversations',
  columns: {
    id,
    lineId: { ...ref(), name: 'line_id' },
    channelId: { ...ref(), name: 'channel_id' },
    contactId: { ...ref(), name: 'contact_id' },
    contactExternalId: { ...text(false, 320), name: 'contact_external_id' },
    threadKey: { ...text(false, 500), name: 'thread_key', default: '' },
    status: text(false, 20),
    assigneeId: { ...ref(true), name: 'assignee_id' },
    lastMessagePreview: { ...text(false, 200), name: 'last_message_preview', default: '' },
    lastMessageAt: { ...time(), name: 'last_message_at' },
    waitingSince: { ...time(true), name: 'waiting_since' },
    unreadCount: { ...int(0), name: 'unread_count' },
    firstReplyAt: { ...time(true), name: 'first_reply_at' },
    closedAt: { ...time(true), name: 'closed_at' },
    flags: json(),
    createdAt: { ...time(), name: 'created_at' },
    updatedAt: { ...time(), name: 'updated_at' },
  },
});
