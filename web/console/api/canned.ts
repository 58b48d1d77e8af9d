import type { CannedAnswerBody, CannedAnswerDto } from '../../../shared/canned';
import { http } from './http';

export const cannedApi = {
  list: () => http.get<{ items: CannedAnswerDto[] }>('/api/canned-answers'),
  create: (body: CannedAnswerBody) => http.post<CannedAnswerDto>('/api/canned-answers', body),
  update: (id: number, body: Partial<CannedAnswerBody>) => http.patch<CannedAnswerDto>(`/api/canned-answers/${id}`, body),
  remove: (id: number) => http.delete<void>(`/api/canned-answers/${id}`),
};
