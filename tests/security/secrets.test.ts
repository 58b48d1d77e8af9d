import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, login, type ApiClient } from '../helpers/clients.js';
import { startHub, type TestHub } from '../helpers/hub.js';

/**
 * Secrets go in (channel credentials, passwords) and must never come back out: not in an API answer,
 * not in a log line (at debug level, with connections failing and requests refused), not in the
 * database in plain text.
 */
describe('secrets never leave the hub', () => {
  let t: TestHub;
  let admin: ApiClient;
  const log: string[] = [];
  const SECRETS = {
    imapPassword: 'imap-SECRET-9f2c71d0',
    smtpPassword: 'smtp-SECRET-4be0a913',
    userPassword: 'user-SECRET-77aa01c3',
    wrongPassword: 'wrong-SECRET-0c9d8e7f',
  };

  beforeAll(async () => {
    const sink = new Writable({ write: (chunk, _enc, done) => (log.push(String(chunk)), done()) });
    t = await startHub({ hub: { logger: pino({ level: 'trace' }, sink) } });
    admin = await login(t.url, t.admin.email, t.admin.password);
  });
  afterAll(() => t.stop());

  it('channel credentials: masked in every answer, encrypted at rest, absent from logs while the mailbox fails', async () => {
    const settings = {
      imapHost: '127.0.0.1', imapPort: 1, imapTls: 'none', imapUser: 'shop@example.com', imapPassword: SECRETS.imapPassword,
      smtpHost: '127.0.0.1', smtpPort: 1, smtpTls: 'none', smtpPassword: SECRETS.smtpPassword, fromAddress: 'shop@example.com',
    };
    const answers: unknown[] = [];
    const created = await admin.call('POST', '/api/channels', { type: 'email', name: 'Shop mail', lineId: 1, settings });
    expect(created.status).toBe(201);
    answers.push(created.body);
    answers.push((await admin.call('POST', '/api/channels/test', { type: 'email', settings })).body);
    answers.push((await admin.call('PATCH', `/api/channels/${created.body.id}`, { name: 'Shop mail 2' })).body);
    answers.push((await admin.call('GET', '/api/channels')).body);
    answers.push((await admin.call('GET', '/api/openapi.json')).body);
    const text = JSON.stringify(answers);
    expect(text).not.toContain(SECRETS.imapPassword);
    expect(text).not.toContain(SECRETS.smtpPassword);
    expect(created.body.settings.imapPassword).toBe('********');

    const rows = await t.hub.db.manager.query('SELECT * FROM channels');
    expect(JSON.stringify(rows)).not.toContain(SECRETS.imapPassword);
    // The failing mailbox was logged (so the check below looks at real output), without its password.
    await eventually(() => log.some((l) => l.includes('refused the connection')), 'the connection failure in the log');
    expect(log.join('')).not.toContain(SECRETS.imapPassword);
    expect(log.join('')).not.toContain(SECRETS.smtpPassword);
  });

  it('user passwords and session cookies: absent from answers and logs, hashed at rest', async () => {
    const made = await admin.call('POST', '/api/users', { email: 'pat@test.local', name: 'Pat', password: SECRETS.userPassword });
    expect(made.status).toBe(201);
    const refused = await fetch(`${t.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'pat@test.local', password: SECRETS.wrongPassword }) });
    expect(refused.status).toBe(401);
    const pat = await login(t.url, 'pat@test.local', SECRETS.userPassword);
    const answers = JSON.stringify([made.body, (await admin.call('GET', '/api/users')).body, (await pat.call('GET', '/api/me')).body]);
    for (const s of [SECRETS.userPassword, SECRETS.wrongPassword]) {
      expect(answers).not.toContain(s);
      expect(log.join('')).not.toContain(s);
    }
    const cookieValue = pat.cookie.split('=')[1]!;
    expect(log.join('')).not.toContain(cookieValue);
    const [row] = await t.hub.db.manager.query("SELECT * FROM users WHERE email = 'pat@test.local'");
    expect(JSON.stringify(row)).not.toContain(SECRETS.userPassword);
  });

  it('the hub secret itself is never logged nor served', async () => {
    const answers = JSON.stringify([(await admin.call('GET', '/api/me')).body, await (await fetch(`${t.url}/healthz`)).json()]);
    expect(answers).not.toContain(t.hub.config.secret);
    expect(log.join('')).not.toContain(t.hub.config.secret);
  });
});
