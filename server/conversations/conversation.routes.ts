import { InviteBody, ParticipantDto, ReviewBody, TransferLineBody, AssignBody, ConversationDto, ConversationListQuery, ConversationPage, MessageDto, MessageListQuery, MessagePage, NoteBody, ReplyBody } from '../../shared/conversations.js';
import { z } from 'zod';
import type { Database } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import type { ApiRouter } from '../http/api-router.js';
import type { Authenticated } from '../auth/session.service.js';
import { viewerOf } from './access.js';
import type { ConversationService } from './conversation.service.js';
import type { MessageService } from './message.service.js';
import type { RoutingService } from '../routing/routing.service.js';
import type { CollaborationService } from './collaboration.service.js';
import type { Participant } from './participant.entity.js';

export interface ConversationRouteDeps {
  db: Database;
  conversations: ConversationService;
  messages: MessageService;
  routing: RoutingService;
  collaboration: CollaborationService;
  /** Mails (or otherwise sends) the client their dialog through its channel; null when the channel cannot. */
  sendTranscript(conversationId: number): Promise<number | null>;
}

export function conversationRoutes(api: ApiRouter, d: ConversationRouteDeps): void {
  const actor = async (auth: Authenticated) => ({ ...(await viewerOf(d.db.manager, auth.user)), role: auth.user.role });

  api.add({
    method: 'get', path: '/api/conversations', tag: 'conversations', access: 'user',
    summary: 'Inbox: tabs mine / queue / all / closed, filters, search; newest activity first, cursor paginated',
    query: ConversationListQuery, response: ConversationPage,
    handler: async ({ auth, query }) => d.conversations.list(await actor(auth), query),
  });
  api.add({
    method: 'get', path: '/api/conversations/{id}', tag: 'conversations', access: 'user', summary: 'One conversation', response: ConversationDto,
    handler: async ({ auth, params }) => d.conversations.get(await actor(auth), params.id),
  });
  api.add({
    method: 'get', path: '/api/conversations/{id}/messages', tag: 'conversations', access: 'user',
    summary: 'Messages newest first; pass the smallest id shown as `before` for older ones', query: MessageListQuery, response: MessagePage,
    handler: async ({ auth, params, query }) => d.messages.page(await actor(auth), params.id, query),
  });
  api.add({
    method: 'post', path: '/api/conversations/{id}/messages', tag: 'conversations', access: 'user',
    summary: 'Reply to the client (queued for delivery; takes an unassigned dialog)', body: ReplyBody, response: MessageDto, status: 201,
    handler: async ({ auth, params, body }) => d.messages.reply(await actor(auth), params.id, body),
  });
  api.add({
    method: 'post', path: '/api/conversations/{id}/notes', tag: 'conversations', access: 'user',
    summary: 'Internal note: seen by colleagues only, never sent to the client', body: NoteBody, response: MessageDto, status: 201,
    handler: async ({ auth, params, body }) => d.messages.note(await actor(auth), params.id, body.text),
  });
  api.add({
    method: 'post', path: '/api/conversations/{id}/assign', tag: 'conversations', access: 'user',
    summary: 'Take, transfer or return to the queue (null)', body: AssignBody, response: ConversationDto,
    async handler({ auth, params, body }) {
      const who = await actor(auth);
      const dto = await d.conversations.assign(who, params.id, body.assigneeId);
      if (body.comment) await d.messages.note(who, params.id, body.comment);
      return dto;
    },
  });
  api.add({
    method: 'post', path: '/api/conversations/{id}/transfer', tag: 'conversations', access: 'user',
    summary: "Transfer to another open line's queue", body: TransferLineBody, response: ConversationDto,
    async handler({ auth, params, body }) {
      const who = await actor(auth);
      // The note goes in first: after the transfer the dialog may be out of the sender's sight.
      if (body.comment) await d.messages.note(who, params.id, body.comment);
      return d.conversations.transferToLine(who, params.id, body.lineId);
    },
  });
  const participantDtos = (ps: Participant[]) => ({ items: ps.map((p) => ({ ...p, addedAt: new Date(p.addedAt).toISOString() })) });
  api.add({
    method: 'get', path: '/api/conversations/{id}/participants', tag: 'conversations', access: 'user',
    summary: 'Colleagues in the dialog besides its assignee', response: z.object({ items: z.array(ParticipantDto) }),
    handler: async ({ auth, params }) => participantDtos(await d.collaboration.participants(await actor(auth), params.id)),
  });
  api.add({
    method: 'post', path: '/api/conversations/{id}/participants', tag: 'conversations', access: 'user',
    summary: 'Invite a colleague, who then sees the whole history', body: InviteBody, response: z.object({ items: z.array(ParticipantDto) }),
    handler: async ({ auth, params, body }) => participantDtos(await d.collaboration.add(await actor(auth), params.id, body.userId, 'invited')),
  });
  api.add({
    method: 'post', path: '/api/conversations/{id}/join', tag: 'conversations', access: ['supervisor', 'admin'],
    summary: 'Follow the dialog silently (the client is not told)', response: z.object({ items: z.array(ParticipantDto) }),
    handler: async ({ auth, params }) => participantDtos(await d.collaboration.add(await actor(auth), params.id, auth.user.id, 'silent')),
  });
  api.add({
    method: 'put', path: '/api/conversations/{id}/pin', tag: 'conversations', access: 'user', summary: 'Pin the dialog to the top of my inbox',
    handler: async ({ auth, params }) => d.collaboration.pin(await actor(auth), params.id, true),
  });
  api.add({
    method: 'delete', path: '/api/conversations/{id}/pin', tag: 'conversations', access: 'user', summary: 'Unpin the dialog',
    handler: async ({ auth, params }) => d.collaboration.pin(await actor(auth), params.id, false),
  });
  api.add({
    method: 'get', path: '/api/me/pins', tag: 'conversations', access: 'user', summary: 'The dialogs I pinned, newest pin first',
    response: z.object({ conversationIds: z.array(z.number().int()) }),
    handler: async ({ auth }) => ({ conversationIds: await d.collaboration.pins(auth.user.id) }),
  });
  api.add({
    method: 'post', path: '/api/conversations/{id}/spam', tag: 'conversations', access: 'user',
    summary: 'Mark as spam: closes without closing texts; open leads of the contact become junk', response: ConversationDto,
    handler: async ({ auth, params }) => d.collaboration.spam(await actor(auth), params.id),
  });
  api.add({
    method: 'post', path: '/api/conversations/{id}/transcript', tag: 'conversations', access: 'user',
    summary: 'Send the client their dialog (public messages only) through its channel', response: z.object({ sent: z.number().int() }),
    async handler({ auth, params }) {
      await d.conversations.get(await actor(auth), params.id);
      const sent = await d.sendTranscript(params.id);
      if (sent === null) throw new AppError('conflict', 'This channel cannot send a transcript');
      return { sent };
    },
  });
  api.add({
    method: 'post', path: '/api/conversations/{id}/review', tag: 'conversations', access: ['supervisor', 'admin'],
    summary: "Rate the operator's handling of the dialog (1–5, with a comment)", body: ReviewBody, response: ConversationDto,
    handler: async ({ auth, params, body }) => d.conversations.review(await actor(auth), params.id, body.score, body.comment),
  });
  api.add({
    method: 'post', path: '/api/conversations/{id}/skip', tag: 'conversations', access: 'user',
    summary: 'Pass my dialog on to the next operator of the line now',
    handler: async ({ auth, params }) => d.routing.skip(await actor(auth), params.id),
  });
  api.add({
    method: 'post', path: '/api/conversations/{id}/close', tag: 'conversations', access: 'user', summary: 'Close the dialog', response: ConversationDto,
    handler: async ({ auth, params }) => d.conversations.close(await actor(auth), params.id),
  });
  api.add({
    method: 'post', path: '/api/conversations/{id}/reopen', tag: 'conversations', access: 'user', summary: 'Reopen a closed dialog', response: ConversationDto,
    handler: async ({ auth, params }) => d.conversations.reopen(await actor(auth), params.id),
  });
  api.add({
    method: 'post', path: '/api/messages/{id}/retry', tag: 'conversations', access: 'user', summary: 'Send a failed reply again', response: MessageDto,
    handler: async ({ auth, params }) => d.messages.retry(await actor(auth), params.id),
  });
}
