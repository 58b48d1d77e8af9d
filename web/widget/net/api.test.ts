import { describe, expect, it, vi } from 'vitest';
import { ApiError, createWidgetApi } from './api.js';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

describe('createWidgetApi', () => {
  it('calls the Omniline origin with the widget key and no cookies', async () => {
    const fetchFn = vi.fn(async () => json(200, { token: 'tok-1234567890', visitorId: 'v1' }));
    const api = createWidgetApi('https://hub.example', 'KEY/1', fetchFn);
    await expect(api.session({ token: 'old-token', name: 'Ada' })).resolves.toEqual({ token: 'tok-1234567890', visitorId: 'v1' });
    expect(fetchFn).toHaveBeenCalledWith('https://hub.example/api/widget/KEY%2F1/session', expect.objectContaining({ method: 'POST', credentials: 'omit', body: '{"token":"old-token","name":"Ada"}' }));
  });

  it('parses the config leniently', async () => {
    const api = createWidgetApi('https://hub.example', 'k', async () => json(200, { title: 'Hi', online: false }));
    await expect(api.config()).resolves.toMatchObject({ title: 'Hi', online: false, prechat: { name: 'off' } });
  });

  it('uploads multipart with the bearer token', async () => {
    const attachment = { id: 4, fileName: 'a.png', mimeType: 'image/png', size: 3, url: '/api/attachments/4?token=t' };
    const fetchFn = vi.fn(async (_url: RequestInfo | URL, _init?: RequestInit) => json(201, { attachment }));
    const api = createWidgetApi('https://hub.example', 'k', fetchFn as typeof fetch);
    await expect(api.upload('tok', new File(['abc'], 'a.png', { type: 'image/png' }))).resolves.toEqual(attachment);
    const init = fetchFn.mock.calls[0]?.[1];
    expect(init?.headers).toEqual({ Authorization: 'Bearer tok' });
    expect((init?.body as FormData).get('file')).toBeInstanceOf(File);
  });

  it('turns JSON errors into ApiError with the server’s message', async () => {
    const api = createWidgetApi('https://hub.example', 'k', async () => json(413, { error: { code: 'payload_too_large', message: 'Files up to 5 MB.' } }));
    const err = await api.upload('t', new File(['x'], 'x.bin')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 413, code: 'payload_too_large', message: 'Files up to 5 MB.', rejected: true });
  });

  it('reports an unreachable server as status 0, which is worth retrying', async () => {
    const api = createWidgetApi('https://hub.example', 'k', async () => {
      throw new TypeError('Failed to fetch');
    });
    const err = await api.config().catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 0, code: 'network', rejected: false });
  });

  it('explains a non-JSON error page by its status', async () => {
    const api = createWidgetApi('https://hub.example', 'k', async () => new Response('<html>Bad gateway</html>', { status: 502 }));
    await expect(api.config()).rejects.toMatchObject({ status: 502, code: 'http_502', rejected: false });
  });
});
