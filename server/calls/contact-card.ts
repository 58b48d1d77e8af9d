import { In, type EntityManager } from 'typeorm';
import type { ContactDto, LeadDto } from '../../shared/contacts.js';
import { toContactDto } from '../contacts/contact.dto.js';
import { ContactEntity } from '../contacts/contact.entity.js';
import { canSee } from '../conversations/access.js';
import { ConversationEntity } from '../conversations/conversation.entity.js';
import { LeadEntity, type Lead } from '../crm/lead.entity.js';
import { toLeadDto } from '../crm/lead.service.js';
import type { Viewer } from '../events/event-log.js';

/** The caller's CRM card: the contact and their newest open lead that `leadShown` lets through. */
export async function contactCard(m: EntityManager, contactId: number, leadShown: (l: Lead) => boolean): Promise<{ contact: ContactDto; lead: LeadDto | null }> {
  const contact = await m.findOneByOrFail(ContactEntity, { id: contactId });
  const leads = await m.find(LeadEntity, { where: { contactId, status: In(['new', 'in_progress']) }, order: { id: 'DESC' } });
  const lead = leads.find(leadShown);
  return { contact: await toContactDto(m, contact), lead: lead ? toLeadDto(lead) : null };
}

/** As `GET /api/contacts/:id` decides: staff see every contact, an operator those of dialogs they can see. */
export async function contactVisible(m: EntityManager, viewer: Viewer, contactId: number): Promise<boolean> {
  if (viewer.allLines) return m.existsBy(ContactEntity, { id: contactId });
  const convs = await m.find(ConversationEntity, { where: { contactId }, select: { id: true, lineId: true, assigneeId: true } });
  return convs.some((c) => canSee(viewer, c));
}

/** As the leads API decides: staff, the responsible, members of the lead's line. */
export const leadVisibleTo = (viewer: Viewer) => (l: Lead) =>
  viewer.allLines || l.responsibleId === viewer.userId || (l.lineId !== null && viewer.lineIds.includes(l.lineId));
