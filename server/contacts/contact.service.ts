import { In } from 'typeorm';
import type { ContactDto, UpdateContactBody } from '../../shared/contacts.js';
import type { Database } from '../db/database.js';
import { notFound } from '../errors/app-error.js';
import type { EventLog, Viewer } from '../events/event-log.js';
import { ConversationEntity } from '../conversations/conversation.entity.js';
import { canSee } from '../conversations/access.js';
import { scopeOf } from '../conversations/conversation.dto.js';
import { ContactEntity } from './contact.entity.js';
import { toContactDto } from './contact.dto.js';

export class ContactService {
  constructor(private readonly db: Database, private readonly events: EventLog) {}

  /** A contact is visible to whoever may see one of its conversations. */
  private async assertVisible(viewer: Viewer, contactId: number) {
    const contact = await this.db.manager.findOneBy(ContactEntity, { id: contactId });
    if (!contact) throw notFound('Contact');
    if (viewer.allLines) return contact;
    const convs = await this.db.manager.find(ConversationEntity, { where: { contactId }, select: { lineId: true, assigneeId: true } });
    if (!convs.some((c) => canSee(viewer, c))) throw notFound('Contact');
    return contact;
  }

  async get(viewer: Viewer, id: number): Promise<ContactDto> {
    return toContactDto(this.db.manager, await this.assertVisible(viewer, id));
  }

  async update(viewer: Viewer, id: number, body: UpdateContactBody): Promise<ContactDto> {
    await this.assertVisible(viewer, id);
    return this.db.write(async (tx) => {
      const contact = await tx.manager.findOneByOrFail(ContactEntity, { id });
      const saved = await tx.manager.save(ContactEntity, { ...contact, ...body, email: body.email === undefined ? contact.email : body.email?.toLowerCase() ?? null, updatedAt: Date.now() });
      const dto = await toContactDto(tx.manager, saved);
      const lines = await tx.manager.find(ConversationEntity, { where: { contactId: id }, order: { id: 'DESC' }, take: 1 });
      await this.events.append(tx, 'contact.updated', { contact: dto }, lines[0] ? scopeOf(lines[0]) : { lineId: null, conversationId: null, assigneeId: null, prevAssigneeId: null }, viewer.userId);
      return dto;
    });
  }

  /** Contacts whose name, e-mail or phone contains `q`, limited to those the viewer may see. */
  async search(viewer: Viewer, q: string, limit: number): Promise<ContactDto[]> {
    const like = `%${q.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    const qb = this.db.manager.createQueryBuilder(ContactEntity, 'c')
      .where("(LOWER(c.name) LIKE :like ESCAPE '\\' OR LOWER(c.email) LIKE :like ESCAPE '\\' OR c.phone LIKE :like ESCAPE '\\')", { like })
      .orderBy('c.id', 'DESC').limit(limit);
    if (!viewer.allLines) {
      qb.andWhere('c.id IN (SELECT cv.contact_id FROM conversations cv WHERE cv.line_id IN (:...lines) OR cv.assignee_id = :me)', {
        lines: viewer.lineIds.length ? viewer.lineIds : [0], me: viewer.userId,
      });
    }
    const contacts = await qb.getMany();
    return Promise.all(contacts.map((c) => toContactDto(this.db.manager, c)));
  }

  async byIds(ids: number[]) {
    return this.db.manager.find(ContactEntity, { where: { id: In(ids) } });
  }
}
