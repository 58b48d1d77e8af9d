/**
 * The Twilio browser phone: a {@link Softphone} over `@twilio/voice-sdk`. This is the only file that
 * touches the SDK, and the calls store imports it lazily (`create-phone.ts`), so operators without a
 * Twilio line never download it.
 *
 * - The access token comes from `GET /api/calls/phones`; it is refreshed {@link REFRESH_LEAD_MS} before
 *   `expiresAt` (and on the SDK's own `tokenWillExpire`) through `refresh`, which asks the hub again.
 * - Incoming: the TwiML rings every operator's client at once and passes the parent call's CallSid as the
 *   custom parameter `callId` — the same id as `IncomingCallDto.callId`, so the popup and the ringing
 *   phone meet. `From` is the caller.
 * - Outgoing: `device.connect({ params: { To } })`; the TwiML App dials the number from the channel.
 * - No hold (the SDK cannot; it would take a server-side conference) and no transfer: `canHold` is false
 *   and `transfer` is absent, so the console hides both.
 *
 * @example
 * const phone = new TwilioPhone({ channelId: 3, token, expiresAt, refresh: () => fetchToken(3) });
 * phone.onIncoming((call) => showPopup(call));
 * await phone.start();
 */
import { Call, Device } from '@twilio/voice-sdk';
import type { EndReason, PhoneCall, PhoneCallEvents, PhoneStatus, Softphone } from './softphone';

export interface TwilioPhoneOptions {
  channelId: number;
  token: string;
  expiresAt: string;
  /** A fresh token for this channel (the hub mints it); rejects when the phone is gone. */
  refresh: () => Promise<{ token: string; expiresAt: string }>;
}

/** How long before `expiresAt` the token is replaced. */
export const REFRESH_LEAD_MS = 60_000;
/** After a failed refresh, try again this much later. */
const RETRY_MS = 15_000;

type Listener = (...args: never[]) => void;

/** A minimal typed listener list, so each call and the phone can have several subscribers. */
class Listeners<M extends Record<string, Listener>> {
  private readonly map = new Map<keyof M, Listener[]>();
  on<E extends keyof M>(event: E, listener: M[E]): void {
    this.map.set(event, [...(this.map.get(event) ?? []), listener]);
  }
  emit<E extends keyof M>(event: E, ...args: Parameters<M[E]>): void {
    for (const listener of this.map.get(event) ?? []) (listener as (...a: Parameters<M[E]>) => void)(...args);
  }
}

/** One SDK `Call` as a {@link PhoneCall}. */
export class TwilioCall implements PhoneCall {
  readonly canHold = false;
  private readonly listeners = new Listeners<{ [E in keyof PhoneCallEvents]: PhoneCallEvents[E] }>();
  private accepted = false;
  private over = false;
  private hungUpHere = false;

  constructor(
    private readonly call: Call,
    readonly direction: 'in' | 'out',
    private readonly dialled = '',
  ) {
    call.on('accept', () => {
      this.accepted = true;
      this.listeners.emit('accepted');
    });
    call.on('disconnect', () => this.end(this.hungUpHere ? 'cancelled' : direction === 'out' ? 'no_answer' : 'cancelled'));
    // Incoming only: the caller hung up, or another operator's client took the call.
    call.on('cancel', () => this.end('cancelled'));
    call.on('reject', () => this.end('declined'));
    call.on('error', () => {
      if (call.status() === Call.State.Closed) this.end('error');
    });
  }

  /** The parent CallSid the hub knows (incoming); this leg's CallSid otherwise. */
  get callId(): string {
    return this.call.customParameters.get('callId') ?? this.call.parameters.CallSid ?? this.call.outboundConnectionId ?? '';
  }

  get remote(): string {
    return this.direction === 'in' ? (this.call.parameters.From ?? '') : this.dialled;
  }

  answer(): void {
    this.call.accept();
  }

