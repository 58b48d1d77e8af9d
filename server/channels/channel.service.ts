import { randomBytes } from 'node:crypto';
import { SECRET_MASK, type ChannelDto, type CreateChannelBody, type UpdateChannelBody } from '../../shared/channels.js';
import { CreateChannelBody as CreateSchema } from '../../shared/channels.js';
import type { Database } from '../db/database.js';
import { AppError, notFound } from '../errors/app-error.js';
import { LineEntity } from '../lines/line.entity.js';
import type { SecretBox } from '../secrets/secret-box.js';
import { ConversationEntity } from '../conversations/conversation.entity.js';
import { ChannelEntity, type Channel } from './channel.entity.js';
import type { ConnectorRegistry } from './connector-registry.js';
import type { ConnectorDefinition } from '../../connectors/contract.js';
import type { TemplateDto } from '../../shared/templates.js';

/**
 * Channel records: settings validated by the connector's own schema and sealed at rest; secrets
 * never leave in an answer. Starting and stopping the connectors is the connector host's job.
 */
export class ChannelService {
  constructor(
    private readonly db: Database,
    private readonly registry: ConnectorRegistry,
    private readonly box: SecretBox,
    private readonly onChange: (channelId: number) => Promise<void>,
  ) {}

  settingsOf(c: Channel): unknown {
    return JSON.parse(this.box.open(c.settingsSealed));
  }

  toDto(c: Channel, withSettings: boolean): ChannelDto {
    const def = this.registry.get(c.type);
    const settings = def.settings.parse(this.settingsOf(c));
    const shown: Record<string, unknown> = withSettings ? { ...(settings as object) } : {};
    for (const k of def.secretFields) if (k in shown && shown[k]) shown[k] = SECRET_MASK;
    return {
      id: c.id, type: c.type, name: c.name, lineId: c.lineId, enabled: c.enabled, status: c.status, statusReason: c.statusReason,
      settings: shown, publicKey: c.publicKey, capabilities: def.capabilities(settings), createdAt: new Date(c.createdAt).toISOString(),
    };
  }

  list(): Promise<Channel[]> {
    return this.db.manager.find(ChannelEntity, { order: { id: 'ASC' } });
  }

  async get(id: number): Promise<Channel> {
    return (await this.db.manager.findOneBy(ChannelEntity, { id })) ?? Promise.reject(notFound('Channel'));
  }

  async create(input: CreateChannelBody): Promise<Channel> {
    const body = CreateSchema.parse(input);
    const def = this.registry.get(body.type);
    const settings = parseSettings(def.settings, body.settings);
    await checkOnSave(def, settings);
    const channel = await this.db.write(async ({ manager }) => {
      if (!(await manager.existsBy(LineEntity, { id: body.lineId }))) throw new AppError('validation_failed', `Line ${body.lineId} does not exist`);
      return manager.save(ChannelEntity, {
        type: body.type, name: body.name, lineId: body.lineId, enabled: body.enabled, settingsSealed: this.box.seal(JSON.stringify(settings)),
        publicKey: def.usesPublicKey ? randomBytes(18).toString('base64url') : null, status: 'stopped' as const, statusReason: null,
        createdAt: Date.now(),
      });
    });
    await this.onChange(channel.id);
    return this.get(channel.id);
  }

  async update(id: number, body: UpdateChannelBody): Promise<Channel> {
    await this.db.write(async ({ manager }) => {
      const c = await manager.findOneBy(ChannelEntity, { id });
      if (!c) throw notFound('Channel');
      const def = this.registry.get(c.type);
      if (body.lineId !== undefined && !(await manager.existsBy(LineEntity, { id: body.lineId }))) {
        throw new AppError('validation_failed', `Line ${body.lineId} does not exist`);
      }
      if (body.settings) {
        const merged: Record<string, unknown> = { ...(this.settingsOf(c) as object), ...body.settings };
        const stored = this.settingsOf(c) as Record<string, unknown>;
        // A masked secret sent back unchanged keeps the stored value.
        for (const k of def.secretFields) if (merged[k] === SECRET_MASK) merged[k] = stored[k];
        const settings = parseSettings(def.settings, merged);
        await checkOnSave(def, settings);
        c.settingsSealed = this.box.seal(JSON.stringify(settings));
      }
      Object.assign(c, { name: body.name ?? c.name, lineId: body.lineId ?? c.lineId, enabled: body.enabled ?? c.enabled });
      await manager.save(ChannelEntity, c);
    });
    await this.onChange(id);
    return this.get(id);
  }

  async remove(id: number): Promise<void> {
    await this.db.write(async ({ manager }) => {
      if (!(await manager.existsBy(ChannelEntity, { id }))) throw notFound('Channel');
      if (await manager.existsBy(ConversationEntity, { channelId: id })) {
        throw new AppError('conflict', 'This channel has conversations; disable it instead of deleting it');
      }
      await manager.delete(ChannelEntity, { id });
    });
    await this.onChange(id);
  }

  /** Runs the connector's own check on settings that are not saved yet. */
  async test(type: Channel['type'], raw: Record<string, unknown>, channelId?: number): Promise<{ ok: boolean; message: string }> {
    const def = this.registry.get(type);
    const merged = { ...raw };
    if (channelId) {
      const stored = this.settingsOf(await this.get(channelId)) as Record<string, unknown>;
      for (const k of def.secretFields) if (merged[k] === SECRET_MASK || merged[k] === undefined) merged[k] = stored[k];
    }
    const settings = parseSettings(def.settings, merged);
    if (!def.testConnection) return { ok: true, message: 'The settings are valid; this channel has nothing to connect to' };
    const r = await def.testConnection(settings);
    return r.ok ? { ok: true, message: r.details ?? 'Connected' } : { ok: false, message: r.reason };
  }

  /** The provider's approved templates for this channel; empty for channels without any. */
  async templates(id: number): Promise<TemplateDto[]> {
    const c = await this.get(id);
    const def = this.registry.get(c.type);
    if (!def.templates) return [];
    try {
      return await def.templates(def.settings.parse(this.settingsOf(c)));
    } catch (err) {
      throw new AppError('unavailable', `Could not load the templates: ${(err as Error).message}`);
    }
  }

  async setStatus(id: number, status: Channel['status'], reason: string | null): Promise<void> {
    await this.db.write(({ manager }) => manager.update(ChannelEntity, { id }, { status, statusReason: reason?.slice(0, 500) ?? null }));
  }
}

function parseSettings<S>(schema: { safeParse(v: unknown): { success: true; data: S } | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } } }, raw: unknown): S {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  throw new AppError('validation_failed', `Invalid channel settings: ${r.error.issues.map((i) => `${i.path.map(String).join('.')} ${i.message}`).join('; ')}`, {
    issues: r.error.issues.map((i) => ({ path: ['settings', ...i.path.map(String)], message: i.message })),
  });
}

async function checkOnSave<S>(def: ConnectorDefinition<S>, settings: S): Promise<void> {
  if (!def.checkOnSave || !def.testConnection) return;
  const r = await def.testConnection(settings);
  if (!r.ok) throw new AppError('validation_failed', r.reason, { issues: [{ path: ['settings'], message: r.reason }] });
}
