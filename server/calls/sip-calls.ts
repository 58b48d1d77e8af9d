import type { SipCallReport } from '../../shared/calls.js';
import type { InboundMessage } from '../../shared/inbound.js';
import type { z } from 'zod';
import type { SipCallLogged } from '../../shared/calls.js';
import { AppError } from '../errors/app-error.js';
import type { User } from '../users/user.entity.js';
import type { CallService } from './call.service.js';
import type { CallTargetsService } from './call-targets.js';
import type { PhoneChannels } from './phone-channels.js';
import { toE164 } from './phone-number.js';
import type { SipAccountService } from './sip-account.service.js';
import { sipUpdate } from './sip-report.js';

/**
 * Calls on SIP lines, as the console's softphones report them (the PBX does not talk to the hub).
 * The call's external id is `sip:<Call-ID>`; repeating a report changes nothing.
 */
export class SipCalls {
  constructor(
    private readonly calls: CallService,
    private readonly targets: CallTargetsService,
    private readonly phones: PhoneChannels,
    private readonly accounts: SipAccountService,
  ) {}

  async report(user: User, r: SipCallReport): Promise<z.infer<typeof SipCallLogged>> {
    const { channel, line } = await this.phones.sip(r.channelId);
    if (!(await this.targets.mayCall(channel.lineId, user.id))) {
      throw new AppError('forbidden', "Only members of this channel's line (and supervisors) take or place its calls");
    }
    const externalId = `sip:${r.callId}`;
    if (r.event === 'ringing') {
      const e164 = toE164(r.remote, line.defaultCountry);
      const remote = e164 ?? r.remote;
      const local = (await this.accounts.extensionOf(channel.id, user.id)) ?? line.domain;
      const message: Omit<InboundMessage, 'channelId'> = {
        externalId,
        sender: { externalId: e164 ?? `sip:${r.remote}`, ...(e164 ? { phone: e164 } : {}) },
        call: r.direction === 'in'
          ? { direction: 'in', from: remote, to: local, outcome: 'ringing' }
          : { direction: 'out', from: local, to: remote, outcome: 'ringing', operatorId: user.id },
      };
      const { result, incoming } = await this.calls.ingest(channel.id, message, r.callId);
      return { messageId: result.messageId, conversationId: result.conversationId, incoming };
    }
    const stored = await this.calls.find(channel.id, externalId);
    if (!stored) throw new AppError('not_found', `No call with SIP Call-ID ${r.callId} on this channel: report "ringing" first`);
    const update = sipUpdate(r, stored.call, user.id, Date.now());
    if (update) await this.calls.update(channel.id, externalId, update);
    return { messageId: stored.messageId, conversationId: stored.conversationId, incoming: null };
  }
}