  decline(): void {
    this.call.reject();
  }

  hangup(): void {
    this.hungUpHere = true;
    this.call.disconnect();
  }

  /** Not possible with the Voice SDK (see `canHold`): does nothing. */
  hold(): void {}

  mute(on: boolean): void {
    this.call.mute(on);
  }

  on<E extends keyof PhoneCallEvents>(event: E, listener: PhoneCallEvents[E]): void {
    this.listeners.on(event, listener);
  }

  private end(reason: EndReason): void {
    if (this.over) return;
    this.over = true;
    this.listeners.emit('ended', this.accepted ? { answered: true } : { answered: false, reason });
  }
}

export class TwilioPhone implements Softphone {
  readonly kind = 'twilio' as const;
  readonly channelId: number;
  private device: Device | null = null;
  private token: string;
  private expiresAt: string;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private refreshing: Promise<void> | null = null;
  private readonly listeners = new Listeners<{ incoming: (call: PhoneCall) => void; status: (status: PhoneStatus, reason?: string) => void }>();

  constructor(private readonly options: TwilioPhoneOptions) {
    this.channelId = options.channelId;
    this.token = options.token;
    this.expiresAt = options.expiresAt;
  }

  async start(): Promise<void> {
    if (this.device) return;
    this.listeners.emit('status', 'registering');
    const device = new Device(this.token, { closeProtection: true, codecPreferences: [Call.Codec.Opus, Call.Codec.PCMU] });
    this.device = device;
    device.on('registering', () => this.listeners.emit('status', 'registering'));
    device.on('registered', () => this.listeners.emit('status', 'ready'));
    device.on('unregistered', () => this.device && this.listeners.emit('status', 'registering'));
    device.on('error', (error: { message?: string }, call?: Call) => {
      // Errors of one call end that call (TwilioCall); only the device's own errors change the status.
      if (!call) this.listeners.emit('status', 'error', error.message || 'Twilio error');
    });
    device.on('incoming', (call: Call) => this.listeners.emit('incoming', new TwilioCall(call, 'in')));
    device.on('tokenWillExpire', () => void this.refresh());
    this.schedule();
    try {
      await device.register();
    } catch (cause) {
      this.listeners.emit('status', 'error', cause instanceof Error ? cause.message : String(cause));
      throw cause;
    }
  }

  stop(): void {
    clearTimeout(this.timer);
    const device = this.device;
    this.device = null;
    device?.destroy();
    this.listeners.emit('status', 'stopped');
  }

  async call(to: string): Promise<PhoneCall> {
    if (!this.device) throw new Error('The Twilio phone is not started.');
    return new TwilioCall(await this.device.connect({ params: { To: to } }), 'out', to);
  }

  onIncoming(listener: (call: PhoneCall) => void): void {
    this.listeners.on('incoming', listener);
  }

  onStatus(listener: (status: PhoneStatus, reason?: string) => void): void {
    this.listeners.on('status', listener);
  }

  /** Fetches a new token and hands it to the device; one refresh at a time. */
  refresh(): Promise<void> {
    this.refreshing ??= (async () => {
      try {
        const fresh = await this.options.refresh();
        this.token = fresh.token;
        this.expiresAt = fresh.expiresAt;
        this.device?.updateToken(fresh.token);
        // Back to ready after a failed attempt (the device stays registered through a token swap).
        if (this.device?.state === Device.State.Registered) this.listeners.emit('status', 'ready');
        this.schedule();
      } catch (cause) {
        this.listeners.emit('status', 'error', cause instanceof Error ? cause.message : String(cause));
        this.schedule(RETRY_MS);
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  private schedule(delay = Date.parse(this.expiresAt) - Date.now() - REFRESH_LEAD_MS): void {
    clearTimeout(this.timer);
    if (!this.device) return;
    this.timer = setTimeout(() => void this.refresh(), Math.max(5_000, delay));
  }
}
