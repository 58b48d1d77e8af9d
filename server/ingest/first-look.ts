import type { ParsedInboundMessage } from '../../shared/inbound.js';
import type { Tx } from '../db/database.js';
import type { Conversation } from '../conversations/conversation.entity.js';
import { CONVERSATION_COLUMNS, conversationJsonArgs, conversationOf } from '../conversations/conversation.row.js';

export type ContactRow = Record<string, unknown>;

/** What ingest reads before it decides anything. */
export interface FirstLook {
  /** The message already stored under this external id (a redelivery). */
  existing: { id: number; conversationId: number; contactId: number; createdAt: string | number } | undefined;
  /** The contact the sender's identity on this channel type points to. */
  known: ContactRow | undefined;
  /** That contact's live dialog on this channel and thread. */
  live: Conversation | null;
  /** The id the message will get (SQLite only). */
  nextId: number | null;
}

const CONTACT_COLUMNS = 'c.id, c.name, c.email, c.phone, c.created_at AS "createdAt", c.updated_at AS "updatedAt"';

/**
 * The id SQLite will give the next message. Its single writer runs one write at a time, so a write may
 * name its message's id up front; AUTOINCREMENT never reuses an id, even a deleted last row's, and
 * `sqlite_sequence` remembers it.
 */
const NEXT_MESSAGE_ID = `MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'messages'), 0), COALESCE((SELECT MAX(id) FROM messages), 0)) + 1`;

/**
 * The first reads of an ingest, in one round trip. On SQLite each statement is a hand-off to
 * node-sqlite3's worker thread that costs the main thread more than the query itself, so they are
 * folded into two: the duplicate check with the next message id, the contact with its live dialog.
 * PostgreSQL keeps them apart: it locks the dialog (`FOR UPDATE`), which a subquery cannot.
 */
export async function firstLook(tx: Tx, channel: { id: number; type: string }, msg: ParsedInboundMessage, wantsLive: boolean): Promise<FirstLook> {
  if (tx.forUpdate) {
    const [[existing], known, live] = await tx.together(
      () => duplicateOf(tx, channel.id, msg.externalId),
      () => contactByIdentity(tx, channel.type, msg.sender.externalId),
      () => (wantsLive ? liveOfIdentity(tx, channel.id, channel.type, msg) : Promise.resolve(null)),
    );
    return { existing, known, live, nextId: null };
  }
  const [[dup], [contact]] = await tx.together(
    () => tx.sql<{ nextId: number; id: number | null; conversationId: number; contactId: number; createdAt: string | number }>(
      `SELECT (${NEXT_MESSAGE_ID}) AS "nextId", m.id, m.conversation_id AS "conversationId", c.contact_id AS "contactId", m.created_at AS "createdAt"
       FROM (SELECT 1) one LEFT JOIN messages m ON m.channel_id = ? AND m.external_id = ? LEFT JOIN conversations c ON c.id = m.conversation_id`,
      [channel.id, msg.externalId],
    ),
    () => tx.sql<ContactRow & { live: string | null }>(
      `SELECT ${CONTACT_COLUMNS},
         (SELECT json_object(${conversationJsonArgs('v')}) FROM conversations v
          WHERE v.channel_id = ? AND v.thread_key = ? AND v.status <> 'closed' AND v.contact_id = c.id) AS live
       FROM contacts c JOIN contact_identities i ON i.contact_id = c.id WHERE i.channel_type = ? AND i.external_id = ?`,
      [channel.id, msg.threadKey ?? '', channel.type, msg.sender.externalId],
    ),
  );
  const { live, ...known } = contact ?? { live: null };
  return {
    existing: dup!.id === null ? undefined : dup as FirstLook['existing'],
    known: contact ? known : undefined,
    live: live ? conversationOf(JSON.parse(live)) : null,
    nextId: Number(dup!.nextId),
  };
}

/** The contact an identity (channel type + the sender's id there) belongs to. */
export async function contactByIdentity(tx: Tx, channelType: string, externalId: string): Promise<ContactRow | undefined> {
  const [row] = await tx.sql<ContactRow>(
    `SELECT ${CONTACT_COLUMNS} FROM contacts c JOIN contact_identities i ON i.contact_id = c.id WHERE i.channel_type = ? AND i.external_id = ?`,
    [channelType, externalId],
  );
  return row;
}

async function duplicateOf(tx: Tx, channelId: number, externalId: string): Promise<Array<NonNullable<FirstLook['existing']>>> {
  return tx.sql(
    `SELECT m.id, m.conversation_id AS "conversationId", c.contact_id AS "contactId", m.created_at AS "createdAt"
     FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE m.channel_id = ? AND m.external_id = ?`,
    [channelId, externalId],
  );
}

/** The live dialog, on this channel and the message's thread, of the contact the sender's identity belongs to. */
async function liveOfIdentity(tx: Tx, channelId: number, channelType: string, msg: ParsedInboundMessage): Promise<Conversation | null> {
  const [row] = await tx.sql(
    `SELECT ${CONVERSATION_COLUMNS} FROM conversations WHERE channel_id = ? AND thread_key = ? AND status <> 'closed'
       AND contact_id = (SELECT contact_id FROM contact_identities WHERE channel_type = ? AND external_id = ?)${tx.forUpdate ? ' FOR UPDATE' : ''}`,
    [channelId, msg.threadKey ?? '', channelType, msg.sender.externalId],
  );
  return row ? conversationOf(row) : null;
}
