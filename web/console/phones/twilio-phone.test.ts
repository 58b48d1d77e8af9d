import type { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PhoneStatus } from './softphone';
import { REFRESH_LEAD_MS, TwilioPhone } from './twilio-phone';

/** Stand-ins for the SDK's Device and Call: just enough of their surface, driven by the test. */
const sdk = vi.hoisted(() => ({ devices: [] as unknown[] }));
vi.mock('@twilio/voice-sdk', async () => {
  const { EventEmitter } = await import('node:events');
  class Call extends EventEmitter {
    static State = { Closed: 'closed' };
    static Codec = { Opus: 'opus', PCMU: 'pcmu' };
    customParameters = new Map<string, string>();
    parameters: Record<string, string> = {};
    outboundConnectionId?: string;
    state = 'pending';
    accept = vi.fn();
    reject = vi.fn();
    disconnect = vi.fn();
    mute = vi.fn();
    status() {
      return this.state;
    }
  }
  class Device extends EventEmitter {
    static State = { Registered: 'registered' };
    state = 'unregistered';
    register = vi.fn(async () => {
      this.state = 'registered';
      this.emit('registered');
    });
    updateToken = vi.fn();
    destroy = vi.fn();
    connect = vi.fn(async (o: { params: Record<string, string> }) => Object.assign(new Call(), { outboundConnectionId: 'TJ1', dialled: o.params.To }));
    constructor(
      readonly token: string,
      readonly options: unknown,
    ) {
      super();
      sdk.devices.push(this);
    }
  }
  return { Call, Device };
});

type FakeDevice = EventEmitter & { token: string; updateToken: ReturnType<typeof vi.fn>; destroy: ReturnType<typeof vi.fn>; connect: ReturnType<typeof vi.fn> };
type FakeCall = EventEmitter & { customParameters: Map<string, string>; parameters: Record<string, string>; state: string } & Record<'accept' | 'reject' | 'disconnect' | 'mute', ReturnType<typeof vi.fn>>;

async function incomingCall(): Promise<FakeCall> {
  const { Call } = await import('@twilio/voice-sdk');
  return new (Call as unknown as new () => FakeCall)();
}

beforeEach(() => {
  sdk.devices = [];
  vi.useFakeTimers();
  vi.setSystemTime(Date.parse('2026-11-23T10:00:00.000Z'));
});
afterEach(() => vi.useRealTimers());

function phone(refresh = vi.fn(async () => ({ token: 'jwt-2', expiresAt: '2026-11-23T12:00:00.000Z' }))) {
  const p = new TwilioPhone({ channelId: 3, token: 'jwt-1', expiresAt: '2026-11-23T11:00:00.000Z', refresh });
  const statuses: string[] = [];
  p.onStatus((s: PhoneStatus, reason?: string) => statuses.push(reason ? `${s}: ${reason}` : s));
  return { p, statuses, refresh };
}

describe('TwilioPhone', () => {
  it('registers the device with the token and reports its status', async () => {
    const { p, statuses } = phone();
    await p.start();
    const device = sdk.devices[0] as FakeDevice;
    expect(device.token).toBe('jwt-1');
    device.emit('error', { message: 'Signaling connection lost' });
    device.emit('error', { message: 'one call failed' }, {});
    expect(statuses).toEqual(['registering', 'ready', 'error: Signaling connection lost']);
    p.stop();
    expect(device.destroy).toHaveBeenCalled();
    expect(statuses.at(-1)).toBe('stopped');
  });

  it('refreshes the token a minute before it expires', async () => {
    const { p, refresh } = phone();
    await p.start();
    const device = sdk.devices[0] as FakeDevice;
    await vi.advanceTimersByTimeAsync(3_600_000 - REFRESH_LEAD_MS - 1000);
    expect(refresh).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1000);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(device.updateToken).toHaveBeenCalledWith('jwt-2');
    // The SDK's own warning refreshes too (one at a time).
    device.emit('tokenWillExpire');
    await vi.advanceTimersByTimeAsync(0);
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it('turns an incoming SDK call into a PhoneCall keyed by the parent CallSid', async () => {
    const { p } = phone();
    const calls: import('./softphone').PhoneCall[] = [];
    p.onIncoming((c) => calls.push(c));
    await p.start();
    const sdkCall = await incomingCall();
    sdkCall.customParameters.set('callId', 'CA-parent');
    sdkCall.parameters = { CallSid: 'CA-leg', From: '+4930123456' };
    (sdk.devices[0] as FakeDevice).emit('incoming', sdkCall);
    const call = calls[0];
    expect(call).toMatchObject({ callId: 'CA-parent', direction: 'in', remote: '+4930123456', canHold: false });
    expect(call?.transfer).toBeUndefined();
    const ended = vi.fn();
    call?.on('ended', ended);
    call?.answer();
    call?.mute(true);
    expect(sdkCall.accept).toHaveBeenCalled();
    expect(sdkCall.mute).toHaveBeenCalledWith(true);
    sdkCall.emit('accept');
    sdkCall.emit('disconnect');
    sdkCall.emit('disconnect');
    expect(ended.mock.calls).toEqual([[{ answered: true }]]);
  });

  it('says why a call ended before it was answered', async () => {
    const { p } = phone();
    const calls: import('./softphone').PhoneCall[] = [];
    p.onIncoming((c) => calls.push(c));
    await p.start();
    const cancelled = await incomingCall();
    cancelled.parameters = { CallSid: 'CA-2', From: '+1' };
    const declined = await incomingCall();
    declined.parameters = { CallSid: 'CA-3', From: '+1' };
    for (const c of [cancelled, declined]) (sdk.devices[0] as FakeDevice).emit('incoming', c);
    const ended = vi.fn();
    calls.forEach((c) => c.on('ended', (info) => ended(c.callId, info)));
    cancelled.emit('cancel');
    calls[1]?.decline();
    declined.emit('reject');
    expect(declined.reject).toHaveBeenCalled();
    expect(ended.mock.calls).toEqual([
      ['CA-2', { answered: false, reason: 'cancelled' }],
      ['CA-3', { answered: false, reason: 'declined' }],
    ]);
  });

  it('dials out through the TwiML App with To', async () => {
    const { p } = phone();
    await expect(p.call('+4930123456')).rejects.toThrow('not started');
    await p.start();
    const call = await p.call('+4930123456');
    expect((sdk.devices[0] as FakeDevice).connect).toHaveBeenCalledWith({ params: { To: '+4930123456' } });
    expect(call).toMatchObject({ direction: 'out', remote: '+4930123456', callId: 'TJ1' });
  });
});
