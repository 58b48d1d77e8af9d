import { In, Not } from 'typeorm';
import { AppError } from '../errors/app-error.js';
import { LeadEntity } from '../crm/lead.entity.js';
import { ContactIdentityEntity } from './contact.entity.js';
import type { ContactDto, UpdateContactBody } from '../../shared/contacts.js';
import type { Database } from '../db/database.js';
import { notFound } from '../errors/app-error.js';
import type { EventLog, Viewer } from '../events/event-log.js';
import { ConversationEntity } from '../conversations/conversation.entity.js';
import { canSee } from '../conversations/access.js';
import { scopeOf, toConversationDto } from '../conversations/conversation.dto.js';
import { searchSql } from '../conversations/conversation.query.js';
import { ContactEntity } from './contact.entity.js';
import { toContactDto } from './contact.dto.js';

/** How many of the newest contacts a search tests row by row before it asks the index. */
const RECENT_CONTACTS = 5000;

export class ContactService {
  constructor(private readonly db: Database, private readonly events: EventLog) {}

  /** A contact is visible to whoever may see one of its conversations. */
  private async assertVisible(viewer: Viewer, contactId: number) {
    const contact = await this.db.manager.findOneBy(ContactEntity, { id: contactId });
    if (!contact) throw notFound('Contact');
    if (viewer.allLines) return contact;
    const convs = await this.db.manager.find(ConversationEntity, { where: { contactId }, select: { id: true, lineId: true, assigneeId: true } });
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

  /**
   * Contacts whose name, e-mail or phone contains `q`, newest first, limited to those the viewer may
   * see. The newest contacts are tested row by row first: a fragment many contacts share fills the
   * page there. Only when it does not is the trigram index asked (migration 0007), whose cost grows
   * with the number of matches, which is then small. Both steps give the same page.
   */
  async search(viewer: Viewer, q: string, limit: number): Promise<ContactDto[]> {
    const search = searchSql(this.db.manager, q);
    const page = (where: string, above?: number) => {
      const qb = this.db.manager.createQueryBuilder(ContactEntity, 'c').where(where, search.params).orderBy('c.id', 'DESC').limit(limit);
      if (above !== undefined) qb.andWhere('c.id > :above', { above });
      // Correlated, so that each candidate is checked through the contact's conversations; as an IN list
      // SQLite first collects every contact of the viewer's lines.
      if (!viewer.allLines) {
        qb.andWhere('EXISTS (SELECT 1 FROM conversations cv WHERE cv.contact_id = c.id AND (cv.line_id IN (:...lines) OR cv.assignee_id = :me OR cv.id IN (SELECT cp.conversation_id FROM conversation_participants cp WHERE cp.user_id = :me)))', {
          lines: viewer.lineIds.length ? viewer.lineIds : [0], me: viewer.userId,
        });
      }
      return qb.getMany();
    };
    const [row] = (await this.db.manager.query('SELECT MAX(id) AS newest FROM contacts')) as Array<{ newest: number | string | null }>;
    const above = Number(row?.newest ?? 0) - RECENT_CONTACTS;
    let contacts = await page(search.contactScan, above);
    // Ids start at 1: with `above` below that, the first step has read every contact already.
    if (contacts.length < limit && above > 0) contacts = await page(search.contactIndexed);
    return Promise.all(contacts.map((c) => toContactDto(this.db.manager, c)));
  }

  /**
   * Makes `otherId` part of `id`: identities, conversations and leads move over, empty fields are
   * filled, the other contact is deleted. Refused when both have an open dialog on the same channel
   * (two live dialogs for one person there would split the history): close one first.
   */
  async merge(viewer: Viewer, id: number, otherId: number): Promise<ContactDto> {
    if (id === otherId) throw new AppError('conflict', 'A contact cannot be merged into itself');
    await this.assertVisible(viewer, id);
    await this.assertVisible(viewer, otherId);
    return this.db.write(async (tx) => {
      const m = tx.manager;
      const [keep, gone] = [await m.findOneByOrFail(ContactEntity, { id }), await m.findOneByOrFail(ContactEntity, { id: otherId })];
      const live = await m.find(ConversationEntity, { where: { contactId: In([id, otherId]), status: Not('closed' as const) } });
      const clash = live.find((a) => a.contactId === id && live.some((b) => b.contactId === otherId && b.channelId === a.channelId && b.threadKey === a.threadKey));
      if (clash) throw new AppError('conflict', 'Both contacts have an open dialog on the same channel; close one of them first', { conversationId: clash.id });
      await m.update(ContactIdentityEntity, { contactId: otherId }, { contactId: id });
      await m.update(ConversationEntity, { contactId: otherId }, { contactId: id });
      await m.update(LeadEntity, { contactId: otherId }, { contactId: id });
      const merged = await m.save(ContactEntity, {
        ...keep, email: keep.email ?? gone.email, phone: keep.phone ?? gone.phone,
        name: keep.name.startsWith('Visitor ') && !gone.name.startsWith('Visitor ') ? gone.name : keep.name, updatedAt: Date.now(),
      });
      await m.delete(ContactEntity, { id: otherId });
      const dto = await toContactDto(m, merged);
      const moved = await m.find(ConversationEntity, { where: { contactId: id }, order: { id: 'DESC' } });
      await this.events.append(tx, 'contact.updated', { contact: dto }, moved[0] ? scopeOf(moved[0]) : { lineId: null, conversationId: null, assigneeId: null, prevAssigneeId: null }, viewer.userId);
      for (const c of moved) await this.events.append(tx, 'conversation.updated', { conversation: await toConversationDto(m, c) }, scopeOf(c), viewer.userId);
      return dto;
    });
  }
}
