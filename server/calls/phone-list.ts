import type { Logger } from 'pino';
import type { Connector } from '../../connectors/contract.js';
import type { PhoneDto } from '../../shared/calls.js';
import type { Viewer } from '../events/event-log.js';
import type { PhoneChannels } from './phone-channels.js';
import type { SipAccountService } from './sip-account.service.js';

/**
 * The softphones an operator may use: one per enabled telephony channel of their lines (staff: of
 * every line). Twilio phones carry a fresh access token from the running connector; SIP phones the
 * PBX's address and the operator's own extension. A channel that cannot give one now is left out.
 */
export async function phonesOf(
  viewer: Viewer,
  d: { phones: PhoneChannels; accounts: SipAccountService; connector(channelId: number): Connector | undefined; logger: Logger },
): Promise<PhoneDto[]> {
  const items: PhoneDto[] = [];
  for (const c of await d.phones.list()) {
    if (!c.enabled || (!viewer.allLines && !viewer.lineIds.includes(c.lineId))) continue;
    const base = { channelId: c.id, lineId: c.lineId, name: c.name };
    if (c.type === 'twilio') {
      const token = await d.connector(c.id)?.phoneToken?.(viewer.userId).catch((err: unknown) => {
        d.logger.warn({ err, channelId: c.id }, 'no phone token from the channel');
        return null;
      });
      if (token) items.push({ kind: 'twilio', ...base, ...token });
    } else {
      const account = await d.accounts.credentials(c.id, viewer.userId);
      if (!account) continue;
      const line = d.phones.sipLine(c);
      items.push({ kind: 'sip', ...base, wsUrl: line.wsUrl, domain: line.domain, extension: account.extension, password: account.password });
    }
  }
  return items;
}
