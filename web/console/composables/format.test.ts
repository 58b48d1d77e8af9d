import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatListTime, initials } from './format';

describe('format', () => {
  it('formats waiting durations compactly', () => {
    expect(formatDuration(-5)).toBe('0s');
    expect(formatDuration(45_000)).toBe('45s');
    expect(formatDuration(185_000)).toBe('3m 05s');
    expect(formatDuration(2 * 3600_000 + 4 * 60_000)).toBe('2h 04m');
    expect(formatDuration(3 * 86400_000 + 2 * 3600_000)).toBe('3d 2h');
  });
  it('formats sizes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(25 * 1024 * 1024)).toBe('25 MB');
  });
  it('shows the time for today and a date otherwise', () => {
    const now = new Date('2024-05-01T15:00:00');
    expect(formatListTime(new Date('2024-05-01T09:05:00').toISOString(), 'en-GB', now)).toBe('09:05');
    expect(formatListTime(new Date('2024-03-02T09:05:00').toISOString(), 'en-GB', now)).toBe('2 Mar');
    expect(formatListTime('garbage', 'en', now)).toBe('');
  });
  it('makes initials', () => {
    expect(initials('Anna Petrova')).toBe('AP');
    expect(initials('olga')).toBe('O');
    expect(initials('  ')).toBe('?');
    expect(initials('Анна Мария Петрова')).toBe('АП');
  });
});
