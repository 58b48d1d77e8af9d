import { EntitySchema } from 'typeorm';
import type { MessageVisibility } from '../../shared/conversations.js';
import type { DeliveryStatus } from '../../shared/outbound.js';
import { id, json, ref, text, time } from '../db/columns.js';

export interface Message {
  id: number;
  conversationId: number;
  channelId: number;
  direction: 'in' | 'out';
  visibility: MessageVisibility;
  kind: 'text' | 'call' | 'event';
  authorId: number | null;
  text: string;
  html: string | null;
  /** The provider's id: with `channelId`, the idempotency key of ingest. */
  externalId: string | null;
  deliveryStatus: DeliveryStatus | null;
  deliveryError: string | null;
  meta: Record<string, unknown>;
  createdAt: number;
}

export const MessageEntity = new EntitySchema<Message>({
  name: 'Message',
  tableName: 'messages',
  columns: {
    id,
    conversationId: { ...ref(), name: 'conversation_id' },
    channelId: { ...ref(), name: 'channel_id' },
    direction: text(false, 3),
    visibility: text(false, 10),
    kind: text(false, 10),
    authorId: { ...ref(true), name: 'author_id' },
    text: text(),
    html: text(true),
    externalId: { ...text(true, 500), name: 'external_id' },
    deliveryStatus: { ...text(true, 10), name: 'delivery_status' },
    deliveryError: { ...text(true, 1000), name: 'delivery_error' },
    meta: json(),
    createdAt: { ...time(), name: 'created_at' },
  },
});
