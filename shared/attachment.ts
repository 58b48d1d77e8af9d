import { z } from 'zod';

export const AttachmentDto = z.object({
  id: z.number().int(),
  fileName: z.string(),
  mimeType: z.string(),
  size: z.number().int().nonnegative(),
  /** Path to download it with the caller's credentials. */
  url: z.string(),
});
export type AttachmentDto = z.infer<typeof AttachmentDto>;
