import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { PhoneCall, PhoneStatus } from './softphone';

/** JsSIP's UA and RTCSession as the phone uses them; the real constants (causes). */
const fake = vi.hoisted(() => ({ uas: [] as unknown[] }));

vi.mock('jssip', async () => {
  const actual = await vi.importActual<typeof import('jssip')>('jssip');
  const { EventEmitter: Emitter } = await import('node:events');
  class UA extends Emitter {
    started = false;
    stopped = false;
    calls: { target: string; options: unknown }[] = [];
    onCall: ((target: string, options: unknown) => unknown) | null = null;
    constructor(readonly configuration: Record<string, unknown>) {
      super();
      fake.uas.push(this);
    }
    start() {
      this.started = true;
    }
    stop() {
      this.stopped = true;
      this.emit('disconnected', { error: false });
    }
    call(target: string, options: unknown) {
      this.calls.push({ target, options });
      return this.onCall?.(target, options);
    }
  }
  class WebSocketInterface {
    constructor(readonly url: string) {}
  }
  return { C: actual.C, UA, WebSocketInterface, debug: { enable: vi.fn(), disable: vi.fn() } };
});

const { SipPhone, endReason, sipTarget } = await import('./sip-phone');
const { C, debug } = await import('jssip');

interface FakeUA extends EventEmitter {
  configuration: Record<string, unknown>;
  started: boolean;
  stopped: boolean;
  calls: { target: string; options: unknown }[];
  onCall: ((target: string, options: unknown) => unknown) | null;
}

class FakeSession extends EventEmitter {
  established = false;
  ended = false;
  localHold = false;
  holdDone: (() => void) | null = null;
  answer = vi.fn(() => {
    this.established = true;
    this.emit('accepted', { originator: 'local' });
  });
  terminate = vi.fn();
  mute = vi.fn();
  unmute = vi.fn();
  refer = vi.fn();
  hold = vi.fn((_options: unknown, done: () => void) => this.reoffer(true, done));
  unhold = vi.fn((_options: unknown, done: () => void) => this.reoffer(false, done));
  constructor(
    readonly direction: 'incoming' | 'outgoing',
    user: string,
    readonly id = 'session-id',
  ) {
    super();
    this.remote_identity = { uri: { user, toString: () => `sip:${user}@pbx` } };
  }
  remote_identity: { uri: { user: string; toString(): string } };
  isInProgress = () => !this.established && !this.ended;
  isEstablished = () => this.established;
  isEnded = () => this.ended;
  isOnHold = () => ({ local: this.localHold, remote: false });
  private reoffer(on: boolean, done: () => void): boolean {
    if (this.holdDone || this.localHold === on) return false;
    this.localHold = on;
    this.holdDone = () => {
      this.holdDone = null;
      done();
    };
    return true;
  }
}

function sipMessage(headers: Record<string, string[]>) {
  return {
    hasHeader: (name: string) => (headers[name] ?? []).length > 0,
    getHeaders: (name: string) => headers[name] ?? [],
    getHeader: (name: string) => headers[name]?.[0],
  };
}

const options = { channelId: 7, wsUrl: 'wss://pbx.example.com:8443/ws', domain: 'pbx.example.com', extension: '1001', password: 'secret', displayName: 'Ann' };

async function startedPhone() {
  const phone = new SipPhone(options);
  const statuses: [PhoneStatus, string | undefined][] = [];
  phone.onStatus((status, reason) => statuses.push([status, reason]));
  await phone.start();
  const ua = fake.uas.at(-1) as FakeUA;
  return { phone, ua, statuses };
}

/** An INVITE arrives; the phone's onIncoming listener (set by the test) stores the call in lastIncoming. */
function ring(ua: FakeUA, user = '+15550001234', callId = 'abc@host'): { session: FakeSession; call: PhoneCall } {
  const session = new FakeSession('incoming', user);
  lastIncoming = null;
  ua.emit('newRTCSession', { originator: 'remote', session, request: { call_id: callId } });
  if (!lastIncoming) throw new Error('no incoming call reported');
  return { session, call: lastIncoming };
}

let lastIncoming: PhoneCall | null = null;

beforeEach(() => {
  fake.uas.length = 0;
  lastIncoming = null;
});

