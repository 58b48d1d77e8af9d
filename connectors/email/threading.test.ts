import { describe, expect, it } from 'vitest';
import { findReplyToken, messageIdsIn, normalizeMessageId, plusAddress, replyReferences, replySubject, tagSubject, threadKey, threadRefs } from './threading.js';

describe('e-mail threading facts', () => {
  it('normalizes Message-IDs to the bracketed form', () => {
    expect(normalizeMessageId('  abc@x ')).toBe('<abc@x>');
    expect(normalizeMessageId('<abc@x>')).toBe('<abc@x>');
    expect(normalizeMessageId('')).toBeNull();
    expect(messageIdsIn('<a@x> <b@x>\r\n <c@x>')).toEqual(['<a@x>', '<b@x>', '<c@x>']);
    expect(messageIdsIn(['<a@x>', 'b@x'])).toEqual(['<a@x>', '<b@x>']);
  });

  it('matches by In-Reply-To first, then References newest first; the thread key is the root', () => {
    const h = { messageId: '<m3@x>', inReplyTo: ['<m2@x>'], references: ['<m1@x>', '<m2@x>'] };
    expect(threadRefs(h)).toEqual(['<m2@x>', '<m1@x>']);
    expect(threadKey(h)).toBe('<m1@x>');
    expect(threadKey({ messageId: '<m@x>', inReplyTo: [], references: [] })).toBe('<m@x>');
    expect(threadKey({ messageId: '<m@x>', inReplyTo: ['<p@x>'], references: [] })).toBe('<p@x>');
  });

  it('finds the reply token in a plus-address or a subject tag', () => {
    expect(findReplyToken(['someone@x', 'support+12-AbCdEfGhIjKl@shop.example'], 'hi')).toBe('12-AbCdEfGhIjKl');
    expect(findReplyToken(['support@shop.example'], 'RE: Order [#7-abcdefghij_-]')).toBe('7-abcdefghij_-');
    expect(findReplyToken(['support@shop.example'], 'Order #7')).toBeUndefined();
  });

  it('builds the reply subject, tag and plus-address once', () => {
    expect(replySubject('RE: Re: Fwd: Order 1042', 'x')).toBe('Re: Order 1042');
    expect(replySubject('Ответ: Заказ', 'x')).toBe('Re: Заказ');
    expect(replySubject('', 'Your request')).toBe('Re: Your request');
    expect(tagSubject(tagSubject('Re: Order', '1-aaaaaaaaaaaa'), '1-aaaaaaaaaaaa')).toBe('Re: Order [#1-aaaaaaaaaaaa]');
    expect(plusAddress('support@shop.example', '1-aaaaaaaaaaaa')).toBe('support+1-aaaaaaaaaaaa@shop.example');
  });

  it('References of a reply end with the mail answered, without repeats, capped with the root kept', () => {
    expect(replyReferences(['<a@x>', '<b@x>', '<a@x>'], '<c@x>')).toEqual(['<b@x>', '<a@x>', '<c@x>']);
    const many = Array.from({ length: 30 }, (_, i) => `<m${i}@x>`);
    const refs = replyReferences(many, '<last@x>');
    expect(refs).toHaveLength(20);
    expect(refs[0]).toBe('<m0@x>');
    expect(refs.at(-1)).toBe('<last@x>');
  });
});
