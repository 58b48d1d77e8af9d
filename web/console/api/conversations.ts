import type { ConversationDto, ConversationPage, ConversationStatus, MessageDto, MessagePage } from '../../../shared/conversations';
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
  note: (id: number, text: string) => http.post<MessageDto>(`/api/conversations/${id}/notes`, { text }),
  assign: (id: number, assigneeId: number | null) => http.post<ConversationDto>(`/api/conversations/${id}/assign`, { assigneeId }),
  close: (id: number) => http.post<ConversationDto>(`/api/conversations/${id}/close`),
  reopen: (id: number) => http.post<ConversationDto>(`/api/conversations/${id}/reopen`),
  retry: (messageId: number) => http.post<MessageDto>(`/api/messages/${messageId}/retry`),
};
