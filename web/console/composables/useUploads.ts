/** Files being attached in the composer: validated against the channel, uploaded at once. */
import { computed, ref } from 'vue';
import type { AttachmentDto } from '../../../shared/attachment';
import { uploadsApi } from '../api/uploads';
import { errorMessage } from './load-state';

export interface UploadItem {
  key: number;
  name: string;
  size: number;
  state: 'uploading' | 'done' | 'error';
  error: string | null;
  attachment: AttachmentDto | null;
  /** Object URL for an image preview, revoked on removal. */
  preview: string | null;
}

let counter = 0;

export function useUploads(upload: (file: File) => Promise<AttachmentDto> = uploadsApi.upload) {
  const items = ref<UploadItem[]>([]);
  const uploading = computed(() => items.value.some((i) => i.state === 'uploading'));
  const attachments = computed(() => items.value.flatMap((i) => (i.attachment ? [i.attachment] : [])));

  async function add(file: File): Promise<void> {
    const preview = file.type.startsWith('image/') && typeof URL.createObjectURL === 'function' ? URL.createObjectURL(file) : null;
    items.value.push({ key: ++counter, name: file.name || 'file', size: file.size, state: 'uploading', error: null, attachment: null, preview });
    const item = items.value.at(-1) as UploadItem;
    try {
      item.attachment = await upload(file);
      item.state = 'done';
    } catch (cause) {
      item.state = 'error';
      item.error = errorMessage(cause);
    }
  }

  function remove(key: number): void {
    const item = items.value.find((i) => i.key === key);
    if (item?.preview) URL.revokeObjectURL(item.preview);
    items.value = items.value.filter((i) => i.key !== key);
  }

  function clear(): void {
    for (const i of items.value) if (i.preview) URL.revokeObjectURL(i.preview);
    items.value = [];
  }

  return { items, uploading, attachments, add, remove, clear };
}
