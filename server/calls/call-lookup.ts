import { In } from 'typeorm';
import type { CallLookupDto, DialDto } from '../../shared/calls.js';
import type { Channel } from '../channels/channel.entity.js';
import { ContactEntity, ContactIdentityEntity } from '../contacts/contact.entity.js';
import { ConversationEntity } from '../conversations/conversation.entity.js';
import type { Database } from '../db/database.js';
import { AppError, notFound } from '../errors/app-error.js';
import type { Viewer } from '../events/event-log.js';
import { readSql } from '../routing/candidates.js';
import type { CallTargetsService } from './call-targets.js';
import { contactCard, contactVisible, leadVisibleTo } from './contact-card.js';
import type { PhoneChannels } from './phone-channels.js';
import { PHONE_CHANNELS, SQL_DIGITS, toE164 } from './phone-number.js';
import type { SipAccountService } from './sip-account.service.js';

/** `sip:alice` for `alice`, `sip:alice@pbx.example` or `sips:alice`: how SIP callers without a number are known. */
const sipUser = (raw: string) => `sip:${raw.trim().replace(/^sips?:/i, '').replace(/[@;].*$/, '')}`;

export interface LookupDeps {
  db: Database;
  phones: PhoneChannels;
  targets: CallTargetsService;
  accounts: SipAccountService;
  /** Whether the channel's connector runs now. */
  running(channelId: number): boolean;
}

/** Caller ID into the CRM, and click-to-call out of it. */
export class CallLookup {
  constructor(private readonly d: LookupDeps) {}

  /**
   * The contact a number belongs to (an identity on a phone channel, or the number on the contact,
   * however it was typed; a SIP user by their SIP identity), among those the viewer may see;
   * otherwise a card without a contact.
   */
  async lookup(viewer: Viewer, number: string): Promise<CallLookupDto> {
    const e164 = toE164(number);
    // Not a number: a SIP user, known by the identity a SIP call from them left (`sip:alice`).
    const rows = e164
      ? await readSql(this.d.db)(
        `SELECT contact_id AS id FROM contact_identities WHERE external_id = ? AND channel_type IN (${PHONE_CHANNELS.map(() => '?').join(', ')})
         UNION SELECT id FROM contacts WHERE phone = ? OR ${SQL_DIGITS('phone')} = ?
         ORDER BY id`,
        [e164, ...PHONE_CHANNELS, e164, e164],
      )
      : await readSql(this.d.db)("SELECT contact_id AS id FROM contact_identities WHERE channel_type = 'sip' AND external_id = ? ORDER BY contact_id", [sipUser(number)]);
    for (const { id } of rows) {
      if (!(await contactVisible(this.d.db.manager, viewer, Number(id)))) continue;
      return { e164, ...(await contactCard(this.d.db.manager, Number(id), leadVisibleTo(viewer))) };
    }
    return { e164, contact: null, lead: null };
  }

  /**
   * Where and whom to call for a contact: the given telephony channel, or the first one the operator
   * has a phone on (the line of the contact's latest dialog first), and the contact's number in E.164.
   */
  async dial(viewer: Viewer, contactId: number, channelId?: number): Promise<DialDto> {
    const m = this.d.db.manager;
    if (!(await contactVisible(m, viewer, contactId))) throw notFound('Contact');
    const contact = await m.findOneByOrFail(ContactEntity, { id: contactId });
    const identities = await m.find(ContactIdentityEntity, { where: { contactId, channelType: In([...PHONE_CHANNELS]) }, order: { id: 'ASC' } });
    const numbers = [contact.phone, ...identities.map((i) => i.externalId)].filter((n): n is string => !!n);
    if (!numbers.length) throw new AppError('validation_failed', `${contact.name} has no phone number: add one to the contact to call them`);
    const channel = channelId === undefined ? await this.defaultChannel(viewer, contactId) : await this.givenChannel(viewer, channelId);
    const country = this.d.phones.defaultCountry(channel);
    const to = numbers.map((n) => toE164(n, country)).find((n) => n !== null);
    if (!to) throw new AppError('validation_failed', `${contact.name}'s number ${numbers[0]} is not a phone number that can be called; correct it on the contact`);
    return { channelId: channel.id, kind: channel.type as DialDto['kind'], to };
  }

  private async givenChannel(viewer: Viewer, channelId: number): Promise<Channel> {
    const channel = (await this.d.phones.list()).find((c) => c.id === channelId);
    if (!channel) throw new AppError('not_found', `Channel ${channelId} is not a Twilio or SIP channel`);
    if (!(await this.d.targets.mayCall(channel.lineId, viewer.userId))) throw new AppError('forbidden', "Only members of this channel's line (and supervisors) call through it");
    if (!channel.enabled || !this.d.running(channel.id)) throw new AppError('conflict', `${channel.name} is not running; an admin can check it under Channels`);
    if (channel.type === 'sip' && !(await this.d.accounts.extensionOf(channel.id, viewer.userId))) {
      throw new AppError('conflict', `You have no extension on ${channel.name}; ask an admin to add one`);
    }
    return channel;
  }

  private async defaultChannel(viewer: Viewer, contactId: number): Promise<Channel> {
    const latest = await this.d.db.manager.findOne(ConversationEntity, { where: { contactId }, order: { id: 'DESC' }, select: { id: true, lineId: true } });
    const usable: Channel[] = [];
    for (const c of await this.d.phones.list()) {
      if (!c.enabled || !this.d.running(c.id) || (!viewer.allLines && !viewer.lineIds.includes(c.lineId))) continue;
      if (c.type === 'sip' && !(await this.d.accounts.extensionOf(c.id, viewer.userId))) continue;
      usable.push(c);
    }
    const pick = usable.find((c) => c.lineId === latest?.lineId) ?? usable[0];
    if (!pick) throw new AppError('not_found', 'None of your lines has a running Twilio or SIP channel you have a phone on');
    return pick;
  }
}
