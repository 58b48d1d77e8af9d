import { z } from 'zod';
import { AutoMessages, LineSettings, Routing, WorkingHours } from './routing.js';

export const LineDto = z.object({
  id: z.number().int(),
  name: z.string(),
  /** Members in queue order. */
  memberIds: z.array(z.number().int()),
  crm: z.object({ createLead: z.boolean(), sourceName: z.string() }),
  routing: Routing,
  hours: WorkingHours,
  messages: AutoMessages,
  createdAt: z.iso.datetime(),
});
export type LineDto = z.infer<typeof LineDto>;

export const LineBody = z.object({
  name: z.string().trim().min(1).max(200),
  memberIds: z.array(z.number().int().positive()).max(1000).default([]),
  crm: z
    .object({ createLead: z.boolean().default(true), sourceName: z.string().trim().max(200).default('') })
    .default({ createLead: true, sourceName: '' }),
  routing: Routing.optional(),
  hours: WorkingHours.optional(),
  messages: AutoMessages.optional(),
});
export type LineBody = z.input<typeof LineBody>;
/** Only what is sent changes (zod's `.partial()` would keep LineBody's defaults and wipe members). */
export const UpdateLineBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    memberIds: z.array(z.number().int().positive()).max(1000),
    crm: z.object({ createLead: z.boolean(), sourceName: z.string().trim().max(200) }),
    routing: Routing,
    hours: WorkingHours,
    messages: AutoMessages,
  })
  .partial()
  .strict();
export { LineSettings };
