import { describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../shared/outbound.js';
import { composeReply, outboundMessageId, signatureFor } from './compose.js';
import { toSendError } from './outbound.js';
import { EmailSettings } from './settings.js';

const settings = (extra: Record<string, unknown> = {}) => EmailSettings.parse({
  imapHost: 'imap.shop.example', imapUser: 'support', imapPassword: 'p', smtpHost: 'smtp.shop.example', fromAddress: 'support@shop.example',
  fromName: '{operator} at Shop', signature: 'Kind regards,\n{operator}\nShop Support', ...extra,
});

const reply = (extra: Partial<OutboundMessage> = {}): OutboundMessage => ({
  messageId: 118, channelId: 3, conversationId: 9, recipientExternalId: 'anna@client.example', text: 'Your parcel ships today.', authorName: 'Olga',
  attachments: [{ id: 1, fileName: 'label.pdf', mimeType: 'application/pdf', size: 10, path: '/data/att/ab/abcd' }],
  createdAt: '2025-06-03T18:40:00.000Z', replyToken: '9-AbCdEfGhIjKl', automatic: false,
  inReplyTo: { externalId: '<c2@client.example>', meta: { subject: 'RE: Where is my order?' } },
  references: ['<c1@client.example>', '<om.3.110.x@shop.example>'], ...extra,
});

describe('an operator reply as e-mail', () => {
  it('carries Message-ID, In-Reply-To, References, a Re: subject with the tag, and both bodies with the signature', () => {
    const mail = composeReply(reply(), settings());
    expect(mail.messageId).toBe(outboundMessageId(reply(), 'shop.example'));
    expect(mail.messageId).toMatch(/^<om\.3\.118\.[a-z0-9]+@shop\.example>$/);
    expect(mail.inReplyTo).toBe('<c2@client.example>');
    expect(mail.references).toEqual(['<c1@client.example>', '<om.3.110.x@shop.example>', '<c2@client.example>']);
    expect(mail.subject).toBe('Re: Where is my order? [#9-AbCdEfGhIjKl]');
    expect(mail.from).toEqual({ name: 'Olga at Shop', address: 'support@shop.example' });
    expect(mail.to).toBe('anna@client.example');
    expect(mail.text).toBe('Your parcel ships today.\n\n-- \nKind regards,\nOlga\nShop Support');
    expect(mail.html).toContain('<p>Your parcel ships today.</p>');
    expect(mail.html).toContain('Kind regards,<br>Olga<br>Shop Support');
    expect(mail.attachments).toEqual([{ path: '/data/att/ab/abcd', filename: 'label.pdf', contentType: 'application/pdf' }]);
    expect(mail.replyTo).toBeUndefined();
  });

  it('the same message keeps its Message-ID on a retry', () => {
    expect(composeReply(reply(), settings()).messageId).toBe(composeReply(reply(), settings()).messageId);
  });

  it('plus-addressing puts the token in Reply-To; no tag when turned off; an operator signature wins', () => {
    const s = settings({ plusAddressing: true, subjectTag: false, operatorSignatures: { Olga: 'Olga, senior support' } });
    const mail = composeReply(reply(), s);
    expect(mail.replyTo).toBe('support+9-AbCdEfGhIjKl@shop.example');
    expect(mail.subject).toBe('Re: Where is my order?');
    expect(signatureFor(s, 'Olga')).toBe('Olga, senior support');
    expect(signatureFor(s, 'Ivan')).toBe('Kind regards,\nIvan\nShop Support');
  });

  it('a first message of ours (no customer mail yet) still has a subject', () => {
    const mail = composeReply(reply({ inReplyTo: null, references: [] }), settings({ fromName: 'Shop' }));
    expect(mail.subject).toBe('Shop [#9-AbCdEfGhIjKl]');
    expect(mail.inReplyTo).toBeUndefined();
    expect(mail.references).toBeUndefined();
  });
});

describe('SMTP answers as send results', () => {
  const s = settings();
  it('4xx and connection errors are retried, 5xx and a rejected login are final', () => {
    expect(toSendError({ responseCode: 451, response: '451 4.7.1 Try again later' }, s)).toMatchObject({ transient: true, message: 'SMTP smtp.shop.example:587 deferred the mail: 451 4.7.1 Try again later' });
    expect(toSendError({ responseCode: 550, response: '550 5.1.1 No such user' }, s)).toMatchObject({ transient: false, message: 'SMTP smtp.shop.example:587 refused the mail: 550 5.1.1 No such user' });
    expect(toSendError({ code: 'EAUTH', responseCode: 535, response: '535 5.7.8 Error: authentication failed' }, s)).toMatchObject({ transient: false });
    expect(toSendError({ code: 'EAUTH', response: '535' }, s).message).toMatch(/^Authentication failed/);
    expect(toSendError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }, s)).toMatchObject({ transient: true });
  });
  it('marks the hub\'s automatic texts Auto-Submitted, operator replies not', () => {
    expect(composeReply(reply({ automatic: true }), settings()).headers).toMatchObject({ 'Auto-Submitted': 'auto-replied' });
    expect(composeReply(reply(), settings()).headers).not.toHaveProperty('Auto-Submitted');
  });
});
