import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../shared/events.js';
import { eventually, operatorSocket } from '../helpers/clients.js';
import { dovecotAvailable } from './helpers/dovecot.js';
import { customerMail } from './helpers/mail.js';
import { startMailLab, type MailLab } from './helpers/setup.js';

const fixture = (name: string) => readFileSync(new URL(`../../connectors/email/fixtures/${name}`, import.meta.url));

describe.runIf(dovecotAvailable())('e-mail inbound against a real Dovecot', () => {
  let lab: MailLab;
  let channelId: number;
  let events: EventEnvelope[];
  let closeSocket: () => void;
  beforeAll(async () => {
    lab = await startMailLab(['support', 'readers', 'big']);
    // The poll fallback is an hour away: whatever arrives in these tests came by IDLE push.
    channelId = await lab.createChannel('Support mail', 'support', { maxAttachmentBytes: 4096, ignore: ['noreply@ignored.example', 'spam.example'] });
    await lab.waitStatus(channelId, 'connected');
    const op = await operatorSocket(lab.t.url, lab.admin.cookie);
    events = op.events;
    closeSocket = () => op.socket.close();
  });
  afterAll(async () => {
    closeSocket?.();
    await lab?.stop();
  });

  const created = (text: string) => events.find((e) => e.type === 'message.created' && e.payload.message.text.startsWith(text));

  it('a new mail becomes a conversation and a lead, pushed to the operator by IDLE', async () => {
    const raw = await customerMail({ from: '"Anna Buyer" <Anna.Buyer@Client.example>', to: 'support@shop.example', subject: 'Where is my order?', text: 'Order 1042 has not arrived.' });
    const sentAt = Date.now();
    await lab.dovecot.deliver('support@shop.example', raw);
    const e = await eventually(() => created('Order 1042'), 'message.created', 15_000);
    const latency = Date.now() - sentAt;
    console.info(`[email] IDLE delivery latency (LMTP delivery → operator socket event): ${latency} ms`);
    if (e.type !== 'message.created') throw new Error('unreachable');
    expect(e.payload.conversation.contactName).toBe('Anna Buyer');
    const lead = await eventually(() => events.find((x) => x.type === 'lead.created'), 'lead.created');
    expect(lead.type).toBe('lead.created');
    const conv = await lab.admin.call('GET', `/api/conversations/${e.payload.conversation.id}`);
    const contact = await lab.admin.call('GET', `/api/contacts/${conv.body.contactId}`);
    expect(contact.body).toMatchObject({ name: 'Anna Buyer', email: 'anna.buyer@client.example' });
  });

  it('hostile HTML is sanitized; the inline image and the attachment are stored; an over-limit file is skipped with the reason', async () => {
    await lab.dovecot.deliver('support@shop.example', fixture('html-hostile.eml'));
    const e = await eventually(() => created('Hello, see the screenshot'), 'hostile mail');
    if (e.type !== 'message.created') throw new Error('unreachable');
    const m = e.payload.message;
    expect(m.html).not.toMatch(/<script|alert|onerror|onclick|<form|<input|<button|<iframe|javascript:/i);
    expect(m.attachments.map((a) => a.fileName).sort()).toEqual(['notes.txt', 'shot.png']);
    const shot = m.attachments.find((a) => a.fileName === 'shot.png')!;
    expect(m.html).toContain(`src="/api/attachments/${shot.id}"`);
    expect(m.html).toContain('https://tracker.attacker.example/pixel.gif'); // kept, loaded only when the operator asks
    const file = await fetch(`${lab.t.url}/api/attachments/${shot.id}`, { headers: { cookie: lab.admin.cookie } });
    expect(file.headers.get('content-type')).toBe('image/png');

    const big = await customerMail({
      from: 'bob@client.example', to: 'support@shop.example', subject: 'Logs', text: 'Logs attached.',
      attachments: [{ filename: 'huge.log', content: Buffer.alloc(10_000, 'x') }, { filename: 'small.txt', content: 'ok' }],
    });
    await lab.dovecot.deliver('support@shop.example', big);
    const b = await eventually(() => created('Logs attached.'), 'mail with a big file');
    if (b.type !== 'message.created') throw new Error('unreachable');
    expect(b.payload.message.attachments.map((a) => a.fileName)).toEqual(['small.txt']);
    expect(b.payload.message.text).toContain('[Attachment not stored: huge.log (10 KB): larger than the 4 KB limit]');
  });

  it('mail that reached us by Bcc or through an alias is kept; ignored senders and our own address are not', async () => {
    const bcc = await customerMail({ from: 'carol@client.example', to: 'partner@elsewhere.example', subject: 'FYI', text: 'Sent to a partner, us in Bcc.' });
    await lab.dovecot.deliver('support@shop.example', bcc);
    const alias = await customerMail({ from: 'dan@client.example', to: 'sales@shop.example', subject: 'Quote', text: 'Written to the sales alias.' });
    await lab.dovecot.deliver('support+sales@shop.example', alias);
    for (const from of ['noreply@ignored.example', 'news@mx.spam.example', 'support@shop.example']) {
      await lab.dovecot.deliver('support@shop.example', await customerMail({ from, to: 'support@shop.example', subject: 'x', text: `ignored from ${from}` }));
    }
    const last = await customerMail({ from: 'erin@client.example', to: 'support@shop.example', subject: 'Last', text: 'Arrives after the ignored ones.' });
    await lab.dovecot.deliver('support@shop.example', last);
    await eventually(() => created('Arrives after the ignored ones.'), 'mail after the ignored ones');
    expect(created('Sent to a partner')).toBeTruthy();
    expect(created('Written to the sales alias')).toBeTruthy();
    expect(events.some((e) => e.type === 'message.created' && e.payload.message.text.startsWith('ignored from'))).toBe(false);
  });

  it('an auto-reply is taken in and flagged; mail is left unread unless the channel says so', async () => {
    await lab.dovecot.deliver('support@shop.example', fixture('autoreply.eml'));
    const e = await eventually(() => created('I am out of the office'), 'auto-reply');
    if (e.type !== 'message.created') throw new Error('unreachable');
    const stored = await lab.t.hub.db.manager.query('SELECT meta FROM messages WHERE id = ?', [e.payload.message.id]);
    expect(JSON.parse(stored[0].meta)).toMatchObject({ autoReply: true, autoReplyReason: 'Auto-Submitted: auto-replied' });

    const flagsIn = async (user: string) => {
      const c = await lab.dovecot.client(user);
      await c.mailboxOpen('INBOX', { readOnly: true });
      const all = await c.fetchAll('1:*', { flags: true });
      await c.logout();
      return all.map((m) => m.flags?.has('\\Seen') ?? false);
    };
    expect((await flagsIn('support')).every((seen) => !seen)).toBe(true);

    const readers = await lab.createChannel('Marks read', 'readers', { markAsRead: true });
    await lab.waitStatus(readers, 'connected');
    await lab.dovecot.deliver('readers@shop.example', await customerMail({ from: 'fay@client.example', to: 'readers@shop.example', subject: 'hi', text: 'Mark me read.' }));
    await eventually(() => created('Mark me read.'), 'mail on the marking channel');
    await eventually(async () => (await flagsIn('readers')).every((seen) => seen) || undefined, '\\Seen set', 10_000);
  });

  it('a mail above the size limit is taken in by its headers, saying it was not downloaded', async () => {
    const id = await lab.createChannel('Small limit', 'big', { maxMessageBytes: 64 * 1024 });
    await lab.waitStatus(id, 'connected');
    const raw = await customerMail({ from: 'Gus <gus@client.example>', to: 'big@shop.example', subject: 'Scans', text: 'All scans attached.', attachments: [{ filename: 'scan.pdf', content: Buffer.alloc(200_000, 1) }] });
    await lab.dovecot.deliver('big@shop.example', raw);
    const e = await eventually(() => created('[This e-mail is'), 'oversized mail', 15_000);
    if (e.type !== 'message.created') throw new Error('unreachable');
    expect(e.payload.message.text).toMatch(/^\[This e-mail is \d+ KB, above the 64 KB limit of this channel; open it in the mailbox to read it\]$/);
    expect(e.payload.conversation.contactName).toBe('Gus');
  });
});
