import type { ConnectorContext } from '../../connectors/contract.js';
import type { Database } from '../db/database.js';
import type { SecretBox } from '../secrets/secret-box.js';
import { ConnectorStateEntity } from './connector-state.entity.js';

/** Sealed values share the table with plain ones under their own prefix, so the two never collide. */
const SEALED = 'sealed:';

/** A channel's durable state, plain (`state`) and sealed with the hub secret (`secrets`). */
export function connectorState(db: Database, box: SecretBox, channelId: number): Pick<ConnectorContext, 'state' | 'secrets'> {
  const get = async (key: string) => (await db.manager.findOneBy(ConnectorStateEntity, { channelId, key }))?.value ?? null;
  const set = (key: string, value: string) =>
    db.write((tx) => tx.manager.upsert(ConnectorStateEntity, { channelId, key, value, updatedAt: Date.now() }, ['channelId', 'key'])).then(() => undefined);
  return {
    state: { get, set },
    secrets: {
      get: async (key) => {
        const sealed = await get(SEALED + key);
        return sealed === null ? null : box.openBytes(sealed);
      },
      set: async (key, value) => {
        if (value) return set(SEALED + key, box.seal(value));
        await db.write((tx) => tx.manager.delete(ConnectorStateEntity, { channelId, key: SEALED + key }));
      },
    },
  };
}
