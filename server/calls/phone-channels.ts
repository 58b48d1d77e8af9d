import { z } from 'zod';
import type { Channel } from '../channels/channel.entity.js';
import type { ChannelService } from '../channels/channel.service.js';
import type { ConnectorRegistry } from '../channels/connector-registry.js';
import { AppError } from '../errors/app-error.js';

/** What the hub reads of a SIP channel's settings (the connector's own schema validates them on save). */
const SipLine = z.object({ wsUrl: z.string(), domain: z.string(), defaultCountry: z.string().optional() });
export type SipLine = z.infer<typeof SipLine>;

export const isPhoneChannel = (c: Pick<Channel, 'type'>): c is Channel & { type: 'twilio' | 'sip' } => c.type === 'twilio' || c.type === 'sip';

/** The telephony channels (Twilio, SIP) and what the hub needs to know of them. */
export class PhoneChannels {
  constructor(
    private readonly channels: ChannelService,
    private readonly registry: ConnectorRegistry,
  ) {}

  list(): Promise<Channel[]> {
    return this.channels.list().then((all) => all.filter(isPhoneChannel));
  }

  /** A channel that must be SIP: 404 when there is none, 400 when it is another kind. */
  async sip(channelId: number): Promise<{ channel: Channel; line: SipLine }> {
    const channel = await this.channels.get(channelId);
    if (channel.type !== 'sip') throw new AppError('validation_failed', `Channel ${channelId} is a ${channel.type} channel, not a SIP line`);
    return { channel, line: this.sipLine(channel) };
  }

  sipLine(channel: Channel): SipLine {
    return SipLine.parse(this.registry.get(channel.type).settings.parse(this.channels.settingsOf(channel)));
  }

  /** The country national numbers on this channel belong to (SIP channels may name one). */
  defaultCountry(channel: Channel): string | null {
    return channel.type === 'sip' ? (this.sipLine(channel).defaultCountry ?? null) : null;
  }
}
