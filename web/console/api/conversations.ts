import type { ConversationDto, ConversationPage, ConversationStatus, MessageDto, MessagePage, ReviewBody } from '../../../shared/conversations';
import type { MessageTemplate } from '../../../shared/templates';
import { http } from './http';

/** `GET /api/conversations` query (see `ConversationListQuery` in shared/conversations.ts). */
export interface ListQuery {
  scope?: 'mine' | 'queue' | 'all' | 'closed';
  lineId?: number;
  channelId?: number;
  status?: ConversationStatus;
  assigneeId?: number;
  contactId?: number;
  q?: string;
  cursor?: string;
  limit?: number;
}

export const conversationsApi = {
  list: (query: ListQuery) => http.get<ConversationPage>('/api/conversations', { ...query }),
  get: (id: number) => http.get<ConversationDto>(`/api/conversations/${id}`),
  messages: (id: number, before?: number, limit = 50) =>
    http.get<MessagePage>(`/api/conversations/${id}/messages`, { before, limit }),
  reply: (id: number, text: string, attachmentIds: number[]) =>
    http.post<MessageDto>(`/api/conversations/${id}/messages`, { text, attachmentIds }),
  /** An approved template: the only reply some channels allow once their reply window has closed. */
  sendTemplate: (id: number, template: MessageTemplate) => http.post<MessageDto>(`/api/conversations/${id}/messages`, { template }),
  note: (id: number, text: string) => http.post<MessageDto>(`/api/conversations/${id}/notes`, { text }),
  assign: (id: number, assigneeId: number | null, comment?: string) => http.post<ConversationDto>(`/api/conversations/${id}/assign`, { assigneeId, ...(comment ? { comment } : {}) }),
  /** To another line's queue, where its routing takes over. */
  transferToLine: (id: number, lineId: number, comment?: string) => http.post<ConversationDto>(`/api/conversations/${id}/transfer`, { lineId, ...(comment ? { comment } : {}) }),
  /** The assignee passes the dialog to the next operator of the line (204; the change arrives as an event). */
  skip: (id: number) => http.post<void>(`/api/conversations/${id}/skip`),
  /** A supervisor's 1–5 review of the dialog. */
  review: (id: number, body: ReviewBody) => http.post<ConversationDto>(`/api/conversations/${id}/review`, body),
  close: (id: number) => http.post<ConversationDto>(`/api/conversations/${id}/close`),
  reopen: (id: number) => http.post<ConversationDto>(`/api/conversations/${id}/reopen`),
  retry: (messageId: number) => http.post<MessageDto>(`/api/messages/${messageId}/retry`),
};
