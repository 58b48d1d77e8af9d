import { describe, expect, it } from 'vitest';
import { sanitizeCustomerHtml } from './sanitize-html.js';

describe('sanitizeCustomerHtml', () => {
  it.each([
    ['<p>hi<script>alert(1)</script></p>', '<p>hi</p>'],
    ['<img src="x" onerror="alert(1)">', '<img src="x" />'],
    ['<form action="https://evil"><input name="pw"><button>go</button></form>ok', 'go' + 'ok'],
    ['<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer nofollow" target="_blank">x</a>'],
    ['<iframe src="https://evil"></iframe><style>body{display:none}</style>text', 'text'],
    ['<div style="position:fixed;top:0">overlay</div>', '<div>overlay</div>'],
  ])('%s', (input, expected) => expect(sanitizeCustomerHtml(input)).toBe(expected));

  it('keeps formatting, links, tables and inline images', () => {
    const html = '<p><b>Order</b> <a href="https://shop.example/o/1">#1</a></p><table><tr><td colspan="2">x</td></tr></table><img src="cid:logo@x">';
    expect(sanitizeCustomerHtml(html)).toBe(
      '<p><b>Order</b> <a href="https://shop.example/o/1" rel="noopener noreferrer nofollow" target="_blank">#1</a></p><table><tr><td colspan="2">x</td></tr></table><img src="cid:logo@x" />',
    );
  });
});
