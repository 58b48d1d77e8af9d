import { describe, expect, it } from 'vitest';
import { safeFileName } from './attachment.store.js';

describe('safeFileName', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\windows\\system.ini', 'system.ini'],
    ['report "final".pdf', 'report _final_.pdf'],
    ['.htaccess', 'htaccess'],
    ['', 'file'],
    ['a\u0000b.txt', 'a_b.txt'],
  ])('%j → %j', (input, expected) => expect(safeFileName(input)).toBe(expected));

  it('keeps the end of an overlong name, where the extension is', () => {
    expect(safeFileName('x'.repeat(300) + '.png')).toHaveLength(200);
    expect(safeFileName('x'.repeat(300) + '.png').endsWith('.png')).toBe(true);
  });
});
