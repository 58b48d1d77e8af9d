import { describe, expect, it } from 'vitest';
import { filterZones, nowIn, offsetLabel, zoneList } from './timezones';

describe('time zones', () => {
  it('lists the zones of the browser with UTC first and keeps an unknown current value', () => {
    const zones = zoneList('Europe/Kiev');
    expect(zones[0]).toBe('UTC');
    expect(zones).toContain('Europe/Berlin');
    expect(zones).toContain('Europe/Kiev');
  });

  it('labels offsets at a moment (summer and winter)', () => {
    expect(offsetLabel('Europe/Berlin', Date.parse('2026-01-15T12:00:00Z'))).toBe('GMT+1');
    expect(offsetLabel('Europe/Berlin', Date.parse('2026-07-15T12:00:00Z'))).toBe('GMT+2');
    expect(offsetLabel('Nowhere/Land')).toBe('');
  });

  it('searches by words of the name or by offset', () => {
    const zones = ['UTC', 'America/New_York', 'Asia/Kolkata', 'Europe/Berlin', 'Europe/Moscow'];
    const offsets: Record<string, string> = { UTC: 'GMT', 'America/New_York': 'GMT-5', 'Asia/Kolkata': 'GMT+5:30', 'Europe/Berlin': 'GMT+1', 'Europe/Moscow': 'GMT+3' };
    const f = (q: string) => filterZones(zones, q, (z) => offsets[z] ?? '');
    expect(f('new york')).toEqual(['America/New_York']);
    expect(f('EUROPE/')).toEqual(['Europe/Berlin', 'Europe/Moscow']);
    expect(f('+3')).toEqual(['Europe/Moscow']);
    expect(f('gmt+5')).toEqual(['Asia/Kolkata']);
    expect(f('utc-5')).toEqual(['America/New_York']);
    expect(f('')).toHaveLength(5);
  });

  it("tells the weekday and minute on the zone's wall clock", () => {
    // Sunday 23:30 UTC is already Monday 00:30 in Berlin (winter).
    expect(nowIn('Europe/Berlin', Date.parse('2026-01-18T23:30:00Z'))).toEqual({ day: 'mon', minute: 30 });
    expect(nowIn('UTC', Date.parse('2026-01-18T23:30:00Z'))).toEqual({ day: 'sun', minute: 1410 });
    expect(nowIn('Nowhere/Land')).toBeNull();
  });
});
