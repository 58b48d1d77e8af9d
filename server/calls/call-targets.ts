import type { CallTargets } from '../../shared/calls.js';
import type { Database } from '../db/database.js';
import type { LineSettingsCache } from '../lines/line-settings.cache.js';
import { LineMemberEntity } from '../lines/line.entity.js';
import { lineCandidates, readSql } from '../routing/candidates.js';
import { ringOrder } from '../routing/distribute.js';
import { isOpen } from '../routing/working-hours.js';
import { UserEntity } from '../users/user.entity.js';

/** Who a call on a line reaches and who may place one: the line's hours, routing and membership decide. */
export class CallTargetsService {
  constructor(
    private readonly db: Database,
    private readonly lines: LineSettingsCache,
    private readonly clock: () => number,
  ) {}

  /**
   * Open = within the line's working hours. Members who may take a dialog now (online when the line
   * asks for it, under their capacity), all at once for a line that offers dialogs to everyone, else
   * in the order distribution would hand them out.
   */
  async targets(lineId: number): Promise<CallTargets> {
    const settings = await this.lines.get(lineId);
    if (!settings) return { open: false, mode: 'sequential', operatorIds: [] };
    const candidates = await lineCandidates(readSql(this.db), lineId, settings);
    const { mode, userIds } = ringOrder(settings.routing, candidates);
    return { open: isOpen(settings.hours, this.clock()), mode, operatorIds: userIds };
  }

  /** A member of the line, or a supervisor or admin; a deleted user never. */
  async mayCall(lineId: number, userId: number): Promise<boolean> {
    const user = await this.db.manager.findOne(UserEntity, { where: { id: userId }, select: { id: true, role: true } });
    if (!user) return false;
    return user.role !== 'operator' || this.db.manager.existsBy(LineMemberEntity, { lineId, userId });
  }
}
