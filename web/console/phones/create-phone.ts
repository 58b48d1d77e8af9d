/**
 * Builds the softphone for one `PhoneDto`. Both implementations are imported on demand, so the Voice
 * SDK and JsSIP land in their own chunks and only operators with a phone of that kind download them.
 * The calls store reaches the phones only through this function and the {@link Softphone} interface.
 */
import type { PhoneDto } from '../../../shared/calls';
import type { Softphone } from './softphone';

export interface PhoneContext {
  /** Shown to the PBX as the caller's name (SIP). */
  displayName: string;
  /** A fresh Twilio access token for this phone's channel. */
  refreshToken: () => Promise<{ token: string; expiresAt: string }>;
}

export async function createSoftphone(phone: PhoneDto, context: PhoneContext): Promise<Softphone> {
  if (phone.kind === 'twilio') {
    const { TwilioPhone } = await import('./twilio-phone');
    return new TwilioPhone({ channelId: phone.channelId, token: phone.token, expiresAt: phone.expiresAt, refresh: context.refreshToken });
  }
  const { SipPhone } = await import('./sip-phone');
  return new SipPhone({
    channelId: phone.channelId,
    wsUrl: phone.wsUrl,
    domain: phone.domain,
    extension: phone.extension,
    password: phone.password,
    displayName: context.displayName,
  });
}
