import { describe, expect, it } from 'vitest';
import { splitLinks } from './linkify.js';

describe('splitLinks', () => {
  it('returns plain text untouched', () => {
    expect(splitLinks('no links <b>here</b>')).toEqual([{ kind: 'text', text: 'no links <b>here</b>' }]);
  });

  it('finds http and https links and leaves sentence punctuation outside', () => {
    expect(splitLinks('See https://northwind.example/tyres, or http://x.example/a?b=1.')).toEqual([
      { kind: 'text', text: 'See ' },
      { kind: 'link', text: 'https://northwind.example/tyres', href: 'https://northwind.example/tyres' },
      { kind: 'text', text: ', or ' },
      { kind: 'link', text: 'http://x.example/a?b=1', href: 'http://x.example/a?b=1' },
      { kind: 'text', text: '.' },
    ]);
  });

  it('keeps a closing parenthesis only when the link opened one', () => {
    expect(splitLinks('(https://a.example/x)')[1]).toMatchObject({ text: 'https://a.example/x' });
    expect(splitLinks('https://en.wikipedia.org/wiki/Bicycle_(disambiguation)')[0]).toMatchObject({ text: 'https://en.wikipedia.org/wiki/Bicycle_(disambiguation)' });
  });

  it('never links other schemes', () => {
    const parts = splitLinks('javascript:alert(1) ftp://files.example data:text/html,x');
    expect(parts.every((p) => p.kind === 'text')).toBe(true);
  });

  it('does not let a quote or angle bracket end up inside a link', () => {
    expect(splitLinks('"https://a.example/x"<script>')[1]).toMatchObject({ kind: 'link', href: 'https://a.example/x' });
  });
});
