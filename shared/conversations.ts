import { z } from 'zod';
import { AttachmentDto } from './attachment.js';
import { ChannelType } from './channel.js';
import { DeliveryStatus } from './outbound.js';
import { MessageTemplate } from './templates.js';

export const ConversationStatus = z.enum(['queued', 'open', 'waiting', 'closed']);
export type ConversationStatus = z.infer<typeof ConversationStatus>;

export const ConversationDto = z.object({
  id: z.number().int(),
  lineId: z.number().int(),
  channelId: z.number().int(),
  channelType: ChannelType,
  contactId: z.number().int(),
  contactName: z.string(),
  status: ConversationStatus,
  assigneeId: z.number().int().nullable(),
  /** Text of the newest public or internal message, for the inbox row. */
  lastMessagePreview: z.string(),
  lastMessageAt: z.iso.datetime(),
  /** Since when the client has waited for an answer; null when nobody waits. */
  waitingSince: z.iso.datetime().nullable(),
  /** Client messages since the last operator reply. */
  unreadCount: z.number().int().nonnegative(),
  firstReplyAt: z.iso.datetime().nullable(),
  closedAt: z.iso.datetime().nullable(),
  /** The client's rating of the session (CSAT), when they gave one. */
  rating: z.object({ score: z.number().int().min(1).max(5), comment: z.string().nullable(), at: z.iso.datetime() }).nullable(),
  /** A supervisor's review of how the operator handled it. */
  review: z.object({ score: z.number().int().min(1).max(5), comment: z.string().nullable(), by: z.number().int(), at: z.iso.datetime() }).nullable(),
  /** Marked as spam (closed without closing texts). */
  spam: z.boolean().optional(),
  /** A missed call or voicemail nobody has called back yet. */
  callBack: z.boolean().optional(),
  /** What reports need per session. */
  kpi: z.object({
    firstReplySeconds: z.number().nullable(),
    handleSeconds: z.number().nullable(),
    passOns: z.number().int(),
    startedOutOfHours: z.boolean(),
    /** Average wait for the operator's later answers (after the first), in seconds. */
    averageReplySeconds: z.number().nullable().optional(),
  }),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type ConversationDto = z.infer<typeof ConversationDto>;

export const MessageDirection = z.enum(['in', 'out']);
export const MessageVisibility = z.enum(['public', 'internal', 'system']);
export type MessageVisibility = z.infer<typeof MessageVisibility>;

/** A call, as a message of kind `call` (Twilio, SIP): filled by the telephony connectors. */
export const CallDetails = z.object({
  direction: z.enum(['in', 'out']),
  from: z.string(),
  to: z.string(),
  outcome: z.enum(['ringing', 'in_progress', 'answered', 'missed', 'busy', 'failed', 'voicemail']),
  /** The operator who took it. */
  answeredBy: z.number().int().nullable(),
  startedAt: z.iso.datetime(),
  answeredAt: z.iso.datetime().nullable(),
  endedAt: z.iso.datetime().nullable(),
  durationSeconds: z.number().int().nonnegative().nullable(),
  /** Played through the hub with the operator's session, never a public link. */
  recordingUrl: z.string().nullable(),
});
export type CallDetails = z.infer<typeof CallDetails>;

export const MessageDto = z.object({
  id: z.number().int(),
  conversationId: z.number().int(),
  direction: MessageDirection,
  visibility: MessageVisibility,
  kind: z.enum(['text', 'call', 'event']),
  authorId: z.number().int().nullable(),
  authorName: z.string().nullable(),
  text: z.string(),
  html: z.string().nullable(),
  attachments: z.array(AttachmentDto),
  deliveryStatus: DeliveryStatus.nullable(),
  deliveryError: z.string().nullable(),
  /** For `kind: 'call'`. */
  call: CallDetails.nullable().optional(),
  createdAt: z.iso.datetime(),
});
export type MessageDto = z.infer<typeof MessageDto>;

const Id = z.coerce.number().int().positive();

/** What a search box sends: any text a person can type (control characters cut SQL strings short). */
export const SearchText = z.string().trim().max(200).regex(/^[^\u0000-\u0008\u000b\u000c\u000e-\u001f]*$/, 'text without control characters');

/** `GET /api/conversations`: newest activity first; `cursor` is the `nextCursor` of the previous page. */
export const ConversationListQuery = z.object({
  scope: z.enum(['mine', 'queue', 'all', 'closed']).default('all'),
  lineId: Id.optional(),
  channelId: Id.optional(),
  status: ConversationStatus.optional(),
  assigneeId: Id.optional(),
  contactId: Id.optional(),
  q: SearchText.optional(),
  cursor: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ConversationListQuery = z.input<typeof ConversationListQuery>;

export const ConversationPage = z.object({ items: z.array(ConversationDto), nextCursor: z.string().nullable() });
export type ConversationPage = z.infer<typeof ConversationPage>;

/** `GET /api/conversations/:id/messages`: newest first, `before` = the smallest id already shown. */
export const MessageListQuery = z.object({
  before: Id.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const MessagePage = z.object({ items: z.array(MessageDto), hasMore: z.boolean() });
export type MessagePage = z.infer<typeof MessagePage>;

export const ReplyBody = z
  .object({
    text: z.string().max(20_000).default(''),
    attachmentIds: z.array(z.number().int().positive()).max(10).default([]),
    /** An approved template (WhatsApp Cloud API), the only reply allowed once the 24-hour window has closed. */
    template: MessageTemplate.optional(),
  })
  .refine((b) => b.text.trim().length > 0 || b.attachmentIds.length > 0 || b.template !== undefined, { message: 'text, an attachment or a template is required' });
export type ReplyBody = z.input<typeof ReplyBody>;

export const NoteBody = z.object({ text: z.string().trim().min(1).max(20_000) });
export type NoteBody = z.infer<typeof NoteBody>;

/** A note for the colleague taking over: kept as an internal note, never shown to the client. */
const TransferComment = z.string().trim().max(2000).optional();

export const AssignBody = z.object({ assigneeId: z.number().int().positive().nullable(), comment: TransferComment });
export type AssignBody = z.infer<typeof AssignBody>;

export const TransferLineBody = z.object({ lineId: z.number().int().positive(), comment: TransferComment });

export const ParticipantDto = z.object({
  userId: z.number().int(),
  /** `invited`: asked to help; `silent`: a supervisor following without the client knowing. */
  mode: z.enum(['invited', 'silent']),
  addedBy: z.number().int().nullable(),
  addedAt: z.iso.datetime(),
});
export type ParticipantDto = z.infer<typeof ParticipantDto>;

/** `POST /api/conversations/:id/participants`: invite a colleague. */
export const InviteBody = z.object({ userId: z.number().int().positive() });

/** `POST /api/conversations/:id/review` (supervisors and admins). */
export const ReviewBody = z.object({ score: z.number().int().min(1).max(5), comment: z.string().trim().max(2000).nullable().default(null) });
export type ReviewBody = z.input<typeof ReviewBody>;
