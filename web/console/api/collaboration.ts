import type { ConversationDto, ParticipantDto } from '../../../shared/conversations';
import { http } from './http';

/** Working on a dialog together: participants, silent joins, pins, spam, transcripts. */
export const collaborationApi = {
  participants: (id: number) => http.get<{ items: ParticipantDto[] }>(`/api/conversations/${id}/participants`),
  invite: (id: number, userId: number) => http.post<{ items: ParticipantDto[] }>(`/api/conversations/${id}/participants`, { userId }),
  join: (id: number) => http.post<{ items: ParticipantDto[] }>(`/api/conversations/${id}/join`),
  pins: () => http.get<{ conversationIds: number[] }>('/api/me/pins'),
  pin: (id: number) => http.put<void>(`/api/conversations/${id}/pin`),
  unpin: (id: number) => http.delete<void>(`/api/conversations/${id}/pin`),
  spam: (id: number) => http.post<ConversationDto>(`/api/conversations/${id}/spam`),
  transcript: (id: number) => http.post<{ sent: number }>(`/api/conversations/${id}/transcript`),
};
