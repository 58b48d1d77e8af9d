import { describe, expect, it } from 'vitest';
import { WorkingHours } from '../../../shared/routing';
import { copyDay, formatHoliday, holidayOf, isOvernight, nextInterval, normalizeTime, overlappingDays, sortHolidays, weekBars, weeklyMinutes, type Week } from './working-hours';

const empty = (): Week => ({ mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] });
const span = (b: { start: number; end: number }) => [b.start / 60, b.end / 60];

describe('weekBars', () => {
  it('places a split shift as two bars on its day', () => {
    const week = { ...empty(), mon: [{ from: '14:00', to: '18:00' }, { from: '09:00', to: '13:00' }] };
    const bars = weekBars(week);
    expect(bars.mon.map(span)).toEqual([[9, 13], [14, 18]]);
    expect(bars.mon.map((b) => b.part)).toEqual(['whole', 'whole']);
    // Sorted by start, each still points at the interval it draws.
    expect(bars.mon.map((b) => b.source.index)).toEqual([1, 0]);
  });

  it('draws an overnight shift up to midnight and wraps its tail into the next day', () => {
    const bars = weekBars({ ...empty(), fri: [{ from: '22:00', to: '06:00' }] });
    expect(bars.fri.map(span)).toEqual([[22, 24]]);
    expect(bars.fri[0]!.part).toBe('head');
    expect(bars.sat.map(span)).toEqual([[0, 6]]);
    expect(bars.sat[0]).toMatchObject({ part: 'tail', source: { day: 'fri', index: 0 } });
  });

  it('wraps Sunday night into Monday', () => {
    const bars = weekBars({ ...empty(), sun: [{ from: '23:30', to: '01:15' }] });
    expect(bars.mon).toHaveLength(1);
    expect(bars.mon[0]).toMatchObject({ start: 0, end: 75, part: 'tail', source: { day: 'sun' } });
  });

  it('ends at midnight without an empty tail and skips what is not a valid interval', () => {
    const bars = weekBars({ ...empty(), tue: [{ from: '20:00', to: '00:00' }, { from: '9', to: '10:00' }, { from: '10:00', to: '10:00' }] });
    expect(bars.tue.map(span)).toEqual([[20, 24]]);
    expect(bars.wed).toEqual([]);
  });

  it('agrees with the schema defaults: five office days', () => {
    const { week } = WorkingHours.parse({});
    expect(weeklyMinutes(week)).toBe(5 * 9 * 60);
  });
});

describe('overlappingDays', () => {
  it('finds overlaps, including an overnight tail running into the next morning', () => {
    expect(overlappingDays({ ...empty(), mon: [{ from: '09:00', to: '13:00' }, { from: '14:00', to: '18:00' }] })).toEqual([]);
    expect(overlappingDays({ ...empty(), mon: [{ from: '09:00', to: '13:00' }, { from: '12:00', to: '18:00' }] })).toEqual(['mon']);
    expect(overlappingDays({ ...empty(), mon: [{ from: '22:00', to: '08:00' }], tue: [{ from: '07:00', to: '12:00' }] })).toEqual(['tue']);
    expect(overlappingDays({ ...empty(), wed: [{ from: '08:00', to: '18:00' }, { from: '10:00', to: '11:00' }, { from: '19:00', to: '20:00' }] })).toEqual(['wed']);
  });
});

describe('time entry', () => {
  it('normalizes what people type', () => {
    expect(normalizeTime('9')).toBe('09:00');
    expect(normalizeTime('930')).toBe('09:30');
    expect(normalizeTime('2215')).toBe('22:15');
    expect(normalizeTime('9.30')).toBe('09:30');
    expect(normalizeTime(' 7:5 ')).toBe('07:05');
    expect(normalizeTime('24:00')).toBe('00:00');
    expect(normalizeTime('25:00')).toBe('25:00');
    expect(normalizeTime('noon')).toBe('noon');
  });

  it('knows an overnight interval', () => {
    expect(isOvernight({ from: '22:00', to: '06:00' })).toBe(true);
    expect(isOvernight({ from: '06:00', to: '22:00' })).toBe(false);
  });

  it('suggests the next interval of a day', () => {
    expect(nextInterval([])).toEqual({ from: '09:00', to: '18:00' });
    expect(nextInterval([{ from: '09:00', to: '13:00' }])).toEqual({ from: '14:00', to: '17:00' });
    expect(nextInterval([{ from: '09:00', to: '21:30' }])).toEqual({ from: '22:30', to: '06:00' });
    expect(nextInterval([{ from: '09:00', to: '19:00' }])).toEqual({ from: '20:00', to: '23:00' });
    expect(nextInterval([{ from: '18:00', to: '02:00' }])).toEqual({ from: '22:00', to: '06:00' });
  });

  it('copies a day onto others without sharing objects', () => {
    const week = { ...empty(), mon: [{ from: '09:00', to: '13:00' }] };
    const next = copyDay(week, 'mon', ['tue', 'wed', 'mon']);
    expect(next.tue).toEqual(week.mon);
    expect(next.tue[0]).not.toBe(week.mon[0]);
    expect(next.thu).toEqual([]);
  });
});

describe('holidays', () => {
  it('takes a date or its yearly month-day', () => {
    expect(holidayOf('2026-12-31', false)).toBe('2026-12-31');
    expect(holidayOf('2026-12-25', true)).toBe('12-25');
    expect(holidayOf('12-25', false)).toBe('12-25');
    expect(holidayOf('2026-13-01', false)).toBeNull();
    expect(holidayOf('', true)).toBeNull();
  });

  it('sorts yearly first and drops duplicates', () => {
    expect(sortHolidays(['2027-01-01', '12-25', '2026-12-31', '01-01', '12-25'])).toEqual(['01-01', '12-25', '2026-12-31', '2027-01-01']);
  });

  it('formats dates in the reader language', () => {
    expect(formatHoliday('2026-12-31', 'en-GB')).toBe('31 Dec 2026');
    expect(formatHoliday('12-25', 'en-GB')).toBe('25 Dec');
  });
});
