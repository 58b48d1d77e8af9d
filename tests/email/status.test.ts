import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/clients.js';
import { dovecotAvailable, freePort } from './helpers/dovecot.js';
import { customerMail } from './helpers/mail.js';
import { PASSWORD, startMailLab, type MailLab } from './helpers/setup.js';

describe.runIf(dovecotAvailable())('e-mail channel status and the test-connection action (Dovecot)', () => {
  let lab: MailLab;
  beforeAll(async () => {
    lab = await startMailLab(['status', 'secure']);
  });
  afterAll(() => lab?.stop());

  const test = async (user: string, extra: Record<string, unknown>) =>
    (await lab.admin.call('POST', '/api/channels/test', { type: 'email', settings: lab.settings(user, extra) })).body as { ok: boolean; message: string };

  it('says exactly what is wrong: authentication, folder, host, TLS', async () => {
    const ok = await test('status', {});
    expect(ok).toEqual({ ok: true, message: `IMAP: signed in to 127.0.0.1 as status; watching INBOX (0 messages). SMTP: connected to 127.0.0.1:${lab.smtp.port}.` });

    const folder = await test('status', { folders: ['INBOX', 'Support'] });
    expect(folder.message).toBe('Folder missing: "Support" not found in the mailbox status (it has: INBOX)');

    const closed = await freePort();
    expect((await test('status', { imapPort: closed })).message).toBe(`Host unreachable: IMAP 127.0.0.1:${closed} refused the connection (nothing listens on that port)`);
    expect((await test('status', { smtpPort: closed })).message).toBe(`Host unreachable: SMTP 127.0.0.1:${closed} refused the connection (nothing listens on that port)`);

    const plainPortWithTls = await test('status', { imapTls: 'tls' });
    expect(plainPortWithTls.message).toMatch(/^TLS error with IMAP 127\.0\.0\.1:\d+: the port does not speak TLS from the start/);
    const selfSigned = await test('status', { imapTls: 'tls', imapPort: lab.dovecot.imapsPort });
    expect(selfSigned.message).toMatch(/^TLS error with IMAP 127\.0\.0\.1:\d+: the server certificate is not trusted/);
    expect((await test('status', { imapTls: 'tls', imapPort: lab.dovecot.imapsPort, allowInvalidCertificates: true })).ok).toBe(true);
    expect((await test('status', { imapTls: 'starttls', allowInvalidCertificates: true })).ok).toBe(true);

    // Last: Dovecot slows down further logins from an address after a failed one.
    const auth = await test('status', { imapPassword: 'wrong' });
    expect(auth.ok).toBe(false);
    expect(auth.message).toMatch(/^Authentication failed at IMAP 127\.0\.0\.1:\d+: the server rejected the login or password/);
  });

  it('a wrong password shows as an error with a clear message, and the channel recovers when it is fixed', async () => {
    const created = await lab.admin.call('POST', '/api/channels', { type: 'email', name: 'Status', lineId: 1, settings: lab.settings('status', { imapPassword: 'wrong' }) });
    expect(created.status).toBe(201);
    expect(created.body.settings.imapPassword).toBe('********');
    const id = created.body.id as number;
    const failed = await lab.waitStatus(id, 'error');
    expect(failed.statusReason).toMatch(/^Authentication failed at IMAP 127\.0\.0\.1:\d+: the server rejected the login or password .*; retrying in \d+ s$/);

    expect((await lab.admin.call('PATCH', `/api/channels/${id}`, { settings: { imapPassword: PASSWORD } })).status).toBe(200);
    const fixed = await lab.waitStatus(id, 'connected');
    expect(fixed.statusReason).toBeNull();
    await lab.dovecot.deliver('status@shop.example', await customerMail({ from: 'z@client.example', to: 'status@shop.example', subject: 's', text: 'after the fix' }));
    await eventually(async () => (await lab.conversationsOf(id)).length === 1 || undefined, 'mail after the fix', 15_000);
  });

  it('a missing folder is named in the status; TLS channels connect with the certificate accepted', async () => {
    const missing = await lab.createChannel('Missing folder', 'status', { folders: ['INBOX', 'Nope'] });
    const st = await lab.waitStatus(missing, 'error');
    expect(st.statusReason).toMatch(/^Nope: Folder missing: "Nope" does not exist in the mailbox status; retrying in \d+ s$/);

    const secure = await lab.createChannel('TLS', 'secure', { imapTls: 'tls', imapPort: lab.dovecot.imapsPort, allowInvalidCertificates: true });
    await lab.waitStatus(secure, 'connected');
    await lab.dovecot.deliver('secure@shop.example', await customerMail({ from: 'y@client.example', to: 'secure@shop.example', subject: 's', text: 'over TLS' }));
    await eventually(async () => (await lab.conversationsOf(secure)).length === 1 || undefined, 'mail over TLS', 15_000);
  });
});
