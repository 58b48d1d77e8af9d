import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { ConnectorContext } from '../contract.js';
import { callEnd, incomingCall, legUpdate, operatorOfClient, type CallStatusCallback, type DialResult, type RecordingCallback, type VoiceRequest } from './inbound.js';
import { isRecordingOf } from './media.js';
import type { TwilioSettings } from './settings.js';
import { dialCustomer, hangup, MAX_CLIENTS, refuse, ringOperators, voicemail } from './twiml.js';

const voicemailKey = (callSid: string) => `voicemail:${callSid}`;

/**
 * A number an operator dialled, in E.164: international as typed, or national in the channel number's country.
 *
 * @example dialable('(415) 555-0134', '+14155550100') === '+14155550134'
 */
export function dialable(raw: string, channelNumber: string): string | null {
  const country = parsePhoneNumberFromString(channelNumber)?.country;
  const parsed = parsePhoneNumberFromString(raw.trim(), country ? { defaultCountry: country } : undefined);
  return parsed?.isValid() ? parsed.number : null;
}

/**
 * The voice webhooks of one Twilio number: who an incoming call rings and when it goes to voicemail, an
 * operator's outgoing call, and the status and recording callbacks that complete the stored call.
 */
export class VoiceDesk {
  constructor(
    private readonly s: TwilioSettings,
    private readonly ctx: ConnectorContext,
    /** `<publicUrl>/hooks/twilio/<channel id>`. */
    private readonly hook: string,
  ) {}

  /** `/voice`: a customer calling the number, or an operator's browser calling out through the TwiML App. */
  async call(p: VoiceRequest): Promise<string> {
    return p.From.startsWith('client:') ? this.outgoing(p) : this.incoming(p);
  }

  /** `/dial?i=<next>`: the dial ended; unless someone answered (or the caller left), ring on or play voicemail. */
  async dialed(p: DialResult, next: number): Promise<string> {
    if (p.DialCallStatus === 'completed' || p.DialCallStatus === 'answered' || p.CallStatus !== 'in-progress') return hangup();
    return this.ring(p.CallSid, next);
  }

  /** `/status`: a dialled leg (`ParentCallSid`) or an incoming call ending. An outgoing call's own leg tells nothing new. */
  async status(p: CallStatusCallback, operatorId: number | null): Promise<void> {
    if (p.ParentCallSid) {
      const update = legUpdate(p, operatorId);
      if (update) await this.ctx.updateCall(p.ParentCallSid, update);
      return;
    }
    if (p.From.startsWith('client:')) return;
    const update = callEnd(p, (await this.ctx.state.get(voicemailKey(p.CallSid))) !== null);
    if (update) await this.ctx.updateCall(p.CallSid, update);
  }

  /** `/recording`: a recording (a voicemail) is ready; the hub streams it through `Connector.recording` from now on. */
  async recorded(p: RecordingCallback): Promise<void> {
    if (p.RecordingStatus !== 'completed') return;
    if (!isRecordingOf(p.RecordingUrl, this.s)) {
      this.ctx.logger.warn({ callSid: p.CallSid, url: p.RecordingUrl }, 'twilio recording outside the account ignored');
      return;
    }
    const leftMessage = (await this.ctx.state.get(voicemailKey(p.CallSid))) !== null;
    await this.ctx.updateCall(p.CallSid, { ...(leftMessage ? { outcome: 'voicemail' as const } : {}), recordingSource: p.RecordingUrl });
  }

  private async incoming(p: VoiceRequest): Promise<string> {
    // The caller comes first: a call the hub failed to store still rings the operators.
    await this.ctx.ingest(incomingCall(p)).catch((err) => this.ctx.logger.error({ err, callSid: p.CallSid }, 'incoming call not stored'));
    return this.ring(p.CallSid, 0);
  }

  /** Rings who may take the call now from position `from` of the line's order (ten at once, or one by one), else voicemail. */
  private async ring(callSid: string, from: number): Promise<string> {
    const targets = await this.ctx.callTargets().catch((err) => {
      this.ctx.logger.error({ err, callSid }, 'call targets unavailable');
      return null;
    });
    const batch = targets?.mode === 'simultaneous' ? MAX_CLIENTS : 1;
    const operatorIds = targets?.open ? targets.operatorIds.slice(from, from + batch) : [];
    if (!operatorIds.length) {
      await this.ctx.state.set(voicemailKey(callSid), '1');
      return voicemail({ hook: this.hook, greeting: this.s.voicemailGreeting, maxSeconds: this.s.voicemailMaxSeconds });
    }
    return ringOperators({ hook: this.hook, callSid, operatorIds, ringSeconds: this.s.ringSeconds, next: from + operatorIds.length });
  }

  private async outgoing(p: VoiceRequest): Promise<string> {
    const operatorId = operatorOfClient(p.From);
    if (operatorId === null || !(await this.ctx.mayCall(operatorId))) return refuse('You may not place calls through this line.');
    const to = dialable(p.To, this.s.phoneNumber);
    if (!to) return refuse('This is not a phone number that can be called.');
    await this.ctx.ingest({
      externalId: p.CallSid, sender: { externalId: to, phone: to }, text: '',
      call: { direction: 'out', from: this.s.phoneNumber, to, operatorId, outcome: 'ringing' },
    }).catch((err) => this.ctx.logger.error({ err, callSid: p.CallSid }, 'outgoing call not stored'));
    return dialCustomer({ hook: this.hook, callerId: this.s.phoneNumber, to, operatorId });
  }
}
