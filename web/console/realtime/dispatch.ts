/**
 * THE place where server pushes change stores. Components never listen to the socket;
 * they read stores, which this module keeps current.
 */
import type { EventEnvelope } from '../../../shared/events';
import type { OperatorServerEvents } from '../../../shared/operator-socket';
import { useCallsStore } from '../stores/calls';
import { notificationFor } from '../stores/conversation-filters';
import { useConversationsStore } from '../stores/conversations';
import { useCrmStore } from '../stores/crm';
import { useLinesStore } from '../stores/lines';
import { useMessagesStore } from '../stores/messages';
import { useParticipantsStore } from '../stores/participants';
import { useSessionStore } from '../stores/session';
import { useTypingStore } from '../stores/typing';
import { useUsersStore } from '../stores/users';
import type { ConversationDto } from '../../../shared/conversations';

export type Notify = (kind: 'assigned' | 'queued', conversation: ConversationDto) => void;
type PresencePush = Parameters<OperatorServerEvents['presence']>[0];
type TypingPush = Parameters<OperatorServerEvents['typing']>[0];

export interface Dispatcher {
  event(e: EventEnvelope, live: boolean): void;
  presence(p: PresencePush): void;
  typing(t: TypingPush): void;
}

export function createDispatcher(notify: Notify): Dispatcher {
  const session = useSessionStore();
  const conversations = useConversationsStore();
  const messages = useMessagesStore();
  const crm = useCrmStore();
  const typing = useTypingStore();
  const users = useUsersStore();
  const lines = useLinesStore();
  const participants = useParticipantsStore();
  const calls = useCallsStore();

  function conversation(c: ConversationDto, live: boolean): void {
    const previous = conversations.byId.get(c.id);
    if (!conversations.upsert(c) || !live) return;
    const kind = notificationFor(previous, c, session.user?.id ?? null);
    if (kind) notify(kind, c);
  }

  return {
    event(e, live) {
      switch (e.type) {
        case 'conversation.created':
        case 'conversation.updated':
          conversation(e.payload.conversation, live);
          break;
        case 'message.created':
          messages.upsert(e.payload.message);
          if (e.payload.message.direction === 'in') typing.clientStopped(e.payload.message.conversationId);
          conversation(e.payload.conversation, live);
          break;
        case 'message.updated':
          messages.upsert(e.payload.message);
          calls.messageUpdated(e.payload.message);
          break;
        case 'call.ringing':
          calls.ringing(e.payload.call, live);
          break;
        case 'contact.updated':
          crm.upsertContact(e.payload.contact);
          break;
        case 'lead.created':
        case 'lead.updated':
          crm.upsertLead(e.payload.lead);
          break;
        case 'line.updated':
          lines.upsert(e.payload.line);
          break;
        case 'participant.added':
          participants.refreshIfKnown(e.payload.conversationId);
          if (e.payload.userId === session.user?.id) void conversations.addJoined(e.payload.conversationId).catch(() => undefined);
          break;
        case 'user.updated':
          users.upsert(e.payload.user);
          if (e.payload.user.id === session.user?.id) session.user = e.payload.user;
          break;
        case 'user.removed':
          users.forget(e.payload.userId);
          break;
      }
    },
    presence({ userId, presence }) {
      users.applyPresence(userId, presence);
      if (userId === session.user?.id) session.applyPresence(presence);
    },
    typing(t) {
      if (t.who === 'operator' && t.userId === session.user?.id) return;
      typing.apply(t);
    },
  };
}
