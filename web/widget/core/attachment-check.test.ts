import { describe, expect, it } from 'vitest';
import { checkAttachment, isAllowedType } from './attachment-check.js';

const rules = { enabled: true, maxBytes: 5 * 1024 * 1024, allowedTypes: ['image/*', 'application/pdf', '.docx'] };

describe('checkAttachment', () => {
  it('lets an allowed file within the limit through', () => {
    expect(checkAttachment({ name: 'receipt.pdf', size: 120_000, type: 'application/pdf' }, rules)).toBeNull();
  });

  it('explains a file over the limit with both sizes', () => {
    expect(checkAttachment({ name: 'video.png', size: 12 * 1024 * 1024, type: 'image/png' }, rules)).toBe('“video.png” is 12 MB; the limit is 5 MB.');
  });

  it('refuses other types, empty files and lines without attachments', () => {
    expect(checkAttachment({ name: 'setup.exe', size: 10, type: 'application/x-msdownload' }, rules)).toMatch(/can't be sent here/);
    expect(checkAttachment({ name: 'a.png', size: 0, type: 'image/png' }, rules)).toMatch(/is empty/);
    expect(checkAttachment({ name: 'a.png', size: 10, type: 'image/png' }, { ...rules, enabled: false })).toMatch(/turned off/);
  });

  it('treats maxBytes 0 as no client-side limit', () => {
    expect(checkAttachment({ name: 'a.png', size: 1e9, type: 'image/png' }, { ...rules, maxBytes: 0 })).toBeNull();
  });
});

describe('isAllowedType', () => {
  it('matches exact types, wildcards and extensions case-insensitively', () => {
    expect(isAllowedType({ name: 'x.JPG', type: 'image/jpeg' }, ['image/*'])).toBe(true);
    expect(isAllowedType({ name: 'Report.DOCX', type: '' }, ['.docx'])).toBe(true);
    expect(isAllowedType({ name: 'a.pdf', type: 'Application/PDF' }, ['application/pdf'])).toBe(true);
    expect(isAllowedType({ name: 'a.txt', type: 'text/plain' }, ['image/*', '.pdf'])).toBe(false);
  });

  it('allows nothing when the line lists no types', () => {
    expect(isAllowedType({ name: 'a.png', type: 'image/png' }, [])).toBe(false);
  });
});
