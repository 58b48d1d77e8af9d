/** IANA time zones for the working-hours picker: the list, offsets, search, and the line's "now". */
import { WEEKDAYS, type Weekday } from '../../../shared/routing';

/** Every zone this browser knows, plus UTC (Chromium leaves it out) and the current value if it is an alias. */
export function zoneList(current?: string): string[] {
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const all = new Set(['UTC', ...known]);
  if (current) all.add(current);
  return [...all].sort((a, b) => (a === 'UTC' ? -1 : b === 'UTC' ? 1 : a.localeCompare(b)));
}

/** "GMT+1", "GMT-3:30", "GMT" for the zone at `at`. */
export function offsetLabel(zone: string, at: number = Date.now()): string {
  try {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'shortOffset' }).formatToParts(at);
    return parts.find((p) => p.type === 'timeZoneName')?.value ?? '';
  } catch {
    return '';
  }
}

/** Matches words of the name (`new york`, `europe/ber`) or the offset (`+3`, `gmt-5`). */
export function filterZones(zones: readonly string[], query: string, offsets: (zone: string) => string, limit = 80): string[] {
  const q = query.trim().toLowerCase().replace(/\s+/g, '_');
  if (!q) return zones.slice(0, limit);
  const offsetQuery = q.replace(/^(utc|gmt)/, '');
  const out: string[] = [];
  for (const zone of zones) {
    const name = zone.toLowerCase();
    const offset = offsets(zone).toLowerCase().replace(/^gmt/, '');
    if (name.includes(q) || (/^[+-]\d/.test(offsetQuery) && (offset === offsetQuery || offset.startsWith(`${offsetQuery}:`)))) out.push(zone);
    if (out.length >= limit) break;
  }
  return out;
}

/** The weekday and minute of the day on the zone's wall clock, or null for an unknown zone. */
export function nowIn(zone: string, at: number = Date.now()): { day: Weekday; minute: number } | null {
  try {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
    const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
    const day = WEEKDAYS[['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(get('weekday'))];
    if (!day) return null;
    return { day, minute: Number(get('hour')) * 60 + Number(get('minute')) };
  } catch {
    return null;
  }
}