describe('endReason', () => {
  it('tells a caller who gave up from a call answered elsewhere (Reason: SIP;cause=200)', () => {
    expect(endReason({ originator: 'remote', cause: C.causes.CANCELED, message: sipMessage({}) as never })).toBe('cancelled');
    expect(endReason({ originator: 'remote', cause: C.causes.CANCELED, message: sipMessage({ Reason: ['Q.850;cause=16;text="Normal call clearing"'] }) as never })).toBe('cancelled');
    expect(endReason({ originator: 'remote', cause: C.causes.CANCELED, message: sipMessage({ Reason: ['SIP;cause=200;text="Call completed elsewhere"'] }) as never })).toBe('elsewhere');
    expect(endReason({ originator: 'remote', cause: C.causes.CANCELED, message: sipMessage({ Reason: ['SIP ;cause=200 ;text="Call completed elsewhere"'] }) as never })).toBe('elsewhere');
    expect(endReason({ originator: 'remote', cause: C.causes.CANCELED, message: sipMessage({ Reason: ['SIP;cause=487;text="Request Terminated"'] }) as never })).toBe('cancelled');
    expect(endReason({ originator: 'local', cause: C.causes.CANCELED })).toBe('cancelled');
  });

  it('maps rejections, busy, no answer and the rest', () => {
    expect(endReason({ originator: 'local', cause: C.causes.REJECTED })).toBe('declined');
    expect(endReason({ originator: 'remote', cause: C.causes.REJECTED })).toBe('declined');
    expect(endReason({ originator: 'remote', cause: C.causes.BUSY })).toBe('busy');
    expect(endReason({ originator: 'local', cause: C.causes.NO_ANSWER })).toBe('no_answer');
    expect(endReason({ originator: 'remote', cause: C.causes.UNAVAILABLE })).toBe('no_answer');
    expect(endReason({ originator: 'system', cause: C.causes.WEBRTC_ERROR })).toBe('error');
    expect(endReason({ originator: 'remote', cause: C.causes.INCOMPATIBLE_SDP })).toBe('error');
  });
});

describe('sipTarget', () => {
  it('puts numbers and extensions in the phone’s domain and leaves URIs alone', () => {
    expect(sipTarget('1002', 'pbx.example.com')).toBe('sip:1002@pbx.example.com');
    expect(sipTarget(' +1 (555) 000-9876 ', 'pbx.example.com')).toBe('sip:+15550009876@pbx.example.com');
    expect(sipTarget('tel:+1-555-000-9876', 'pbx.example.com')).toBe('sip:+15550009876@pbx.example.com');
    expect(sipTarget('sip:bob@other.example', 'pbx.example.com')).toBe('sip:bob@other.example');
    expect(sipTarget('bob@other.example', 'pbx.example.com')).toBe('sip:bob@other.example');
    expect(sipTarget('sales', 'pbx.example.com')).toBe('sip:sales@pbx.example.com');
  });
});

