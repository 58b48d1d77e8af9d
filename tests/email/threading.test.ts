import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/clients.js';
import { dovecotAvailable } from './helpers/dovecot.js';
import { customerMail } from './helpers/mail.js';
import { startMailLab, type MailLab } from './helpers/setup.js';
import type { Received } from './helpers/smtp.js';

describe.runIf(dovecotAvailable())('e-mail threading, replies and bounces (Dovecot + SMTP server)', () => {
  let lab: MailLab;
  let channelId: number;
  beforeAll(async () => {
    lab = await startMailLab(['help']);
    channelId = await lab.createChannel('Help mail', 'help', { signature: 'Kind regards,\n{operator}\nShop Support' });
    await lab.waitStatus(channelId, 'connected');
  });
  afterAll(() => lab?.stop());

  const deliver = async (o: Parameters<typeof customerMail>[0]) => {
    const raw = await customerMail({ to: 'help@shop.example', ...o });
    await lab.dovecot.deliver('help@shop.example', raw);
    return /^Message-ID: (<[^>]+>)/im.exec(raw.toString())![1]!;
  };
  const conversationWith = (text: string) =>
    eventually(async () => {
      for (const c of await lab.conversationsOf(channelId)) if ((await lab.messagesOf(c.id)).some((m) => m.text.startsWith(text))) return c;
      return undefined;
    }, `conversation with "${text}"`, 15_000);
  const reply = async (conversationId: number, text: string, extra: Record<string, unknown> = {}) => {
    const before = lab.smtp.received.length;
    const r = await lab.admin.call('POST', `/api/conversations/${conversationId}/messages`, { text, ...extra });
    expect(r.status).toBe(201);
    return eventually(() => lab.smtp.received.slice(before).find((m) => (m.mail.text ?? '').startsWith(text)), `reply "${text}" at the SMTP server`, 15_000);
  };
  const refsOf = (m: Received) => [m.mail.references ?? []].flat();

  it('a 5-message back-and-forth stays one conversation, also when the client drops In-Reply-To and References', async () => {
    const first = await deliver({ from: 'Ivan Petrov <ivan@client.example>', subject: 'Order 1042 delayed', text: 'My order is late.' });
    const conv = await conversationWith('My order is late.');

    const r1 = await reply(conv.id, 'It left the warehouse today.');
    expect(r1.to).toEqual(['ivan@client.example']);
    expect(r1.mail.inReplyTo).toBe(first);
    expect(refsOf(r1)).toEqual([first]);
    expect(r1.mail.subject).toMatch(/^Re: Order 1042 delayed \[#\d+-[A-Za-z0-9_-]{12}\]$/);
    expect(r1.mail.messageId).toMatch(/^<om\.\d+\.\d+\.[a-z0-9]+@shop\.example>$/);
    expect(r1.mail.from?.value[0]).toEqual({ address: 'help@shop.example', name: 'Shop Support' });
    expect(r1.mail.text).toContain('-- \nKind regards,\nAdministrator\nShop Support');
    expect(r1.mail.html).toContain('<p>It left the warehouse today.</p>');

    const second = await deliver({ from: 'ivan@client.example', subject: `Re: ${r1.mail.subject}`, inReplyTo: r1.mail.messageId, references: [first, r1.mail.messageId!], text: 'Thanks, tracking number?' });
    expect((await conversationWith('Thanks, tracking number?')).id).toBe(conv.id);

    const r2 = await reply(conv.id, 'Tracking: ZX123.');
    expect(r2.mail.inReplyTo).toBe(second);
    expect(refsOf(r2)).toEqual([first, r1.mail.messageId, second]);

    // Outlook-style: the client kept only the subject (with our tag) and dropped the threading headers.
    const tag = /\[#[^\]]+\]/.exec(r2.mail.subject!)![0];
    await deliver({ from: 'Ivan Petrov <IVAN@client.example>', subject: `RE: Order 1042 delayed ${tag}`, text: 'Still not here.\n\nFrom: Shop Support <help@shop.example>\nSent: today\nTo: Ivan\n\nTracking: ZX123.' });
    expect((await conversationWith('Still not here.')).id).toBe(conv.id);

    const thread = await lab.messagesOf(conv.id);
    expect(thread.map((m) => `${m.direction}:${m.text.split('\n')[0]}`)).toEqual([
      'in:My order is late.', 'out:It left the warehouse today.', 'in:Thanks, tracking number?', 'out:Tracking: ZX123.', 'in:Still not here.',
    ]);
    await eventually(async () => (await lab.messagesOf(conv.id)).filter((m) => m.direction === 'out').every((m) => m.deliveryStatus === 'sent'), 'replies marked sent');
    // The quoted history is stored and folded for display.
    expect(thread[4]!.html).toContain('<blockquote lang="x-quoted">');
    expect(thread[4]!.text).toContain('Tracking: ZX123.');
  });

  it('a new thread from the same sender opens a new conversation; a token from someone else is not honoured', async () => {
    await deliver({ from: 'ivan@client.example', subject: 'Another question', text: 'Do you sell lamps?' });
    const lamps = await conversationWith('Do you sell lamps?');
    const r = await reply(lamps.id, 'Yes, we do.');
    const tag = /\[#[^\]]+\]/.exec(r.mail.subject!)![0];
    await deliver({ from: 'mallory@evil.example', subject: `Re: Another question ${tag}`, text: 'Hijack attempt.' });
    const other = await conversationWith('Hijack attempt.');
    expect(other.id).not.toBe(lamps.id);
    expect((await lab.conversationsOf(channelId)).length).toBe(3);
  });

  it('a bounce for our reply marks that message failed with the reason', async () => {
    await deliver({ from: 'nobody@client.example', subject: 'Question', text: 'Please answer to this address.' });
    const conv = await conversationWith('Please answer to this address.');
    const sent = await reply(conv.id, 'Here is our answer.');
    await eventually(async () => (await lab.messagesOf(conv.id)).find((m) => m.text.startsWith('Here is our answer.') && m.deliveryStatus === 'sent'), 'reply marked sent');
    const dsn = [
      'From: MAILER-DAEMON@mx.shop.example (Mail Delivery System)', 'To: help@shop.example', 'Subject: Undelivered Mail Returned to Sender',
      `Message-ID: <bounce-${Date.now()}@mx.shop.example>`, 'Auto-Submitted: auto-replied', 'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="B"', '',
      '--B', 'Content-Type: text/plain', '', 'Your message could not be delivered.', '',
      '--B', 'Content-Type: message/delivery-status', '', 'Reporting-MTA: dns; mx.shop.example', '',
      'Final-Recipient: rfc822; nobody@client.example', 'Action: failed', 'Status: 5.1.1',
      'Diagnostic-Code: smtp; 550 5.1.1 <nobody@client.example>: Recipient address rejected: User unknown', '',
      '--B', 'Content-Type: text/rfc822-headers', '', 'From: Shop Support <help@shop.example>', 'To: nobody@client.example',
      `Message-ID: ${sent.mail.messageId}`, 'Subject: Re: Question', '', '--B--', '',
    ].join('\r\n');
    await lab.dovecot.deliver('help@shop.example', dsn, '');
    const failed = await eventually(async () => (await lab.messagesOf(conv.id)).find((m) => m.text.startsWith('Here is our answer.') && m.deliveryStatus === 'failed'), 'failed reply', 15_000);
    expect(failed.deliveryError).toBe('Bounced for nobody@client.example: 550 5.1.1 <nobody@client.example>: Recipient address rejected: User unknown (status 5.1.1)');
    // The report itself is not a customer message.
    expect((await lab.messagesOf(conv.id)).filter((m) => m.direction === 'in')).toHaveLength(1);
  });

  it('transient 4xx answers are retried; a 5xx answer fails the reply with the SMTP answer; files go along', async () => {
    await deliver({ from: 'gina@client.example', subject: 'Invoice', text: 'Please send the invoice.' });
    const conv = await conversationWith('Please send the invoice.');
    lab.smtp.answerNext(451, '4.7.1 Greylisted, try again later', 2);
    const refusedBefore = lab.smtp.refused;
    const form = new FormData();
    form.append('file', new Blob(['%PDF-1.4 invoice'], { type: 'application/pdf' }), 'invoice.pdf');
    const up = await fetch(`${lab.t.url}/api/uploads`, { method: 'POST', body: form, headers: { cookie: lab.admin.cookie, 'x-csrf-token': lab.admin.session.csrfToken } });
    const upload = (await up.json()) as { id: number };
    const got = await reply(conv.id, 'Invoice attached.', { attachmentIds: [upload.id] });
    expect(lab.smtp.refused - refusedBefore).toBe(2);
    expect(lab.smtp.received.filter((m) => (m.mail.text ?? '').startsWith('Invoice attached.'))).toHaveLength(1);
    expect(got.mail.attachments.map((a) => a.filename)).toEqual(['invoice.pdf']);
    await eventually(async () => (await lab.messagesOf(conv.id)).find((m) => m.text === 'Invoice attached.' && m.deliveryStatus === 'sent'), 'sent after retries');

    lab.smtp.answerNext(550, '5.1.1 Mailbox does not exist');
    await lab.admin.call('POST', `/api/conversations/${conv.id}/messages`, { text: 'This one bounces at once.' });
    const failed = await eventually(async () => (await lab.messagesOf(conv.id)).find((m) => m.text === 'This one bounces at once.' && m.deliveryStatus === 'failed'), 'failed on 5xx');
    expect(failed.deliveryError).toMatch(/^SMTP 127\.0\.0\.1:\d+ refused the mail: 550 5\.1\.1 Mailbox does not exist/);
  });

  it('a transcript mails the public dialog and never an internal note', async () => {
    await deliver({ from: 'Hana <hana@client.example>', subject: 'Warranty', text: 'Is my kettle under warranty?' });
    const conv = await conversationWith('Is my kettle under warranty?');
    await lab.admin.call('POST', `/api/conversations/${conv.id}/notes`, { text: 'INTERNAL: she broke it herself' });
    await reply(conv.id, 'Yes, for two years.');
    // Public history holds our replies once they are marked sent, which follows the SMTP answer.
    await eventually(async () => (await lab.messagesOf(conv.id)).find((m) => m.text === 'Yes, for two years.' && m.deliveryStatus === 'sent'), 'reply marked sent');
    const before = lab.smtp.received.length;
    const r = await lab.admin.call('POST', `/api/conversations/${conv.id}/transcript`);
    expect(r.body).toEqual({ sent: 2 });
    const mail = await eventually(() => lab.smtp.received.slice(before).find((m) => m.mail.subject?.startsWith('Transcript')), 'transcript');
    expect(mail.to).toEqual(['hana@client.example']);
    expect(mail.mail.text).toContain('Is my kettle under warranty?');
    expect(mail.mail.text).toContain('Yes, for two years.');
    expect(mail.raw.toString()).not.toContain('INTERNAL');
  });
});
