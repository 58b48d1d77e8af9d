import type { AttachmentDto } from '../../../shared/attachment';
import { request } from './http';

export const uploadsApi = {
  upload(file: File): Promise<AttachmentDto> {
    const form = new FormData();
    form.append('file', file, file.name);
    return request<AttachmentDto>('POST', '/api/uploads', { form });
  },
};
