import type { ChannelType } from '../../shared/channel.js';
import type { Database } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { ChannelEntity } from './channel.entity.js';

export interface ChannelRef {
  id: number;
  type: ChannelType;
  name: string;
  lineId: number;
}

/** Hot-path lookups of a channel's line and type, cached until the channel changes. */
export class ChannelDirectory {
  private readonly cache = new Map<number, ChannelRef>();

  constructor(private readonly db: Database) {}

  async get(id: number): Promise<ChannelRef> {
    const hit = this.cache.get(id);
    if (hit) return hit;
    const c = await this.db.manager.findOneBy(ChannelEntity, { id });
    if (!c) throw new AppError('not_found', `Channel ${id} not found`);
    const ref = { id: c.id, type: c.type, name: c.name, lineId: c.lineId };
    this.cache.set(id, ref);
    return ref;
  }

  forget(id: number): void {
    this.cache.delete(id);
  }
}
