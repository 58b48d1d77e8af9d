import { z } from 'zod';
import { ChannelType } from './channel.js';

export const ContactIdentityDto = z.object({ id: z.number().int(), channelType: ChannelType, externalId: z.string() });

export const ContactDto = z.object({
  id: z.number().int(),
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  identities: z.array(ContactIdentityDto),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type ContactDto = z.infer<typeof ContactDto>;

export const UpdateContactBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    email: z.email().max(320).nullable(),
    phone: z.string().trim().regex(/^\+?[0-9 ()-]{3,40}$/, 'a phone number').nullable(),
  })
  .partial()
  .strict();
export type UpdateContactBody = z.infer<typeof UpdateContactBody>;

export const LeadStatus = z.enum(['new', 'in_progress', 'converted', 'junk']);
export type LeadStatus = z.infer<typeof LeadStatus>;

export const LeadDto = z.object({
  id: z.number().int(),
  contactId: z.number().int(),
  lineId: z.number().int().nullable(),
  title: z.string(),
  status: LeadStatus,
  source: z.string(),
  responsibleId: z.number().int().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type LeadDto = z.infer<typeof LeadDto>;

export const UpdateLeadBody = z
  .object({
    title: z.string().trim().min(1).max(300),
    status: LeadStatus,
    responsibleId: z.number().int().positive().nullable(),
  })
  .partial()
  .strict();
export type UpdateLeadBody = z.infer<typeof UpdateLeadBody>;

export const LeadListQuery = z.object({
  status: LeadStatus.optional(),
  contactId: z.coerce.number().int().positive().optional(),
  cursor: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
