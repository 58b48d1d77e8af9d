import type { z } from 'zod';
import type { SipAccountBody, SipAccountDto as SipAccountSchema } from '../../shared/calls.js';
import type { Database } from '../db/database.js';
import { AppError, notFound } from '../errors/app-error.js';
import { LineMemberEntity } from '../lines/line.entity.js';
import type { SecretBox } from '../secrets/secret-box.js';
import type { PhoneChannels } from './phone-channels.js';
import { SipAccountEntity, type SipAccount } from './sip-account.entity.js';

type SipAccountDto = z.infer<typeof SipAccountSchema>;

const toDto = (a: SipAccount): SipAccountDto => ({ userId: a.userId, extension: a.extension, hasPassword: a.passwordSealed !== '' });

/**
 * Operators' extensions on a SIP channel's PBX. Passwords are sealed at rest and leave the hub only
 * in the owner's own phone list (`GET /api/calls/phones`), never in an admin's answer.
 */
export class SipAccountService {
  constructor(
    private readonly db: Database,
    private readonly box: SecretBox,
    private readonly phones: PhoneChannels,
  ) {}

  async list(channelId: number): Promise<SipAccountDto[]> {
    await this.phones.sip(channelId);
    const rows = await this.db.manager.find(SipAccountEntity, { where: { channelId }, order: { userId: 'ASC' } });
    return rows.map(toDto);
  }

  /** Creates or changes a member's account; a new one needs a password, a change without one keeps it. */
  async put(channelId: number, userId: number, body: z.infer<typeof SipAccountBody>): Promise<SipAccountDto> {
    const { channel } = await this.phones.sip(channelId);
    return this.db.write(async (tx) => {
      if (!(await tx.manager.existsBy(LineMemberEntity, { lineId: channel.lineId, userId }))) {
        throw new AppError('validation_failed', `User ${userId} is not a member of this channel's line; add them to the line first`);
      }
      const existing = await tx.manager.findOne(SipAccountEntity, { where: { channelId, userId }, lock: tx.forUpdate });
      if (!existing && body.password === undefined) throw new AppError('validation_failed', 'A new SIP account needs a password');
      const account: SipAccount = {
        channelId, userId, extension: body.extension,
        passwordSealed: body.password === undefined ? existing!.passwordSealed : this.box.seal(body.password), updatedAt: Date.now(),
      };
      await tx.manager.save(SipAccountEntity, account);
      return toDto(account);
    });
  }

  async remove(channelId: number, userId: number): Promise<void> {
    await this.phones.sip(channelId);
    await this.db.write(async (tx) => {
      if (!(await tx.manager.existsBy(SipAccountEntity, { channelId, userId }))) throw notFound('SIP account');
      await tx.manager.delete(SipAccountEntity, { channelId, userId });
    });
  }

  /** The user's account with its password opened, for their own softphone; null when they have none. */
  async credentials(channelId: number, userId: number): Promise<{ extension: string; password: string } | null> {
    const a = await this.db.manager.findOneBy(SipAccountEntity, { channelId, userId });
    return a ? { extension: a.extension, password: this.box.open(a.passwordSealed) } : null;
  }

  extensionOf(channelId: number, userId: number): Promise<string | null> {
    return this.db.manager.findOneBy(SipAccountEntity, { channelId, userId }).then((a) => a?.extension ?? null);
  }
}
