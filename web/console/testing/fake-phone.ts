/**
 * A softphone double for console unit tests: implements the {@link Softphone} seam, records what the
 * store asks of it, and lets a test ring, accept and end calls. Every instance made through
 * `createSoftphone` (mocked in tests) is kept in `FakePhone.made`.
 *
 * @example
 * vi.mock('../phones/create-phone', async () => (await import('../testing/fake-phone')).fakeCreatePhone());
 */
import { vi } from 'vitest';
import type { PhoneDto } from '../../../shared/calls';
import type { EndReason, PhoneCall, PhoneCallEvents, PhoneStatus, Softphone } from '../phones/softphone';

export class FakeCall implements PhoneCall {
  readonly answer = vi.fn();
  readonly decline = vi.fn();
  readonly hangup = vi.fn();
  readonly hold = vi.fn();
  readonly mute = vi.fn();
  readonly transfer?: (target: string) => void;
  readonly canHold?: boolean;
  private readonly listeners: { [E in keyof PhoneCallEvents]: PhoneCallEvents[E][] } = { accepted: [], ended: [] };

  constructor(
    readonly callId: string,
    readonly direction: 'in' | 'out',
    readonly remote: string,
    o: { canHold?: boolean; transfer?: boolean } = {},
  ) {
    this.canHold = o.canHold;
    if (o.transfer) this.transfer = vi.fn();
  }

  on<E extends keyof PhoneCallEvents>(event: E, listener: PhoneCallEvents[E]): void {
    this.listeners[event].push(listener);
  }

  accepted(): void {
    for (const l of this.listeners.accepted) l();
  }

  ended(answered: boolean, reason?: EndReason): void {
    for (const l of this.listeners.ended) l(reason ? { answered, reason } : { answered });
  }
}

export class FakePhone implements Softphone {
  static made: FakePhone[] = [];
  readonly start = vi.fn(async () => this.status('ready'));
  readonly stop = vi.fn(() => this.status('stopped'));
  /** Outgoing calls this phone placed. */
  readonly placed: FakeCall[] = [];
  readonly call = vi.fn(async (to: string): Promise<PhoneCall> => {
    const call = new FakeCall(`${this.kind}-out-${this.placed.length + 1}`, 'out', to, { canHold: this.kind === 'sip', transfer: this.kind === 'sip' });
    this.placed.push(call);
    return call;
  });
  private incoming: ((call: PhoneCall) => void)[] = [];
  private statuses: ((status: PhoneStatus, reason?: string) => void)[] = [];

  constructor(
    readonly kind: 'twilio' | 'sip',
    readonly channelId: number,
  ) {}

  onIncoming(listener: (call: PhoneCall) => void): void {
    this.incoming.push(listener);
  }

  onStatus(listener: (status: PhoneStatus, reason?: string) => void): void {
    this.statuses.push(listener);
  }

  /** An incoming call rings on this phone; returns it to accept or end later. */
  ring(callId: string, remote = '+4930123456'): FakeCall {
    const call = new FakeCall(callId, 'in', remote, { canHold: this.kind === 'sip', transfer: this.kind === 'sip' });
    for (const l of this.incoming) l(call);
    return call;
  }

  status(status: PhoneStatus, reason?: string): void {
    for (const l of this.statuses) l(status, reason);
  }
}

/** The module `phones/create-phone` replaced by fakes. */
export function fakeCreatePhone() {
  return {
    createSoftphone: vi.fn(async (dto: PhoneDto) => {
      const phone = new FakePhone(dto.kind, dto.channelId);
      FakePhone.made.push(phone);
      return phone;
    }),
  };
}
