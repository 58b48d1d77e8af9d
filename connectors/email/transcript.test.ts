import { describe, expect, it } from 'vitest';
import type { PublicMessage } from '../contract.js';
import { renderTranscript } from './transcript.js';

const msg = (id: number, direction: 'in' | 'out', text: string, extra: Partial<PublicMessage> = {}): PublicMessage => ({
  id, externalId: null, direction, text, authorName: direction === 'out' ? 'Olga' : null, attachments: [], createdAt: `2025-06-03T10:0${id}:00.000Z`, ...extra,
});

describe('transcript e-mail', () => {
  it('lists the dialog in order with names, times and files, escaping the text', () => {
    const t = renderTranscript([
      msg(1, 'in', 'Where is <my> order?'),
      msg(2, 'out', 'It ships today.', { attachments: [{ id: 5, fileName: 'label.pdf', mimeType: 'application/pdf', size: 3 }] }),
    ], { contactName: 'Anna', title: 'Shop Support' });
    expect(t.subject).toBe('Transcript of your conversation with Shop Support');
    expect(t.text).toContain('Anna, 3 Jun 2025, 10:01:\nWhere is <my> order?');
    expect(t.text).toContain('Olga, 3 Jun 2025, 10:02:\nIt ships today.\n[label.pdf]');
    expect(t.html).toContain('Where is &lt;my&gt; order?');
    expect(t.html).not.toContain('<my>');
  });

  it('drops anything that is not public even if handed one', () => {
    const note = { ...msg(3, 'out', 'INTERNAL: customer is difficult'), visibility: 'internal' } as PublicMessage;
    const t = renderTranscript([msg(1, 'in', 'hi'), note], { contactName: 'Anna', title: 'Shop' });
    expect(t.text).not.toContain('INTERNAL');
    expect(t.html).not.toContain('INTERNAL');
  });
});
