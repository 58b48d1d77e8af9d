/**
 * A bare page around the console's SipPhone, for the SIP signalling tests: bundled by esbuild in the
 * test, driven through `window.sipHarness` by playwright, recording what the phone reports.
 */
import { SipPhone, type SipPhoneOptions } from '../../../web/console/phones/sip-phone';
import type { PhoneCall } from '../../../web/console/phones/softphone';

export interface HarnessCall {
  callId: string;
  direction: 'in' | 'out';
  remote: string;
  /** 'accepted', then 'ended {"answered":…,"reason":…}' as JSON. */
  events: string[];
}

export interface Harness {
  start(options: SipPhoneOptions & { autoAnswer?: boolean }): Promise<void>;
  stop(): void;
  statuses: string[];
  calls: HarnessCall[];
  answer(index: number): void;
  decline(index: number): void;
  hangup(index: number): void;
  hold(index: number, on: boolean): void;
  mute(index: number, on: boolean): void;
  transfer(index: number, target: string): void;
  call(to: string): Promise<number>;
}

declare global {
  interface Window {
    sipHarness: Harness;
  }
}

let phone: SipPhone | null = null;
const phoneCalls: PhoneCall[] = [];
const harness: Harness = {
  statuses: [],
  calls: [],
  async start(options) {
    const { autoAnswer, ...phoneOptions } = options;
    phone = new SipPhone(phoneOptions);
    phone.onStatus((status, reason) => harness.statuses.push(reason ? `${status}: ${reason}` : status));
    phone.onIncoming((call) => {
      track(call);
      if (autoAnswer) call.answer();
    });
    await phone.start();
  },
  stop() {
    phone?.stop();
  },
  answer: (i) => at(i).answer(),
  decline: (i) => at(i).decline(),
  hangup: (i) => at(i).hangup(),
  hold: (i, on) => at(i).hold(on),
  mute: (i, on) => at(i).mute(on),
  transfer: (i, target) => at(i).transfer?.(target),
  async call(to) {
    if (!phone) throw new Error('not started');
    return track(await phone.call(to));
  },
};

function at(index: number): PhoneCall {
  const call = phoneCalls[index];
  if (!call) throw new Error(`no call #${index}`);
  return call;
}

function track(call: PhoneCall): number {
  const record: HarnessCall = { callId: call.callId, direction: call.direction, remote: call.remote, events: [] };
  phoneCalls.push(call);
  harness.calls.push(record);
  call.on('accepted', () => record.events.push('accepted'));
  call.on('ended', (info) => record.events.push(`ended ${JSON.stringify(info)}`));
  return harness.calls.length - 1;
}

window.sipHarness = harness;
