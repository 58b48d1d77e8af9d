import { describe, expect, it } from 'vitest';
import { fakeFetch } from '../testing/fake-fetch';
import { useChannelCheck } from './useChannelCheck';

describe('useChannelCheck', () => {
  it('asks the hub with the type, the settings and the saved channel, and keeps its answer', async () => {
    const { calls } = fakeFetch({ 'POST /api/channels/test': () => ({ body: { ok: true, message: 'Connected to @shop_bot' } }) });
    const c = useChannelCheck('telegram');
    await c.check({ botToken: '********' }, 4);
    expect(calls.at(-1)?.body).toEqual({ type: 'telegram', settings: { botToken: '********' }, channelId: 4 });
    expect(c.result.value).toEqual({ ok: true, message: 'Connected to @shop_bot' });
    expect(c.checking.value).toBe(false);
  });

  it("turns a refused request into a failed result with the server's words", async () => {
    fakeFetch({ 'POST /api/channels/test': () => ({ status: 400, body: { error: { code: 'validation_failed', message: 'Invalid channel settings: botToken' } } }) });
    const c = useChannelCheck('telegram');
    await c.check({});
    expect(c.result.value).toEqual({ ok: false, message: 'Invalid channel settings: botToken' });
  });
});
