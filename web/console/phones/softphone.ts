/**
 * What the console needs of a browser phone, whatever carries the call: Twilio's Voice SDK or a SIP
 * user agent registered to the company's PBX. The calls store drives both through this and nothing else.
 */

export type PhoneStatus = 'registering' | 'ready' | 'error' | 'stopped';

/** Why a call ended before anyone answered it (as `SipCallReport.reason`). */
export type EndReason = 'cancelled' | 'declined' | 'elsewhere' | 'busy' | 'no_answer' | 'error';

export interface PhoneCallEvents {
  /** Media is up: answered here (incoming) or by the other side (outgoing). */
  accepted: () => void;
  /** Over. `reason` only when it ended before it was accepted. */
  ended: (info: { answered: boolean; reason?: EndReason }) => void;
}

export interface PhoneCall {
  /** The provider's id of the call: Twilio's parent CallSid or the SIP Call-ID; `IncomingCallDto.callId`. */
  readonly callId: string;
  readonly direction: 'in' | 'out';
  /** The other party as the phone sees it (a number or SIP user). */
  readonly remote: string;
  answer(): void;
  /** Rejects an incoming call that was not answered. */
  decline(): void;
  hangup(): void;
  hold(on: boolean): void;
  /**
   * False when `hold` cannot work on this phone (the Twilio Voice SDK has no hold), so the console
   * hides the button. Absent means it can.
   */
  readonly canHold?: boolean;
  mute(on: boolean): void;
  /** Blind transfer to a number or extension; absent when the phone cannot. */
  transfer?(target: string): void;
  on<E extends keyof PhoneCallEvents>(event: E, listener: PhoneCallEvents[E]): void;
}

export interface Softphone {
  readonly kind: 'twilio' | 'sip';
  readonly channelId: number;
  /** Registers (SIP) or connects the device (Twilio); status changes follow through `onStatus`. */
  start(): Promise<void>;
  stop(): void;
  /** Places an outgoing call; resolves once it is dialling. */
  call(to: string): Promise<PhoneCall>;
  onIncoming(listener: (call: PhoneCall) => void): void;
  onStatus(listener: (status: PhoneStatus, reason?: string) => void): void;
}
