import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { WorkingHours } from '../../shared/routing.js';
import { isOpen, nextOpening } from './working-hours.js';

const at = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toMillis();

describe('working hours', () => {
  const berlin = WorkingHours.parse({
    enabled: true, timezone: 'Europe/Berlin',
    week: { mon: [{ from: '09:00', to: '13:00' }, { from: '14:00', to: '18:00' }], tue: [{ from: '09:00', to: '18:00' }], wed: [], thu: [], fri: [{ from: '22:00', to: '06:00' }], sat: [], sun: [] },
    holidays: ['2026-11-03', '12-25'],
  });

  it('is always open when turned off', () => {
    expect(isOpen(WorkingHours.parse({}), at('2026-11-22T03:00', 'UTC'))).toBe(true);
  });

  it('knows split shifts and interval ends', () => {
    expect(isOpen(berlin, at('2026-11-23T09:00', 'Europe/Berlin'))).toBe(true);
    expect(isOpen(berlin, at('2026-11-23T13:30', 'Europe/Berlin'))).toBe(false);
    expect(isOpen(berlin, at('2026-11-23T17:59', 'Europe/Berlin'))).toBe(true);
    expect(isOpen(berlin, at('2026-11-23T18:00', 'Europe/Berlin'))).toBe(false);
  });

  it('keeps an overnight window open past midnight, on the day it started', () => {
    expect(isOpen(berlin, at('2026-11-27T23:30', 'Europe/Berlin'))).toBe(true); // Friday night
    expect(isOpen(berlin, at('2026-11-28T05:59', 'Europe/Berlin'))).toBe(true); // Saturday early morning
    expect(isOpen(berlin, at('2026-11-28T06:00', 'Europe/Berlin'))).toBe(false);
    expect(isOpen(berlin, at('2026-11-27T21:59', 'Europe/Berlin'))).toBe(false);
  });

  it('closes on single and yearly holidays', () => {
    expect(isOpen(berlin, at('2026-11-03T10:00', 'Europe/Berlin'))).toBe(false); // a Tuesday
    expect(isOpen(berlin, at('2026-11-10T10:00', 'Europe/Berlin'))).toBe(true); // the next Tuesday
    const yearly = WorkingHours.parse({ ...berlin, week: { ...berlin.week, fri: [{ from: '09:00', to: '18:00' }] } });
    expect(isOpen(yearly, at('2026-12-25T10:00', 'Europe/Berlin'))).toBe(false); // Friday, Christmas
    expect(isOpen(yearly, at('2026-12-18T10:00', 'Europe/Berlin'))).toBe(true);
  });

  it('follows the wall clock across a daylight-saving change', () => {
    const ny = WorkingHours.parse({ enabled: true, timezone: 'America/New_York', week: { sun: [{ from: '01:00', to: '04:00' }], mon: [{ from: '09:00', to: '17:00' }], tue: [], wed: [], thu: [], fri: [], sat: [] } });
    // 2026-03-08: clocks jump from 02:00 to 03:00 in New York; 09:00 Monday is 13:00 UTC, not 14:00.
    expect(isOpen(ny, Date.parse('2026-03-09T13:00:00Z'))).toBe(true);
    expect(isOpen(ny, Date.parse('2026-03-09T12:59:00Z'))).toBe(false);
    // The Sunday shift 01:00–04:00 lasts two real hours that night.
    expect(isOpen(ny, Date.parse('2026-03-08T06:30:00Z'))).toBe(true); // 01:30 EST
    expect(isOpen(ny, Date.parse('2026-03-08T07:30:00Z'))).toBe(true); // 03:30 EDT
    expect(isOpen(ny, Date.parse('2026-03-08T08:00:00Z'))).toBe(false); // 04:00 EDT
    // In autumn 09:00 is 14:00 UTC again.
    expect(isOpen(ny, Date.parse('2026-11-02T13:30:00Z'))).toBe(false);
    expect(isOpen(ny, Date.parse('2026-11-02T14:00:00Z'))).toBe(true);
  });

  it('finds the next opening, skipping holidays', () => {
    expect(nextOpening(berlin, at('2026-11-23T13:30', 'Europe/Berlin'))).toBe(at('2026-11-23T14:00', 'Europe/Berlin'));
    expect(nextOpening(berlin, at('2026-11-02T19:00', 'Europe/Berlin'))).toBe(at('2026-11-06T22:00', 'Europe/Berlin')); // Tue 3rd is a holiday
    expect(nextOpening(WorkingHours.parse({}), Date.now())).toBeNull();
  });

  it('refuses impossible settings', () => {
    expect(WorkingHours.safeParse({ timezone: 'Mars/Olympus' }).success).toBe(false);
    expect(WorkingHours.safeParse({ week: { mon: [{ from: '25:00', to: '10:00' }] } }).success).toBe(false);
    expect(WorkingHours.safeParse({ week: { mon: [{ from: '10:00', to: '10:00' }] } }).success).toBe(false);
    expect(WorkingHours.safeParse({ holidays: ['2026-13-01'] }).success).toBe(false);
    expect(WorkingHours.safeParse({ holidays: ['2026-02-30'] }).success).toBe(false);
    expect(WorkingHours.safeParse({ holidays: ['02-31'] }).success).toBe(false);
    expect(WorkingHours.safeParse({ holidays: ['02-29', '2028-02-29'] }).success).toBe(true);
  });
});
