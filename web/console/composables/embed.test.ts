import { describe, expect, it } from 'vitest';
import { embedSnippet, parseOrigins } from './embed';

describe('embed', () => {
  it('builds the snippet from the console origin and the public key', () => {
    expect(embedSnippet('https://hub.example', 'pk_123')).toBe('<script src="https://hub.example/widget.js" data-key="pk_123" async></script>');
  });
  it('parses origins, dropping paths, blanks and duplicates', () => {
    expect(parseOrigins('https://shop.example/cart\n\nhttp://localhost:8080, https://shop.example\nnot a url\nftp://x.example')).toEqual({
      origins: ['https://shop.example', 'http://localhost:8080'],
      invalid: ['not a url', 'ftp://x.example'],
    });
  });
});
