import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isIgnored } from './addresses.js';
import { decodeMail } from './inbound.js';
import { parseEmail } from './parse.js';

const parsed = async (name: string) => {
  const p = await parseEmail(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));
  return { ...p, from: p.from! };
};
const none = { attachmentIds: [], cids: new Map(), skipped: [] };

describe('a received mail as an InboundMessage', () => {
  it('Gmail reply: identity by lower-cased address, name from From, refs, token, folded quote, Cc kept in meta', async () => {
    const m = decodeMail(await parsed('gmail-reply.eml'), none);
    expect(m.externalId).toBe('<CAF1xq9g7kL+Zy3=Q@mail.gmail.example>');
    expect(m.sender).toEqual({ externalId: 'anna.k@gmail.example', name: 'Anna K', email: 'anna.k@gmail.example' });
    expect(m.threadRefs).toEqual(['<om.3.118.lx2k9@shop.example>', '<CAF1xq9f0=ab12@mail.gmail.example>']);
    expect(m.threadKey).toBe('<CAF1xq9f0=ab12@mail.gmail.example>');
    expect(m.replyToken).toBe('42-ZyXwVuTsRqPo');
    expect(m.text).toContain('> Hello Anna'); // history kept in storage
    expect(m.meta).toMatchObject({ subject: 'Re: Return label [#42-ZyXwVuTsRqPo]', cc: ['boris@family.example'], quotedFrom: 51 });
    expect(m.html).toMatch(/^<div dir="ltr">Got it, thank you! I will send it back on Friday.<\/div><br \/><blockquote lang="x-quoted">/);
  });

  it('Outlook reply without In-Reply-To/References: no refs, the subject token carries the thread', async () => {
    const m = decodeMail(await parsed('outlook-reply-no-headers.eml'), none);
    expect(m.sender.externalId).toBe('ivan.petrov@client.example');
    expect(m.threadRefs).toEqual([]);
    expect(m.replyToken).toBe('17-AbCdEfGhIjKl');
    expect(m.text!.slice(m.meta!.quotedFrom as number)).toMatch(/^From: Shop Support/);
    expect(m.html).toContain('<blockquote lang="x-quoted"><div>\n<p><b>From:</b> Shop Support');
    expect(m.html).not.toMatch(/<style|MsoNormal|o:p/);
  });

  it('hostile HTML: no scripts, handlers, forms or frames; cid image points at the stored file; remote image kept for on-demand loading', async () => {
    const m = decodeMail(await parsed('html-hostile.eml'), { attachmentIds: [7, 8], cids: new Map([['shot@eve', '/api/attachments/7']]), skipped: [] });
    const html = m.html!;
    expect(html).not.toMatch(/<script|alert|onerror|onclick|<form|<input|<button|<iframe|javascript:|<style|display:none/i);
    expect(html).toContain('<img alt="screenshot" src="/api/attachments/7" />');
    expect(html).toContain('src="https://tracker.attacker.example/pixel.gif"');
    expect(html).toContain('<img />');
    expect(m.attachmentIds).toEqual([7, 8]);
  });

  it('skipped attachments are recorded with the reason and noted in the text; the mail is still a message', async () => {
    const skipped = [{ fileName: 'video.mp4', size: 31 * 1024 * 1024, reason: 'larger than the 10.0 MB limit' }];
    const m = decodeMail(await parsed('html-hostile.eml'), { attachmentIds: [8], cids: new Map([['shot@eve', null]]), skipped });
    expect(m.meta!.skippedAttachments).toEqual(skipped);
    expect(m.text).toContain('[Attachment not stored: video.mp4 (31.0 MB): larger than the 10.0 MB limit]');
    expect(m.html).toContain('Attachment not stored: video.mp4');
    expect(m.html).toContain('<img alt="screenshot" />');
  });

  it('auto-replies are flagged so nothing answers them automatically', async () => {
    const m = decodeMail(await parsed('autoreply.eml'), none);
    expect(m.meta).toMatchObject({ autoReply: true, autoReplyReason: 'Auto-Submitted: auto-replied' });
  });

  it('a mail without a Message-ID gets a stable one from its content', async () => {
    const a = decodeMail(await parsed('no-message-id.eml'), none);
    const b = decodeMail(await parsed('no-message-id.eml'), none);
    expect(a.externalId).toMatch(/^<[0-9a-f]{40}@no-message-id\.omniline>$/);
    expect(a.externalId).toBe(b.externalId);
  });

  it('ignores listed addresses and domains (and their subdomains)', () => {
    const list = ['noreply@shop.example', 'spam.example', '@lists.example'];
    expect(isIgnored('NoReply@shop.example', list)).toBe(true);
    expect(isIgnored('a@spam.example', list)).toBe(true);
    expect(isIgnored('a@mx.spam.example', list)).toBe(true);
    expect(isIgnored('a@lists.example', list)).toBe(true);
    expect(isIgnored('a@notspam.example', list)).toBe(false);
    expect(isIgnored('sales@shop.example', list)).toBe(false);
  });
});
