import { Brackets, In } from 'typeorm';
import type { LeadDto, LeadStatus, UpdateLeadBody } from '../../shared/contacts.js';
import type { Contact } from '../contacts/contact.entity.js';
import type { Database, Tx } from '../db/database.js';
import { AppError, notFound } from '../errors/app-error.js';
import type { EventScope } from '../events/event-bus.js';
import type { EventLog, Viewer } from '../events/event-log.js';
import { LineEntity } from '../lines/line.entity.js';
import { UserEntity } from '../users/user.entity.js';
import { LeadEntity, type Lead } from './lead.entity.js';

const OPEN: LeadStatus[] = ['new', 'in_progress'];

export const toLeadDto = (l: Lead): LeadDto => ({
  id: l.id, contactId: l.contactId, lineId: l.lineId, title: l.title, status: l.status, source: l.source, responsibleId: l.responsibleId,
  createdAt: new Date(l.createdAt).toISOString(), updatedAt: new Date(l.updatedAt).toISOString(),
});

const leadScope = (l: Lead): EventScope => ({ lineId: l.lineId, conversationId: null, assigneeId: l.responsibleId, prevAssigneeId: null });

export class LeadService {
  constructor(private readonly db: Database, private readonly events: EventLog) {}

  /** Per the line's CRM policy: a new lead when the contact has no open one. Runs inside ingest's transaction. */
  async createForInbound(tx: Tx, a: { contact: Contact; lineId: number; channelName: string; source?: string; conversationScope: EventScope }): Promise<void> {
    const line = await tx.manager.findOneBy(LineEntity, { id: a.lineId });
    if (!line?.crmCreateLead) return;
    if (await tx.manager.existsBy(LeadEntity, { contactId: a.contact.id, status: In(OPEN) })) return;
    const now = Date.now();
    const source = (a.source || line.crmSourceName || a.channelName).slice(0, 200);
    const lead = await tx.manager.save(LeadEntity, {
      contactId: a.contact.id, lineId: line.id, title: `${a.contact.name} — ${source}`, status: 'new' as const, source, responsibleId: null,
      createdAt: now, updatedAt: now,
    });
    await this.events.append(tx, 'lead.created', { lead: toLeadDto(lead) }, a.conversationScope);
  }

  private visible(viewer: Viewer, l: Lead): boolean {
    return viewer.allLines || l.responsibleId === viewer.userId || (l.lineId !== null && viewer.lineIds.includes(l.lineId));
  }

  async list(viewer: Viewer, f: { status?: LeadStatus; contactId?: number; cursor?: number; limit: number }) {
    const qb = this.db.manager.createQueryBuilder(LeadEntity, 'l').orderBy('l.id', 'DESC').limit(f.limit + 1);
    if (f.status) qb.andWhere('l.status = :status', { status: f.status });
    if (f.contactId) qb.andWhere('l.contact_id = :contactId', { contactId: f.contactId });
    if (f.cursor) qb.andWhere('l.id < :cursor', { cursor: f.cursor });
    if (!viewer.allLines) {
      qb.andWhere(new Brackets((w) => {
        w.where('l.responsible_id = :me', { me: viewer.userId });
        if (viewer.lineIds.length) w.orWhere('l.line_id IN (:...lines)', { lines: viewer.lineIds });
      }));
    }
    const rows = await qb.getMany();
    const page = rows.slice(0, f.limit);
    return { items: page.map(toLeadDto), nextCursor: rows.length > f.limit ? String(page[page.length - 1]!.id) : null };
  }

  async get(viewer: Viewer, id: number): Promise<LeadDto> {
    const lead = await this.db.manager.findOneBy(LeadEntity, { id });
    if (!lead || !this.visible(viewer, lead)) throw notFound('Lead');
    return toLeadDto(lead);
  }

  async update(viewer: Viewer, id: number, body: UpdateLeadBody): Promise<LeadDto> {
    return this.db.write(async (tx) => {
      const lead = await tx.manager.findOneBy(LeadEntity, { id });
      if (!lead || !this.visible(viewer, lead)) throw notFound('Lead');
      if (body.responsibleId && !(await tx.manager.existsBy(UserEntity, { id: body.responsibleId }))) {
        throw new AppError('validation_failed', 'responsibleId names a user that does not exist');
      }
      const saved = await tx.manager.save(LeadEntity, { ...lead, ...body, updatedAt: Date.now() });
      await this.events.append(tx, 'lead.updated', { lead: toLeadDto(saved) }, { ...leadScope(saved), prevAssigneeId: lead.responsibleId }, viewer.userId);
      return toLeadDto(saved);
    });
  }
}
