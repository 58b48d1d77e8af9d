import { z } from 'zod';
import { Capabilities, ChannelStatus, ChannelType } from './channel.js';

export const ChannelDto = z.object({
  id: z.number().int(),
  type: ChannelType,
  name: z.string(),
  lineId: z.number().int(),
  enabled: z.boolean(),
  status: ChannelStatus,
  statusReason: z.string().nullable(),
  /** Settings with every secret replaced by `"********"`. */
  settings: z.record(z.string(), z.unknown()),
  /** Public key used by embeds (the site chat's `data-key`); null for channels that have none. */
  publicKey: z.string().nullable(),
  capabilities: Capabilities,
  createdAt: z.iso.datetime(),
});
export type ChannelDto = z.infer<typeof ChannelDto>;

export const CreateChannelBody = z.object({
  type: ChannelType,
  name: z.string().trim().min(1).max(200),
  lineId: z.number().int().positive(),
  enabled: z.boolean().default(true),
  /** Validated against the connector's own settings schema. */
  settings: z.record(z.string(), z.unknown()).default({}),
});
export type CreateChannelBody = z.input<typeof CreateChannelBody>;

export const UpdateChannelBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    lineId: z.number().int().positive(),
    enabled: z.boolean(),
    /** Merged over the stored settings; a secret sent back as `"********"` keeps its stored value. */
    settings: z.record(z.string(), z.unknown()),
  })
  .partial()
  .strict();
export type UpdateChannelBody = z.infer<typeof UpdateChannelBody>;

export const SECRET_MASK = '********';

/** `POST /api/channels/test`: try settings before saving; `channelId` fills masked secrets from a saved channel. */
export const TestChannelBody = z.object({
  type: ChannelType,
  settings: z.record(z.string(), z.unknown()).default({}),
  channelId: z.number().int().positive().optional(),
});
export const TestChannelResult = z.object({ ok: z.boolean(), message: z.string() });
export type TestChannelResult = z.infer<typeof TestChannelResult>;
