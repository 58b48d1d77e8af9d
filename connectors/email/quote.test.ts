import { describe, expect, it } from 'vitest';
import { findHtmlQuote, findTextQuote } from './quote.js';

describe('quoted history', () => {
  it('finds Gmail, Outlook and Russian attributions in text', () => {
    const gmail = 'Thanks!\n\nOn Tue, 3 Jun 2025 at 18:40, Shop <s@x> wrote:\n> old';
    expect(gmail.slice(findTextQuote(gmail)!)).toMatch(/^On Tue/);
    const wrapped = 'Ok\n\nOn Tue, 3 Jun 2025 at 18:40, Shop Support\n<support@shop.example> wrote:\n> old';
    expect(wrapped.slice(findTextQuote(wrapped)!)).toMatch(/^On Tue/);
    const outlook = 'Still nothing.\n\nFrom: Shop <s@x>\nSent: Monday, June 2, 2025 4:02 PM\nTo: Ivan\n\nold';
    expect(outlook.slice(findTextQuote(outlook)!)).toMatch(/^From: Shop/);
    const original = 'See below\n-----Original Message-----\nFrom: a';
    expect(original.slice(findTextQuote(original)!)).toMatch(/^-----Original/);
    const ru = 'Спасибо\n\n3 июня 2025 г., в 18:40, Магазин <s@x> написал:\n> старое';
    expect(ru.slice(findTextQuote(ru)!)).toMatch(/^3 июня/);
    const bottom = 'My answer\n\n> quoted line\n>\n> more';
    expect(bottom.slice(findTextQuote(bottom)!)).toMatch(/^> quoted/);
  });

  it('does not fold a mail that is all quote or has no quote', () => {
    expect(findTextQuote('> only a quote\n> here')).toBeNull();
    expect(findTextQuote('Hello,\nFrom: the shop I bought a lamp.\nThanks')).toBeNull();
    expect(findTextQuote('Inline > arrows are not quotes\nbye')).toBeNull();
  });

  it('finds quote markers in HTML after some content', () => {
    const gmail = '<div dir="ltr">Hi</div><div class="gmail_quote">On … wrote:<blockquote>old</blockquote></div>';
    expect(gmail.slice(findHtmlQuote(gmail)!)).toMatch(/^<div class="gmail_quote"/);
    const owa = '<p>New</p><div id="appendonsend"></div><hr><div id="divRplyFwdMsg">From: …</div><p>old</p>';
    expect(owa.slice(findHtmlQuote(owa)!)).toMatch(/^<div id="appendonsend"/);
    const apple = '<p>New</p><blockquote type="cite">old</blockquote>';
    expect(apple.slice(findHtmlQuote(apple)!)).toMatch(/^<blockquote/);
    expect(findHtmlQuote('<head><title>x</title></head><div class="gmail_quote">only quote</div>')).toBeNull();
    expect(findHtmlQuote('<p>no quote</p>')).toBeNull();
  });
});
