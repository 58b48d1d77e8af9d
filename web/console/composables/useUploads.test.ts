import { describe, expect, it } from 'vitest';
import type { AttachmentDto } from '../../../shared/attachment';
import { ApiError } from '../api/http';
import { useUploads } from './useUploads';

const file = (name: string) => new File(['hello'], name, { type: 'text/plain' });

describe('useUploads', () => {
  it('uploads, exposes attachments, and reports failures with the server message', async () => {
    let n = 0;
    const uploads = useUploads(async (f) => {
      if (f.name === 'bad.txt') throw new ApiError(413, 'payload_too_large', 'The file is too large.');
      return { id: ++n, fileName: f.name, mimeType: f.type, size: f.size, url: `/api/attachments/${n}` } satisfies AttachmentDto;
    });
    const running = Promise.all([uploads.add(file('a.txt')), uploads.add(file('bad.txt'))]);
    expect(uploads.uploading.value).toBe(true);
    await running;
    expect(uploads.uploading.value).toBe(false);
    expect(uploads.attachments.value.map((a) => a.fileName)).toEqual(['a.txt']);
    const bad = uploads.items.value.find((i) => i.name === 'bad.txt');
    expect(bad?.state).toBe('error');
    expect(bad?.error).toBe('The file is too large.');
    uploads.remove(bad!.key);
    expect(uploads.items.value).toHaveLength(1);
    uploads.clear();
    expect(uploads.attachments.value).toEqual([]);
  });
});
