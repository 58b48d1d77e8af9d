import { EntitySchema } from 'typeorm';
import { id, ref, text, time, int } from '../db/columns.js';

/**
 * A stored file. Uploaded first (owner set, no message), then linked to the message that carries it;
 * `owner` is `user:<id>` or `<channelId>:<senderExternalId>` so nobody can attach another's upload.
 */
export interface Attachment {
  id: number;
  messageId: number | null;
  owner: string;
  fileName: string;
  mimeType: string;
  size: number;
  storageKey: string;
  createdAt: number;
}

export const AttachmentEntity = new EntitySchema<Attachment>({
  name: 'Attachment',
  tableName: 'attachments',
  columns: {
    id,
    messageId: { ...ref(true), name: 'message_id' },
    owner: text(false, 400),
    fileName: { ...text(false, 255), name: 'file_name' },
    mimeType: { ...text(false, 100), name: 'mime_type' },
    size: int(0),
    storageKey: { ...text(false, 100), name: 'storage_key' },
    createdAt: { ...time(), name: 'created_at' },
  },
});
