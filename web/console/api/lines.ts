import type { LineBody, LineDto } from '../../../shared/lines';
import { http } from './http';

export const linesApi = {
  list: () => http.get<{ items: LineDto[] }>('/api/lines'),
  create: (body: LineBody) => http.post<LineDto>('/api/lines', body),
  update: (id: number, body: Partial<LineBody>) => http.patch<LineDto>(`/api/lines/${id}`, body),
};
