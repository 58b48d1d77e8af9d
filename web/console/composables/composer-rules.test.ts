import { describe, expect, it } from 'vitest';
import { canSend, checkFile, FALLBACK_CAPABILITIES, maxLength, previewTemplate, replyWindow, replyWindowClosed, templateVariableCount } from './composer-rules';

const sms = { ...FALLBACK_CAPABILITIES, attachments: false, maxTextLength: 160 };
const wa = { ...FALLBACK_CAPABILITIES, maxAttachmentBytes: 1000, replyWindowHours: 24 };

describe('composer rules', () => {
  it('limits text by channel for replies, not for notes', () => {
    expect(maxLength(sms, 'reply')).toBe(160);
    expect(maxLength(sms, 'note')).toBe(20_000);
  });
  it('checks files against the channel', () => {
    expect(checkFile({ name: 'a.png', size: 10 }, sms, 'reply')?.key).toBe('composer.noAttachments');
    expect(checkFile({ name: 'a.png', size: 5000 }, wa, 'reply')?.key).toBe('composer.fileTooLarge');
    expect(checkFile({ name: 'a.png', size: 500 }, wa, 'reply')).toBeNull();
    expect(checkFile({ name: 'a.png', size: 500 }, wa, 'note')?.key).toBe('composer.noteNoAttachments');
  });
  it('knows when a reply window has closed', () => {
    const now = Date.parse('2024-05-02T12:00:00Z');
    expect(replyWindowClosed(wa, '2024-05-01T11:00:00Z', now)).toBe(true);
    expect(replyWindowClosed(wa, '2024-05-01T13:00:00Z', now)).toBe(false);
    expect(replyWindowClosed(sms, '2024-01-01T00:00:00Z', now)).toBe(false);
    expect(replyWindowClosed(wa, null, now)).toBe(false);
  });
  it('allows sending only something valid', () => {
    const base = { text: 'hi', mode: 'reply' as const, attachments: 0, uploading: false, caps: sms };
    expect(canSend(base)).toBe(true);
    expect(canSend({ ...base, text: '   ' })).toBe(false);
    expect(canSend({ ...base, text: '', attachments: 1 })).toBe(true);
    expect(canSend({ ...base, text: '', attachments: 1, mode: 'note' })).toBe(false);
    expect(canSend({ ...base, uploading: true })).toBe(false);
    expect(canSend({ ...base, text: 'x'.repeat(161) })).toBe(false);
    expect(canSend({ ...base, text: 'x'.repeat(161), mode: 'note' })).toBe(true);
  });
});

describe('reply window and templates', () => {
  const now = Date.parse('2024-05-02T12:00:00Z');
  it('counts the time left from the newest client message', () => {
    expect(replyWindow(wa, '2024-05-02T09:00:00Z', now)).toEqual({ state: 'open', minutesLeft: 21 * 60 });
    expect(replyWindow(wa, '2024-05-01T12:30:00Z', now)).toEqual({ state: 'open', minutesLeft: 30 });
    expect(replyWindow(wa, '2024-05-01T11:59:00Z', now)).toEqual({ state: 'closed' });
    expect(replyWindow(wa, null, now)).toEqual({ state: 'none' });
    expect(replyWindow(FALLBACK_CAPABILITIES, '2024-01-01T00:00:00Z', now)).toEqual({ state: 'none' });
  });
  it('finds the variables of a template and previews it', () => {
    expect(templateVariableCount('Hi {{1}}, your order {{2}} ships {{ 3 }}; thanks {{1}}')).toBe(3);
    expect(templateVariableCount('No variables')).toBe(0);
    expect(previewTemplate('Hi {{1}}, order {{2}}', ['Ann', ' '])).toBe('Hi Ann, order {{2}}');
  });
});
