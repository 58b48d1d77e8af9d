import { describe, expect, it } from 'vitest';
import { durationParts, formatSpan, joinDuration, splitDuration } from './durations';

const label = (p: { n: number; unit: string }) => `${p.n} ${p.unit}`;

describe('durations', () => {
  it('shows seconds as the largest two units', () => {
    expect(formatSpan(60, label, 'off')).toBe('1 min');
    expect(formatSpan(90, label, 'off')).toBe('1 min 30 s');
    expect(formatSpan(5400, label, 'off')).toBe('1 h 30 min');
    expect(formatSpan(43_200, label, 'off')).toBe('12 h');
    expect(formatSpan(86_400 + 300, label, 'off')).toBe('1 d');
    expect(formatSpan(45, label, 'off')).toBe('45 s');
    expect(formatSpan(0, label, 'off')).toBe('off');
    expect(durationParts(3 * 86_400 + 2 * 3600 + 5)).toEqual([{ n: 3, unit: 'd' }, { n: 2, unit: 'h' }]);
  });

  it('splits a stored value into a number and the largest exact unit', () => {
    expect(splitDuration(60, 's', ['s', 'min', 'h'])).toEqual({ amount: 1, unit: 'min' });
    expect(splitDuration(90, 's', ['s', 'min', 'h'])).toEqual({ amount: 90, unit: 's' });
    expect(splitDuration(7200, 's', ['s', 'min', 'h'])).toEqual({ amount: 2, unit: 'h' });
    expect(splitDuration(240, 'min', ['min', 'h', 'd'])).toEqual({ amount: 4, unit: 'h' });
    expect(splitDuration(2880, 'min', ['min', 'h', 'd'])).toEqual({ amount: 2, unit: 'd' });
    expect(splitDuration(0, 's', ['s', 'min', 'h'], 'min')).toEqual({ amount: 0, unit: 'min' });
  });

  it('joins a number and a unit back into the stored unit', () => {
    expect(joinDuration(1, 'min', 's')).toBe(60);
    expect(joinDuration(1.5, 'h', 'min')).toBe(90);
    expect(joinDuration(2, 'd', 'min')).toBe(2880);
    expect(joinDuration(-1, 'min', 's')).toBe(0);
    expect(joinDuration(Number.NaN, 'min', 's')).toBe(0);
  });
});
