import type { ChannelDto, CreateChannelBody, UpdateChannelBody } from '../../../shared/channels';
import type { TemplateDto } from '../../../shared/templates';
import { http } from './http';

export const channelsApi = {
  list: () => http.get<{ items: ChannelDto[] }>('/api/channels'),
  create: (body: CreateChannelBody) => http.post<ChannelDto>('/api/channels', body),
  update: (id: number, body: UpdateChannelBody) => http.patch<ChannelDto>(`/api/channels/${id}`, body),
  templates: (id: number) => http.get<{ items: TemplateDto[] }>(`/api/channels/${id}/templates`),
  remove: (id: number) => http.delete<void>(`/api/channels/${id}`),
};
