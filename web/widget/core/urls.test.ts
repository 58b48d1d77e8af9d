import { describe, expect, it } from 'vitest';
import { safeHttpUrl } from './urls.js';

describe('safeHttpUrl', () => {
  it('resolves server-relative paths against the Omniline origin', () => {
    expect(safeHttpUrl('/api/attachments/3?token=t', 'https://hub.example')).toBe('https://hub.example/api/attachments/3?token=t');
  });

  it('keeps absolute http(s) links', () => {
    expect(safeHttpUrl('http://example.com/a b')).toBe('http://example.com/a%20b');
  });

  it('refuses script-bearing and unparsable URLs', () => {
    for (const bad of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,<b>', 'vbscript:x', 'http://[bad']) {
      expect(safeHttpUrl(bad, 'https://hub.example')).toBeNull();
    }
  });
});
