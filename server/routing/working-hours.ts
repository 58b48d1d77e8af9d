import { DateTime } from 'luxon';
import { WEEKDAYS, type Interval, type WorkingHours } from '../../shared/routing.js';

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const overnight = (i: Interval) => minutes(i.to) < minutes(i.from);

function isHoliday(hours: WorkingHours, day: DateTime): boolean {
  const full = day.toFormat('yyyy-MM-dd');
  const yearly = day.toFormat('MM-dd');
  return hours.holidays.some((h) => h === full || h === yearly);
}

/** Shifts starting on this local day (none on a holiday: a holiday cancels the shifts that begin on it). */
function shifts(hours: WorkingHours, day: DateTime): Interval[] {
  if (isHoliday(hours, day)) return [];
  return hours.week[WEEKDAYS[day.weekday - 1]!];
}

/**
 * Whether the line is open at `at` (epoch ms), on the wall clock of its time zone: so 09:00 stays
 * 09:00 across a daylight-saving change. An overnight shift (22:00–06:00) belongs to the day it starts.
 */
export function isOpen(hours: WorkingHours, at: number): boolean {
  if (!hours.enabled) return true;
  const local = DateTime.fromMillis(at, { zone: hours.timezone });
  const t = local.hour * 60 + local.minute;
  const today = shifts(hours, local).some((i) => (overnight(i) ? t >= minutes(i.from) : t >= minutes(i.from) && t < minutes(i.to)));
  if (today) return true;
  return shifts(hours, local.minus({ days: 1 })).some((i) => overnight(i) && t < minutes(i.to));
}

/** The next moment after `at` when the line opens, or null when no shift starts within two weeks. */
export function nextOpening(hours: WorkingHours, at: number): number | null {
  if (!hours.enabled) return null;
  const local = DateTime.fromMillis(at, { zone: hours.timezone }).startOf('day');
  let best: number | null = null;
  for (let d = 0; d <= 14 && best === null; d++) {
    const day = local.plus({ days: d });
    for (const i of shifts(hours, day)) {
      // A start that does not exist on the wall clock (skipped by DST) is moved forward by luxon.
      const start = day.set({ hour: Math.floor(minutes(i.from) / 60), minute: minutes(i.from) % 60 }).toMillis();
      if (start > at && (best === null || start < best)) best = start;
    }
  }
  return best;
}
