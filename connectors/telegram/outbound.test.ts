import { describe, expect, it } from 'vitest';
import { planParts, splitText } from './outbound.js';

describe('telegram outbound', () => {
  it('keeps short text whole and splits long text at paragraph, line or word breaks', () => {
    expect(splitText('hi')).toEqual(['hi']);
    const para = 'a'.repeat(3000);
    expect(splitText(`${para}\n\n${para}`)).toEqual([para, para]);
    const words = Array.from({ length: 2000 }, (_, i) => `w${i}`).join(' ');
    const parts = splitText(words);
    expect(parts.every((p) => p.length <= 4096)).toBe(true);
    expect(parts.join(' ')).toBe(words);
  });

  it('never cuts a surrogate pair when there is no break', () => {
    const emoji = '😀'.repeat(3000);
    const parts = splitText(emoji);
    expect(parts.every((p) => p.length <= 4096 && !/[\uD800-\uDBFF]$/.test(p))).toBe(true);
    expect(parts.join('')).toBe(emoji);
  });

  it('sends images as photos, other files as documents, a short text as the first caption', () => {
    const a = (mimeType: string, size = 100) => ({ id: 1, fileName: 'f', mimeType, size, path: '/tmp/f' });
    expect(planParts({ text: 'look', attachments: [a('image/png'), a('application/pdf')] })).toEqual([
      { kind: 'photo', path: '/tmp/f', fileName: 'f', caption: 'look' },
      { kind: 'document', path: '/tmp/f', fileName: 'f' },
    ]);
    expect(planParts({ text: 'x', attachments: [a('image/png', 20 * 1024 * 1024)] })[0]).toMatchObject({ kind: 'document' });
    expect(planParts({ text: 'y'.repeat(2000), attachments: [a('image/gif')] }).map((p) => p.kind)).toEqual(['text', 'document']);
  });
});
