import type { ChannelType } from '../../shared/channel.js';
import type { ConnectorDefinition } from '../../connectors/contract.js';
import { AppError } from '../errors/app-error.js';

/** The connector types this hub knows. A type without a definition cannot be created. */
export class ConnectorRegistry {
  private readonly defs = new Map<ChannelType, ConnectorDefinition<any>>();

  add(def: ConnectorDefinition<any>): this {
    this.defs.set(def.type, def);
    return this;
  }

  get(type: ChannelType): ConnectorDefinition<unknown> {
    const def = this.defs.get(type);
    if (!def) throw new AppError('validation_failed', `Channels of type ${type} are not available yet`);
    return def;
  }

  types(): ChannelType[] {
    return [...this.defs.keys()];
  }
}
