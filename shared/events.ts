import { z } from 'zod';
import { ContactDto, LeadDto } from './contacts.js';
import { LineDto } from './lines.js';
import { UserDto } from './users.js';
import { ConversationDto, MessageDto } from './conversations.js';
import { IncomingCallDto } from './calls.js';

/**
 * Domain events, named `resource.verb`. Each is stored in the event log with a sequence and
 * pushed to operators whose scope covers it; the payload carries the full new state.
 */
export const DomainEventPayloads = {
  'conversation.created': z.object({ conversation: ConversationDto }),
  'conversation.updated': z.object({ conversation: ConversationDto }),
  'message.created': z.object({ message: MessageDto, conversation: ConversationDto }),
  'message.updated': z.object({ message: MessageDto }),
  'contact.updated': z.object({ contact: ContactDto }),
  'lead.created': z.object({ lead: LeadDto }),
  'lead.updated': z.object({ lead: LeadDto }),
  'line.updated': z.object({ line: LineDto }),
  'participant.added': z.object({ conversationId: z.number().int(), userId: z.number().int(), mode: z.enum(['invited', 'silent']), by: z.number().int() }),
  'user.updated': z.object({ user: UserDto }),
  'user.removed': z.object({ userId: z.number().int() }),
  'call.ringing': z.object({ call: IncomingCallDto }),
} as const;

export type DomainEventType = keyof typeof DomainEventPayloads;
export type DomainEventPayload<T extends DomainEventType> = z.infer<(typeof DomainEventPayloads)[T]>;

/** One event as it travels to an operator: `seq` is the log's sequence, strictly increasing. */
export type EventEnvelope = {
  [T in DomainEventType]: { seq: number; type: T; at: string; payload: DomainEventPayload<T> };
}[DomainEventType];
