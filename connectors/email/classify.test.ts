import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseEmail } from './parse.js';

const fixture = (name: string) => parseEmail(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));
const raw = (headers: string, body = 'hello') => parseEmail(Buffer.from(`From: a@client.example\r\nTo: s@shop.example\r\nMessage-ID: <x@y>\r\n${headers}\r\n\r\n${body}\r\n`));

describe('auto-replies, bulk mail and bounces', () => {
  it('a DSN bounce names our Message-ID and the SMTP reason', async () => {
    const p = await fixture('dsn-bounce.eml');
    expect(p.kind).toEqual({
      kind: 'bounce',
      originalMessageId: '<om.3.120.lx2m1@shop.example>',
      reason: 'Bounced for nobody@client.example: 550 5.1.1 <nobody@client.example>: Recipient address rejected: User unknown in virtual mailbox table (status 5.1.1)',
    });
  });

  it('an Exchange out-of-office and a newsletter are automatic, a person is not', async () => {
    expect((await fixture('autoreply.eml')).kind).toEqual({ kind: 'auto', reason: 'Auto-Submitted: auto-replied' });
    expect((await fixture('bulk-newsletter.eml')).kind).toEqual({ kind: 'auto', reason: 'Precedence: bulk' });
    expect((await fixture('gmail-reply.eml')).kind).toEqual({ kind: 'person' });
  });

  it('recognises each loop signal on its own', async () => {
    expect((await raw('Auto-Submitted: no')).kind.kind).toBe('person');
    expect((await raw('X-Autoreply: yes')).kind).toEqual({ kind: 'auto', reason: 'x-autoreply header' });
    expect((await raw('Precedence: junk')).kind).toEqual({ kind: 'auto', reason: 'Precedence: junk' });
    expect((await raw('Precedence: list')).kind).toEqual({ kind: 'auto', reason: 'Precedence: list' });
    expect((await raw('Return-Path: <>')).kind).toEqual({ kind: 'auto', reason: 'empty Return-Path' });
    expect((await raw('Subject: Автоматический ответ: Re: заказ')).kind).toEqual({ kind: 'auto', reason: 'auto-reply subject' });
  });

  it('a plain-text bounce from MAILER-DAEMON quoting our headers is a bounce too', async () => {
    const p = await parseEmail(Buffer.from([
      'From: MAILER-DAEMON@mx.example', 'To: support@shop.example', 'Subject: failure notice', 'Message-ID: <b1@mx.example>', '',
      'Sorry, we were unable to deliver your message to the following address.', '', '<x@gone.example>:', '550 5.1.1 mailbox unavailable', '',
      '--- Below this line is a copy of the message.', '', 'Message-ID: <om.1.5.abc@shop.example>', 'Subject: Re: hi', '',
    ].join('\r\n')));
    expect(p.kind).toMatchObject({ kind: 'bounce', originalMessageId: '<om.1.5.abc@shop.example>' });
    if (p.kind.kind === 'bounce') expect(p.kind.reason).toContain('550 5.1.1 mailbox unavailable');
  });

  it('a delayed-delivery report is not a failure', async () => {
    const p = await raw('Content-Type: multipart/report; report-type=delivery-status; boundary="b"', [
      '--b', 'Content-Type: text/plain', '', 'delayed', '--b', 'Content-Type: message/delivery-status', '',
      'Reporting-MTA: dns; mx', '', 'Final-Recipient: rfc822; x@y', 'Action: delayed', 'Status: 4.4.1', '--b--',
    ].join('\r\n'));
    expect(p.kind).toEqual({ kind: 'auto', reason: 'delivery report: delayed' });
  });
});
