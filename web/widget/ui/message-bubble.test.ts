// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import type { VisitorMessage } from '../../../shared/visitor-socket.js';
import { renderMessage, renderOutgoing, renderText } from './message-bubble.js';

const base: VisitorMessage = { id: 1, clientId: null, direction: 'out', text: '', authorName: 'Anna', attachments: [], createdAt: '2025-05-01T10:00:00.000Z' };
const opts = { origin: 'https://hub.example', showAuthor: true, now: new Date('2025-05-01T12:00:00Z'), onImageLoad: () => {} };

describe('renderText', () => {
  it('shows markup as text, never as elements', () => {
    const el = renderText('<img src=x onerror=alert(1)> & <b>bold</b>');
    expect(el.querySelector('img, b')).toBeNull();
    expect(el.textContent).toBe('<img src=x onerror=alert(1)> & <b>bold</b>');
  });

  it('links http(s) URLs in a new tab without giving the page an opener', () => {
    const a = renderText('Manual: https://northwind.example/manual.pdf').querySelector('a');
    expect(a?.getAttribute('href')).toBe('https://northwind.example/manual.pdf');
    expect(a?.getAttribute('target')).toBe('_blank');
    expect(a?.getAttribute('rel')).toContain('noopener');
  });
});

describe('renderMessage', () => {
  it('resolves attachment links against the Omniline server and shows images inline', () => {
    const el = renderMessage(
      {
        ...base,
        attachments: [
          { id: 1, fileName: 'bike.jpg', mimeType: 'image/jpeg', size: 2048, url: '/api/attachments/1?token=t' },
          { id: 2, fileName: 'invoice.pdf', mimeType: 'application/pdf', size: 4096, url: 'javascript:alert(1)' },
        ],
      },
      opts,
    );
    expect(el.querySelector('img')?.getAttribute('src')).toBe('https://hub.example/api/attachments/1?token=t');
    expect(el.querySelectorAll('a')).toHaveLength(1);
    expect(el.textContent).toContain('invoice.pdf (4 KB)');
  });

  it('names the operator only at the start of their run', () => {
    expect(renderMessage({ ...base, text: 'hi' }, opts).querySelector('.author')?.textContent).toBe('Anna');
    expect(renderMessage({ ...base, text: 'hi' }, { ...opts, showAuthor: false }).querySelector('.author')).toBeNull();
    expect(renderMessage({ ...base, direction: 'in', text: 'hi' }, opts).className).toBe('msg mine');
  });
});

describe('renderOutgoing', () => {
  it('offers a retry button for a failed message', () => {
    const onRetry = vi.fn();
    const el = renderOutgoing({ clientId: 'c1234567', text: 'hi', file: null, state: 'failed', error: 'Not delivered.', createdAt: '' }, onRetry);
    const button = el.querySelector('button');
    expect(button?.textContent).toBe('Not delivered. Tap to retry');
    button?.click();
    expect(onRetry).toHaveBeenCalledWith('c1234567');
  });

  it('says sending while in flight', () => {
    const el = renderOutgoing({ clientId: 'c1234567', text: 'hi', file: null, state: 'sending', error: null, createdAt: '' }, () => {});
    expect(el.textContent).toContain('Sending…');
    expect(el.querySelector('button')).toBeNull();
  });
});
