import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeFetch } from '../testing/fake-fetch';
import { ApiError, http, setCsrfToken, setUnauthenticatedHandler, withQuery } from './http';

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
  setUnauthenticatedHandler(null);
});

describe('http', () => {
  it('sends the CSRF token on writes only, with same-origin credentials', async () => {
    const { calls, fetch } = fakeFetch({ 'GET /api/a': () => ({ body: { ok: 1 } }), 'POST /api/a': () => ({ status: 201, body: { ok: 2 } }) });
    setCsrfToken('tok');
    expect(await http.get('/api/a')).toEqual({ ok: 1 });
    expect(await http.post('/api/a', { x: 1 })).toEqual({ ok: 2 });
    expect(calls[0]?.headers['X-CSRF-Token']).toBeUndefined();
    expect(calls[1]?.headers['X-CSRF-Token']).toBe('tok');
    expect(calls[1]?.body).toEqual({ x: 1 });
    expect(fetch.mock.calls[0]?.[1]).toMatchObject({ credentials: 'same-origin' });
  });

  it('turns JSON errors into ApiError with the server message', async () => {
    fakeFetch({ 'POST /api/a': () => ({ status: 409, body: { error: { code: 'conflict', message: 'Already taken by Olga.' } } }) });
    const error = await http.post('/api/a').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 409, code: 'conflict', message: 'Already taken by Olga.' });
  });

  it('calls the unauthenticated handler on 401 unless told to stay quiet', async () => {
    fakeFetch({ 'GET /api/a': () => ({ status: 401, body: { error: { code: 'unauthenticated', message: 'Sign in.' } } }) });
    const handler = vi.fn();
    setUnauthenticatedHandler(handler);
    await http.get('/api/a').catch(() => undefined);
    await http.get('/api/a', undefined, { quiet401: true }).catch(() => undefined);
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('reports a network failure as code network', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    await expect(http.get('/api/a')).rejects.toMatchObject({ code: 'network', status: 0 });
  });

  it('handles 204 and non-JSON errors', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(null, { status: 204 })));
    expect(await http.delete('/api/a')).toBeUndefined();
    vi.stubGlobal('fetch', vi.fn(async () => new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' })));
    await expect(http.get('/api/a')).rejects.toMatchObject({ status: 502, code: 'internal', message: '502 Bad Gateway' });
  });

  it('builds query strings without empty values', () => {
    expect(withQuery('/api/c', { scope: 'mine', q: '', lineId: undefined, limit: 50 })).toBe('/api/c?scope=mine&limit=50');
    expect(withQuery('/api/c', {})).toBe('/api/c');
  });
});
