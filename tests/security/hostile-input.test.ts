import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type ApiClient } from '../helpers/clients.js';
import { startHub, type TestHub } from '../helpers/hub.js';
import { postgresAvailable } from '../helpers/postgres.js';

const databases = ['sqlite', ...((await postgresAvailable()) ? ['postgres' as const] : [])] as const;

/** Every file under a folder, relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

describe.each(databases)('hostile input on %s', (database) => {
  let t: TestHub;
  let admin: ApiClient;
  const upload = (form: FormData | string, headers: Record<string, string> = {}) =>
    fetch(`${t.url}/api/uploads`, { method: 'POST', body: form, headers: { cookie: admin.cookie, 'x-csrf-token': admin.session.csrfToken, ...headers } });
  const fileForm = (name: string, data: BlobPart = 'hello', type = 'text/plain') => {
    const f = new FormData();
    f.append('file', new Blob([data], { type }), name);
    return f;
  };

  beforeAll(async () => {
    t = await startHub({ database, env: { MAX_UPLOAD_BYTES: String(64 * 1024) } });
    admin = await login(t.url, t.admin.email, t.admin.password);
  });
  afterAll(() => t.stop());

  it('file names with path tricks are stored as plain names, under random keys inside the data folder', async () => {
    const root = path.join(t.hub.config.dataDir, 'attachments');
    for (const [name, kept] of [
      ['../../../../etc/passwd', 'passwd'],
      ['..\\..\\windows\\win.ini', 'win.ini'],
      ['/absolute/evil.txt', 'evil.txt'],
      ['....', 'file'],
      ['"><img src=x>.txt', '___img src=x_.txt'],
    ] as const) {
      const res = await upload(fileForm(name));
      expect(res.status, name).toBe(201);
      const body = (await res.json()) as { id: number; fileName: string };
      expect(body.fileName, name).toBe(kept);
      const download = await fetch(`${t.url}/api/attachments/${body.id}`, { headers: { cookie: admin.cookie } });
      expect(download.status).toBe(200);
      expect(download.headers.get('content-disposition')).toBe(`attachment; filename*=UTF-8''${encodeURIComponent(kept)}`);
      expect(await download.text()).toBe('hello');
    }
    for (const f of filesUnder(root)) expect(f).toMatch(/^[0-9a-f]{2}\/[0-9a-f]{32}$/);
  });

  it('oversized, typeless, executable, empty and malformed uploads get a clear error and store nothing', async () => {
    const root = path.join(t.hub.config.dataDir, 'attachments');
    const before = filesUnder(root).length;
    const cases: Array<[string, () => Promise<Response>, number, string]> = [
      ['over the limit', () => upload(fileForm('big.png', new Uint8Array(65 * 1024), 'image/png')), 413, 'payload_too_large'],
      ['an executable', () => upload(fileForm('setup.exe', 'MZ', 'application/x-msdownload')), 415, 'unsupported_media_type'],
      ['HTML', () => upload(fileForm('page.html', '<script>alert(1)</script>', 'text/html')), 415, 'unsupported_media_type'],
      ['no file field', () => { const f = new FormData(); f.append('other', 'x'); return upload(f); }, 400, 'validation_failed'],
      ['two files', () => { const f = fileForm('a.txt'); f.append('file', new Blob(['b'], { type: 'text/plain' }), 'b.txt'); return upload(f); }, 400, 'bad_request'],
      ['a NUL in the part header', () => upload(fileForm('a\u0000b.txt')), 400, 'bad_request'],
      ['a broken multipart body', () => upload('--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nunterminated', { 'content-type': 'multipart/form-data; boundary=xyz' }), 400, 'bad_request'],
      ['JSON instead of multipart', () => upload(JSON.stringify({ file: 'x' }), { 'content-type': 'application/json' }), 400, 'validation_failed'],
    ];
    for (const [what, send, status, code] of cases) {
      const res = await send();
      expect(res.status, what).toBe(status);
      expect(((await res.json()) as { error: { code: string } }).error.code, what).toBe(code);
    }
    expect(filesUnder(root).length).toBe(before);
  });

  it('injection strings in searches are searched for, not executed', async () => {
    await t.hub.ingest.ingest({ channelId: t.demoChannelId, externalId: 'inj-1', sender: { externalId: 'inj-visitor', name: "O'Brien 100%_done" }, text: "Robert'); DROP TABLE messages;--" });
    await t.hub.ingest.ingest({ channelId: t.demoChannelId, externalId: 'inj-2', sender: { externalId: 'plain-visitor', name: 'Alice' }, text: 'hello' });
    // Wildcards are characters: '%' and '_' find the one name that has them, not everyone.
    for (const q of ['%', '_', '100%']) {
      const res = await admin.call('GET', `/api/contacts?q=${encodeURIComponent(q)}`);
      expect(res.body.items.map((c: { name: string }) => c.name), q).toEqual(["O'Brien 100%_done"]);
    }
    const probes = [
      "' OR 1=1 --", '" OR ""="', "'; DROP TABLE conversations; --", '\\', "%' UNION SELECT password_hash FROM users --", '$1', '?', 'ﾟ∀ﾟ',
    ];
    for (const q of probes) {
      for (const path of ['/api/conversations?scope=all&q=', '/api/contacts?q=']) {
        const res = await admin.call('GET', path + encodeURIComponent(q));
        expect(res.status, `${path}${q}`).toBe(200);
        expect(res.body.items, `${path}${q}`).toEqual([]);
      }
    }
    for (const path of ['/api/conversations?scope=all&q=', '/api/contacts?q=']) {
      const res = await admin.call('GET', `${path}a%00b`);
      expect(res.status, path).toBe(400);
      expect(res.body.error.message, path).toContain('control characters');
    }
    // The literal text is still found: wildcards and quotes in the query are matched as characters.
    const found = await admin.call('GET', `/api/contacts?q=${encodeURIComponent("O'Brien 100%_")}`);
    expect(found.body.items.map((c: { name: string }) => c.name)).toEqual(["O'Brien 100%_done"]);
    const byText = await admin.call('GET', `/api/conversations?scope=all&q=${encodeURIComponent("'); DROP TABLE")}`);
    expect(byText.body.items).toHaveLength(1);
    expect((await admin.call('GET', '/api/conversations?scope=all')).body.items).toHaveLength(2);
  });
});
