import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeFetch } from '../testing/fake-fetch';
import { RETRY_DELAYS_MS, sipReporter } from './sip-reports';

const answer = { messageId: 1, conversationId: 2, incoming: null };
afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('SIP reports', () => {
  it('sends one after another and retries a server failure, so the hub sees them in order', async () => {
    vi.useFakeTimers();
    let failures = 1;
    const { calls } = fakeFetch({
      'POST /api/calls/sip': ({ body }) =>
        (body as { event: string }).event === 'ringing' && failures-- > 0 ? { status: 503, body: { error: { code: 'unavailable', message: 'Try later' } } } : { body: answer },
    });
    const report = sipReporter({ channelId: 4, callId: 'c1', direction: 'in', remote: ' ' });
    const ringing = report({ event: 'ringing' });
    const ended = report({ event: 'ended', reason: 'cancelled' });
    await vi.advanceTimersByTimeAsync(RETRY_DELAYS_MS[0] as number);
    await expect(ringing).resolves.toEqual(answer);
    await expect(ended).resolves.toEqual(answer);
    expect(calls.map((c) => (c.body as { event: string }).event)).toEqual(['ringing', 'ringing', 'ended']);
    expect(calls[0]?.body).toMatchObject({ remote: 'unknown', channelId: 4, callId: 'c1', direction: 'in' });
  });

  it('does not retry a refusal, and a failed report does not stop the next', async () => {
    const { calls } = fakeFetch({
      'POST /api/calls/sip': ({ body }) =>
        (body as { event: string }).event === 'answered' ? { status: 400, body: { error: { code: 'bad_request', message: 'No such call' } } } : { body: answer },
    });
    const report = sipReporter({ channelId: 4, callId: 'c1', direction: 'out', remote: '1002' });
    await expect(report({ event: 'answered' })).rejects.toThrow('No such call');
    await expect(report({ event: 'ended' })).resolves.toEqual(answer);
    expect(calls).toHaveLength(2);
  });
});
