import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load.js';
import { emailConnector } from '../../connectors/email/index.js';
import { MessageEntity } from '../../server/conversations/message.entity.js';
import { createHub } from '../../server/hub.js';
import { eventually, login } from '../helpers/clients.js';
import { ADMIN } from '../helpers/hub.js';
import { dovecotAvailable, freePort } from './helpers/dovecot.js';
import { customerMail } from './helpers/mail.js';
import { PASSWORD, startMailLab, type MailLab } from './helpers/setup.js';

const DAY = 86_400_000;

describe.runIf(dovecotAvailable())('e-mail sync after downtime and renumbering (Dovecot)', () => {
  let lab: MailLab;
  beforeAll(async () => {
    lab = await startMailLab(['down', 'renum', 'live', 'flaky', 'restart']);
  });
  afterAll(() => lab?.stop());

  const inboundCount = async (channelId: number) => lab.t.hub.db.manager.count(MessageEntity, { where: { channelId, direction: 'in' } });
  const mails = (to: string, prefix: string, n: number) =>
    Promise.all(Array.from({ length: n }, (_, i) => customerMail({ from: `client${i % 4}@client.example`, to, subject: `${prefix} ${i}`, text: `${prefix} mail ${i}` })));

  it('20 mails that arrive while the channel is stopped are all taken in once, however old, without a look-back window', async () => {
    const id = await lab.createChannel('Down', 'down', { firstSyncDays: 1 });
    await lab.waitStatus(id, 'connected');
    await lab.dovecot.deliver('down@shop.example', await customerMail({ from: 'first@client.example', to: 'down@shop.example', subject: 's', text: 'before downtime' }));
    await eventually(async () => (await inboundCount(id)) === 1, 'first mail');
    expect((await lab.admin.call('PATCH', `/api/channels/${id}`, { enabled: false })).status).toBe(200);

    const batch = await mails('down@shop.example', 'Downtime', 20);
    // A quarter of them carry an arrival date a month back: far beyond firstSyncDays, still after the checkpoint.
    for (const [i, raw] of batch.entries()) await lab.dovecot.append('down', 'INBOX', raw, i % 4 === 0 ? new Date(Date.now() - 30 * DAY) : undefined);
    expect((await lab.admin.call('PATCH', `/api/channels/${id}`, { enabled: true })).status).toBe(200);
    await eventually(async () => (await inboundCount(id)) === 21, '21 mails', 20_000);

    // A second restart reads nothing again: the checkpoint moved past every committed mail.
    await lab.admin.call('PATCH', `/api/channels/${id}`, { enabled: false });
    await lab.admin.call('PATCH', `/api/channels/${id}`, { enabled: true });
    await lab.waitStatus(id, 'connected');
    await lab.dovecot.deliver('down@shop.example', await customerMail({ from: 'last@client.example', to: 'down@shop.example', subject: 's', text: 'after restart' }));
    await eventually(async () => (await inboundCount(id)) === 22, 'the next mail');
    const texts = (await lab.t.hub.db.manager.find(MessageEntity, { where: { channelId: id, direction: 'in' } })).map((m) => m.text);
    expect(new Set(texts).size).toBe(22);
    for (let i = 0; i < 20; i++) expect(texts).toContain(`Downtime mail ${i}`);
  });

  it('a UIDVALIDITY change re-syncs without duplicates (dedupe by Message-ID)', async () => {
    const c = await lab.dovecot.client('renum');
    await c.mailboxCreate('Support');
    await c.logout();
    const id = await lab.createChannel('Renumbered', 'renum', { folders: ['Support'] });
    await lab.waitStatus(id, 'connected');
    const first = await mails('renum@shop.example', 'Renum', 3);
    for (const raw of first) await lab.dovecot.append('renum', 'Support', raw);
    await eventually(async () => (await inboundCount(id)) === 3, '3 mails');
    const before = JSON.parse((await lab.t.hub.db.manager.query("SELECT value FROM connector_state WHERE channel_id = ? AND key = 'imap:Support'", [id]))[0].value);

    await lab.admin.call('PATCH', `/api/channels/${id}`, { enabled: false });
    const admin = await lab.dovecot.client('renum');
    await admin.mailboxDelete('Support');
    await admin.mailboxCreate('Support');
    await admin.logout();
    // The same three mails come back under new UIDs, plus one that is really new.
    for (const raw of first) await lab.dovecot.append('renum', 'Support', raw);
    await lab.dovecot.append('renum', 'Support', await customerMail({ from: 'new@client.example', to: 'renum@shop.example', subject: 'n', text: 'really new' }));
    await lab.admin.call('PATCH', `/api/channels/${id}`, { enabled: true });
    await eventually(async () => (await inboundCount(id)) === 4, 'the new mail', 20_000);
    const after = await eventually(async () => {
      const cp = JSON.parse((await lab.t.hub.db.manager.query("SELECT value FROM connector_state WHERE channel_id = ? AND key = 'imap:Support'", [id]))[0].value);
      return cp.lastUid === 4 ? cp : undefined;
    }, 'checkpoint under the new UIDVALIDITY');
    expect(after.uidValidity).not.toBe(before.uidValidity);
    expect(await inboundCount(id)).toBe(4);
  });

  it('a folder deleted and created again while the channel runs is noticed at the next poll and re-synced without duplicates', async () => {
    const c = await lab.dovecot.client('live');
    await c.mailboxCreate('Support');
    await c.logout();
    const id = await lab.createChannel('Live renumber', 'live', { folders: ['Support'], pollSeconds: 5 });
    await lab.waitStatus(id, 'connected');
    const old = await customerMail({ from: 'a@client.example', to: 'live@shop.example', subject: 's', text: 'kept once' });
    await lab.dovecot.append('live', 'Support', old);
    await eventually(async () => (await inboundCount(id)) === 1, 'first mail');
    const admin = await lab.dovecot.client('live');
    await admin.mailboxDelete('Support');
    await admin.mailboxCreate('Support');
    await admin.logout();
    await lab.dovecot.append('live', 'Support', old);
    await lab.dovecot.append('live', 'Support', await customerMail({ from: 'b@client.example', to: 'live@shop.example', subject: 's', text: 'after renumbering' }));
    await eventually(async () => (await inboundCount(id)) === 2, 'mail after renumbering', 20_000);
    await lab.waitStatus(id, 'connected');
    expect(await inboundCount(id)).toBe(2);
  });

  it('a dropped connection shows as an error, reconnects with backoff, and mail sent meanwhile arrives', async () => {
    const id = await lab.createChannel('Flaky', 'flaky');
    await lab.waitStatus(id, 'connected');
    const restarting = lab.dovecot.restart();
    const down = await lab.waitStatus(id, 'error', 10_000);
    expect(down.statusReason).toMatch(/IMAP 127\.0\.0\.1:\d+.*retrying in \d+ s$/);
    await restarting;
    await lab.dovecot.deliver('flaky@shop.example', await customerMail({ from: 'x@client.example', to: 'flaky@shop.example', subject: 's', text: 'during the outage' }));
    await lab.waitStatus(id, 'connected');
    await eventually(async () => (await inboundCount(id)) === 1, 'mail after reconnect', 15_000);
  });

  it('a real hub restart on the same data folder continues from the checkpoint', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'omniline-email-restart-'));
    const port = await freePort();
    const config = loadConfig({ DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: `http://localhost:${port}`, HUB_ADMIN_EMAIL: ADMIN.email, HUB_ADMIN_PASSWORD: ADMIN.password, LOG_LEVEL: 'silent', NODE_ENV: 'test' });
    const boot = async () => {
      const hub = await createHub(config, { logger: pino({ level: 'silent' }) });
      hub.registry.add(emailConnector({ backoffMs: () => 300 }));
      const { url } = await hub.start();
      return { hub, url };
    };
    const count = (h: Awaited<ReturnType<typeof boot>>['hub'], channelId: number) => h.db.manager.count(MessageEntity, { where: { channelId, direction: 'in' } });
    let run = await boot();
    try {
      const admin = await login(run.url, ADMIN.email, ADMIN.password);
      const created = await admin.call('POST', '/api/channels', { type: 'email', name: 'Restart', lineId: 1, settings: lab.settings('restart', { imapPassword: PASSWORD }) });
      const id = created.body.id as number;
      await lab.dovecot.deliver('restart@shop.example', await customerMail({ from: 'a@client.example', to: 'restart@shop.example', subject: 's', text: 'before stop' }));
      await eventually(async () => (await count(run.hub, id)) === 1, 'first mail', 15_000);
      await run.hub.stop();
      for (const raw of await mails('restart@shop.example', 'While stopped', 5)) await lab.dovecot.append('restart', 'INBOX', raw);
      run = await boot();
      await eventually(async () => (await count(run.hub, id)) === 6, 'mail from the stopped time', 15_000);
    } finally {
      await run.hub.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
