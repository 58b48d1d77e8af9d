import { describe, expect, it } from 'vitest';
import { SecretBox } from './secret-box.js';

describe('SecretBox', () => {
  const box = new SecretBox('x'.repeat(40));

  it('seals so that the clear text is not stored and tampering is detected', () => {
    const sealed = box.seal('{"token":"bot-secret"}');
    expect(sealed).not.toContain('bot-secret');
    expect(box.open(sealed)).toBe('{"token":"bot-secret"}');
    const parts = sealed.split('.');
    parts[3] = parts[3]!.slice(0, -2) + (parts[3]!.endsWith('A') ? 'BB' : 'AA');
    expect(() => box.open(parts.join('.'))).toThrow();
    expect(() => new SecretBox('y'.repeat(40)).open(sealed)).toThrow();
  });

  it('seals bytes as they are: binary survives, and tampering is detected', () => {
    const bytes = Buffer.from([0, 255, 0xc3, 0x28, 10, 0]);
    const sealed = box.seal(bytes);
    expect(box.openBytes(sealed).equals(bytes)).toBe(true);
    expect(() => new SecretBox('y'.repeat(40)).openBytes(sealed)).toThrow();
  });

  it('signs per purpose: a token for one use is worthless for another', () => {
    const token = box.sign('visitor', { v: 'abc' });
    expect(box.verify('visitor', token)).toEqual({ v: 'abc' });
    expect(box.verify('file', token)).toBeNull();
    expect(box.verify('visitor', token.replace(/.$/, (c) => (c === 'a' ? 'b' : 'a')))).toBeNull();
    expect(box.verify('visitor', 'garbage')).toBeNull();
  });
});
