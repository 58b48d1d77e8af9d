import { describe, expect, it } from 'vitest';
import { formatBytes, formatMessageTime } from './format.js';

describe('formatBytes', () => {
  it('uses binary units with one decimal below 10', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(10 * 1024 * 1024)).toBe('10 MB');
    expect(formatBytes(3.25 * 1024 ** 3)).toBe('3.3 GB');
  });
});

describe('formatMessageTime', () => {
  const now = new Date('2025-05-01T15:00:00Z');

  it('shows only the time for today', () => {
    expect(formatMessageTime('2025-05-01T09:05:00Z', now, 'en-GB', 'UTC')).toBe('09:05');
  });

  it('adds the date for earlier days', () => {
    expect(formatMessageTime('2025-04-28T18:30:00Z', now, 'en-GB', 'UTC')).toBe('28 Apr, 18:30');
  });

  it('decides "today" in the visitor’s time zone', () => {
    expect(formatMessageTime('2025-05-01T01:00:00Z', now, 'en-GB', 'America/New_York')).toBe('30 Apr, 21:00');
  });

  it('shows nothing for an unparsable date rather than "Invalid Date"', () => {
    expect(formatMessageTime('yesterday', now)).toBe('');
  });
});
