/**
 * What the console's SIP softphone tells the hub about one call (`POST /api/calls/sip`): the PBX does
 * not talk to the hub, so the log of a SIP call is these reports. They leave in the order the call went
 * (ringing → answered → ended), one after another, and a network or server failure is retried — the hub
 * takes each (channel, callId, event) once.
 */
import type { SipCallReport } from '../../../shared/calls';
import { ApiError } from '../api/http';
import { callsApi, type SipCallLogged } from '../api/calls';

/** Waits before the second and third attempt. */
export const RETRY_DELAYS_MS = [1_000, 5_000];

export type SipReporter = (part: Pick<SipCallReport, 'event' | 'reason'>) => Promise<SipCallLogged>;

const retryable = (cause: unknown) => cause instanceof ApiError && (cause.status === 0 || cause.status >= 500);
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function send(report: SipCallReport): Promise<SipCallLogged> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await callsApi.reportSip(report);
    } catch (cause) {
      const delay = RETRY_DELAYS_MS[attempt];
      if (delay === undefined || !retryable(cause)) throw cause;
      await wait(delay);
    }
  }
}

/** A reporter for one call; each returned promise settles with that report's answer or its error. */
export function sipReporter(call: { channelId: number; callId: string; direction: 'in' | 'out'; remote: string }): SipReporter {
  let queue: Promise<unknown> = Promise.resolve();
  return (part) => {
    const report: SipCallReport = { ...call, remote: call.remote.trim() || 'unknown', ...part };
    const result = queue.then(() => send(report));
    queue = result.catch(() => undefined);
    return result;
  };
}
