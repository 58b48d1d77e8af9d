import { z } from 'zod';

/** A prepared answer, inserted in the composer by typing `/` and its shortcut. Placeholders are filled from the contact. */
export const CannedAnswerDto = z.object({
  id: z.number().int(),
  /** null: for every line. */
  lineId: z.number().int().nullable(),
  shortcut: z.string(),
  text: z.string(),
});
export type CannedAnswerDto = z.infer<typeof CannedAnswerDto>;

export const CannedAnswerBody = z.object({
  shortcut: z.string().trim().min(1).max(60).regex(/^[\p{L}\p{N}_-]+$/u, 'letters, digits, - and _ only'),
  text: z.string().trim().min(1).max(5000),
  lineId: z.number().int().positive().nullable().default(null),
});
export type CannedAnswerBody = z.input<typeof CannedAnswerBody>;

export const UpdateCannedAnswerBody = z
  .object({ shortcut: CannedAnswerBody.shape.shortcut, text: CannedAnswerBody.shape.text, lineId: z.number().int().positive().nullable() })
  .partial()
  .strict();