describe('SipPhone', () => {
  it('registers sip:<extension>@<domain> over the WebSocket URL and reports its status', async () => {
    const { phone, ua, statuses } = await startedPhone();
    expect(phone.kind).toBe('sip');
    expect(phone.channelId).toBe(7);
    expect(ua.started).toBe(true);
    expect(ua.configuration).toMatchObject({ uri: 'sip:1001@pbx.example.com', authorization_user: '1001', password: 'secret', display_name: 'Ann', register: true });
    expect((ua.configuration.sockets as { url: string }[])[0]!.url).toBe('wss://pbx.example.com:8443/ws');
    expect(debug.enable).toHaveBeenLastCalledWith('-JsSIP:*');

    ua.emit('connecting', {});
    ua.emit('registered', {});
    ua.emit('registrationFailed', { response: { status_code: 403, reason_phrase: 'Forbidden' }, cause: C.causes.REJECTED });
    ua.emit('registered', {});
    ua.emit('disconnected', { error: true, code: 1006 });
    ua.emit('connecting', {});
    ua.emit('registered', {});
    expect(statuses).toEqual([
      ['registering', undefined],
      ['ready', undefined],
      ['error', '403 Forbidden'],
      ['ready', undefined],
      ['error', 'WebSocket closed (1006)'],
      ['registering', undefined],
      ['ready', undefined],
    ]);

    phone.stop();
    expect(ua.stopped).toBe(true);
    ua.emit('registered', {});
    expect(statuses.at(-1)).toEqual(['stopped', undefined]);
  });

  it('gives an incoming call its SIP Call-ID and caller, answers audio only, declines with 486', async () => {
    const { phone, ua } = await startedPhone();
    phone.onIncoming((call) => (lastIncoming = call));
    const { session, call } = ring(ua);
    expect(call).toMatchObject({ callId: 'abc@host', direction: 'in', remote: '+15550001234' });
    const ended = vi.fn();
    call.on('ended', ended);

    call.decline();
    expect(session.terminate).toHaveBeenCalledWith({ status_code: 486, reason_phrase: 'Busy Here' });
    session.emit('failed', { originator: 'local', cause: C.causes.REJECTED, message: null });
    expect(ended).toHaveBeenCalledWith({ answered: false, reason: 'declined' });

    const second = ring(ua, '1002', 'def@host');
    const accepted = vi.fn();
    const ended2 = vi.fn();
    second.call.on('accepted', accepted);
    second.call.on('ended', ended2);
    second.call.answer();
    expect(second.session.answer).toHaveBeenCalledWith({ mediaConstraints: { audio: true, video: false }, pcConfig: { iceServers: [] } });
    expect(accepted).toHaveBeenCalledTimes(1);
    second.session.emit('ended', { originator: 'remote', cause: C.causes.BYE, message: null });
    second.session.emit('failed', { originator: 'remote', cause: C.causes.BYE, message: null });
    expect(ended2).toHaveBeenCalledTimes(1);
    expect(ended2).toHaveBeenCalledWith({ answered: true });
  });

  it('reports a caller who hangs up while it rings as cancelled', async () => {
    const { phone, ua } = await startedPhone();
    phone.onIncoming((call) => (lastIncoming = call));
    const { session, call } = ring(ua);
    const ended = vi.fn();
    call.on('ended', ended);
    session.emit('failed', { originator: 'remote', cause: C.causes.CANCELED, message: sipMessage({}) });
    expect(ended).toHaveBeenCalledWith({ answered: false, reason: 'cancelled' });
  });

  it('holds and resumes one re-INVITE at a time, mutes, and transfers blind with REFER', async () => {
    const { phone, ua } = await startedPhone();
    phone.onIncoming((call) => (lastIncoming = call));
    const { session, call } = ring(ua);
    call.answer();

    call.hold(true);
    call.hold(false);
    expect(session.hold).toHaveBeenCalledTimes(1);
    expect(session.unhold).not.toHaveBeenCalled();
    session.holdDone!();
    expect(session.unhold).toHaveBeenCalledTimes(1);
    session.holdDone!();
    expect(session.localHold).toBe(false);

    call.mute(true);
    call.mute(false);
    expect(session.mute).toHaveBeenCalledWith({ audio: true });
    expect(session.unmute).toHaveBeenCalledWith({ audio: true });

    call.transfer!('1002');
    expect(session.refer).toHaveBeenCalledWith('sip:1002@pbx.example.com', expect.anything());
    const referOptions = session.refer.mock.calls[0]![1] as { eventHandlers: { requestSucceeded(): void } };
    referOptions.eventHandlers.requestSucceeded();
    expect(session.terminate).toHaveBeenCalledWith();
  });

  it('calls out to sip:<number>@<domain> with the Call-ID of its INVITE', async () => {
    const { phone, ua } = await startedPhone();
    const session = new FakeSession('outgoing', '+15550009876');
    ua.onCall = () => {
      ua.emit('newRTCSession', { originator: 'local', session, request: { call_id: 'out-1@browser' } });
      return session;
    };
    const call = await phone.call('+1 555 000 9876');
    expect(ua.calls[0]!.target).toBe('sip:+15550009876@pbx.example.com');
    expect(ua.calls[0]!.options).toMatchObject({ mediaConstraints: { audio: true, video: false } });
    expect(call).toMatchObject({ callId: 'out-1@browser', direction: 'out', remote: '+15550009876' });
    const ended = vi.fn();
    call.on('ended', ended);
    session.emit('failed', { originator: 'remote', cause: C.causes.BUSY, message: null });
    expect(ended).toHaveBeenCalledWith({ answered: false, reason: 'busy' });
  });

  it('refuses to call before it is started', async () => {
    await expect(new SipPhone(options).call('1002')).rejects.toThrow(/not started/);
  });
});
