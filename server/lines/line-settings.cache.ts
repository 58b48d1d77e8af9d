import type { LineSettings } from '../../shared/routing.js';
import type { Database } from '../db/database.js';
import { LineEntity } from './line.entity.js';
import { settingsOf } from './line.service.js';

/**
 * Parsed line settings for the per-message paths (automation, routing), so that a line without an
 * automatic message does not cost a query, a parse or a write per message. Dropped on `line.updated`.
 */
export class LineSettingsCache {
  private readonly byLine = new Map<number, Promise<LineSettings | null>>();

  constructor(private readonly db: Database) {}

  get(lineId: number): Promise<LineSettings | null> {
    let hit = this.byLine.get(lineId);
    if (!hit) {
      hit = this.db.manager.findOneBy(LineEntity, { id: lineId }).then((l) => (l ? settingsOf(l) : null));
      hit.catch(() => this.byLine.delete(lineId));
      this.byLine.set(lineId, hit);
    }
    return hit;
  }

  forget(lineId: number): void {
    this.byLine.delete(lineId);
  }
}
