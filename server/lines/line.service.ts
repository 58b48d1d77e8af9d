import { In } from 'typeorm';
import type { LineBody, LineDto } from '../../shared/lines.js';
import { LineBody as LineSchema } from '../../shared/lines.js';
import { LineSettings } from '../../shared/routing.js';
import type { Database } from '../db/database.js';
import { AppError, notFound } from '../errors/app-error.js';
import { UserEntity } from '../users/user.entity.js';
import { LineEntity, LineMemberEntity, type Line } from './line.entity.js';
import type { EntityManager } from 'typeorm';
import type { EventLog } from '../events/event-log.js';
import type { Tx } from '../db/database.js';

export class LineService {
  constructor(private readonly db: Database, private readonly events: EventLog) {}

  async list(onlyIds?: number[]): Promise<LineDto[]> {
    const lines = await this.db.manager.find(LineEntity, { where: onlyIds ? { id: In(onlyIds) } : {}, order: { id: 'ASC' } });
    const members = await this.db.manager.find(LineMemberEntity, { order: { position: 'ASC' } });
    return lines.map((l) => toLineDto(l, members.filter((m) => m.lineId === l.id).map((m) => m.userId)));
  }

  async get(id: number): Promise<LineDto> {
    return (await this.list([id]))[0] ?? Promise.reject(notFound('Line'));
  }

  async create(input: LineBody): Promise<LineDto> {
    const body = LineSchema.parse(input);
    return this.db.write(async (tx) => {
      const line = await tx.manager.save(LineEntity, {
        name: body.name, crmCreateLead: body.crm.createLead, crmSourceName: body.crm.sourceName, createdAt: Date.now(),
        settings: await checkedSettings(tx.manager, null, body, {}),
      });
      await setMembers(tx.manager, line.id, body.memberIds);
      return this.changed(tx, line.id);
    });
  }

  async update(id: number, body: Partial<LineBody>): Promise<LineDto> {
    return this.db.write(async (tx) => {
      const { manager } = tx;
      const line = await manager.findOneBy(LineEntity, { id });
      if (!line) throw notFound('Line');
      if (body.name !== undefined) line.name = body.name;
      if (body.crm?.createLead !== undefined) line.crmCreateLead = body.crm.createLead;
      if (body.crm?.sourceName !== undefined) line.crmSourceName = body.crm.sourceName;
      line.settings = await checkedSettings(manager, id, body, line.settings);
      await manager.save(LineEntity, line);
      if (body.memberIds) await setMembers(manager, id, body.memberIds);
      return this.changed(tx, id);
    });
  }

  private async changed(tx: Tx, id: number): Promise<LineDto> {
    const line = await tx.manager.findOneByOrFail(LineEntity, { id });
    const members = await tx.manager.find(LineMemberEntity, { where: { lineId: id }, order: { position: 'ASC' } });
    const dto = toLineDto(line, members.map((m) => m.userId));
    await this.events.append(tx, 'line.updated', { line: dto }, { lineId: id, conversationId: null, assigneeId: null, prevAssigneeId: null });
    return dto;
  }

  /** Lines the user is a member of. */
  async lineIdsOf(userId: number): Promise<number[]> {
    return (await this.db.manager.find(LineMemberEntity, { where: { userId } })).map((m) => m.lineId);
  }
}

async function setMembers(manager: EntityManager, lineId: number, memberIds: number[]): Promise<void> {
  const unique = [...new Set(memberIds)];
  const found = unique.length ? await manager.countBy(UserEntity, { id: In(unique) }) : 0;
  if (found !== unique.length) throw new AppError('validation_failed', 'memberIds names a user that does not exist');
  await manager.delete(LineMemberEntity, { lineId });
  if (unique.length) await manager.insert(LineMemberEntity, unique.map((userId, position) => ({ lineId, userId, position })));
}

/** A line's routing, hours and automatic messages with every default filled in. */
export const settingsOf = (l: Pick<Line, 'settings'>): LineSettings => LineSettings.parse(l.settings ?? {});

const toLineDto = (l: Line, memberIds: number[]): LineDto => ({
  id: l.id, name: l.name, memberIds, crm: { createLead: l.crmCreateLead, sourceName: l.crmSourceName }, ...settingsOf(l),
  createdAt: new Date(l.createdAt).toISOString(),
});

async function checkedSettings(manager: EntityManager, lineId: number | null, body: Partial<LineBody>, current: Partial<LineSettings>): Promise<LineSettings> {
  const next = LineSettings.parse({ ...current, ...pick(body) });
  const fallback = next.routing.fallbackLineId;
  if (fallback !== null && (fallback === lineId || !(await manager.existsBy(LineEntity, { id: fallback })))) {
    throw new AppError('validation_failed', 'routing.fallbackLineId must name another existing line');
  }
  return next;
}

const pick = (b: Partial<LineBody>) => ({
  ...(b.routing ? { routing: b.routing } : {}), ...(b.hours ? { hours: b.hours } : {}), ...(b.messages ? { messages: b.messages } : {}),
});
