/**
 * Pure rules of the working-hours editor: the weekly grid layout (an overnight shift belongs to the
 * day it starts and is drawn wrapping into the next one, as the server counts it), time entry and
 * holidays. The schema itself is `WorkingHours` in shared/routing.ts.
 */
import { WEEKDAYS, type Interval, type Weekday, type WorkingHours } from '../../../shared/routing';

export type Week = WorkingHours['week'];
export const DAY_MINUTES = 24 * 60;
/** The schema allows six intervals per day. */
export const MAX_INTERVALS = 6;

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export function toMinutes(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

export function fromMinutes(total: number): string {
  const m = ((total % DAY_MINUTES) + DAY_MINUTES) % DAY_MINUTES;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

export const isTime = (s: string) => TIME.test(s);
export const isOvernight = (i: Interval) => isTime(i.from) && isTime(i.to) && toMinutes(i.to) < toMinutes(i.from);

/**
 * What a person types, made into `HH:MM` where it is unambiguous: `9` → `09:00`, `930` → `09:30`,
 * `9.30` / `9:3` → `09:30`/`09:03`, `24:00` → `00:00`. Anything else comes back unchanged (and fails validation).
 */
export function normalizeTime(input: string): string {
  const s = input.trim();
  let h: number;
  let m: number;
  const sep = /^(\d{1,2})[:.\-h ](\d{1,2})$/.exec(s);
  const digits = /^\d{1,4}$/.test(s) ? s : null;
  if (sep) {
    h = Number(sep[1]);
    m = Number(sep[2]);
  } else if (digits) {
    h = Number(digits.length <= 2 ? digits : digits.slice(0, digits.length - 2));
    m = digits.length <= 2 ? 0 : Number(digits.slice(-2));
  } else return input;
  if (h === 24 && m === 0) h = 0;
  if (h > 23 || m > 59) return input;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** One bar of the weekly grid, in minutes from the start of `day`. */
export interface Bar {
  day: Weekday;
  start: number;
  end: number;
  /** The interval it draws: the day it belongs to and its index there. */
  source: { day: Weekday; index: number };
  /** `head`: an overnight shift up to midnight; `tail`: its part after midnight, on the next day. */
  part: 'whole' | 'head' | 'tail';
}

/** Bars per weekday (Mon–Sun); Sunday night wraps into Monday. Invalid times are left out. */
export function weekBars(week: Week): Record<Weekday, Bar[]> {
  const out = Object.fromEntries(WEEKDAYS.map((d) => [d, [] as Bar[]])) as Record<Weekday, Bar[]>;
  WEEKDAYS.forEach((day, d) => {
    const next = WEEKDAYS[(d + 1) % 7]!;
    week[day].forEach((i, index) => {
      if (!isTime(i.from) || !isTime(i.to) || i.from === i.to) return;
      const start = toMinutes(i.from);
      const end = toMinutes(i.to);
      const source = { day, index };
      if (end > start) out[day].push({ day, start, end, source, part: 'whole' });
      else {
        out[day].push({ day, start, end: DAY_MINUTES, source, part: 'head' });
        if (end > 0) out[next].push({ day: next, start: 0, end, source, part: 'tail' });
      }
    });
  });
  for (const day of WEEKDAYS) out[day].sort((a, b) => a.start - b.start || a.end - b.end);
  return out;
}

/** Days on which two intervals cover the same minute (an overnight tail counts on the next day). */
export function overlappingDays(week: Week): Weekday[] {
  const bars = weekBars(week);
  return WEEKDAYS.filter((day) => bars[day].some((b, i) => i > 0 && b.start < Math.max(...bars[day].slice(0, i).map((p) => p.end))));
}

/** Total open minutes in a week, for the summary line. */
export function weeklyMinutes(week: Week): number {
  const bars = weekBars(week);
  return WEEKDAYS.reduce((sum, day) => sum + bars[day].reduce((s, b) => s + b.end - b.start, 0), 0);
}

/** A sensible interval to add to a day: office hours on an empty day, else three hours starting an hour after the last one ends. */
export function nextInterval(day: readonly Interval[]): Interval {
  const valid = day.filter((i) => isTime(i.from) && isTime(i.to));
  if (valid.length === 0) return { from: '09:00', to: '18:00' };
  const ends = valid.map((i) => (isOvernight(i) ? DAY_MINUTES + toMinutes(i.to) : toMinutes(i.to)));
  const from = Math.max(...ends) + 60;
  if (from >= DAY_MINUTES) return { from: '22:00', to: '06:00' };
  // Late in the day the suggestion runs overnight, the way night shifts are entered.
  return { from: fromMinutes(from), to: from + 180 > DAY_MINUTES ? '06:00' : fromMinutes(from + 180) };
}

/** Copies one day's intervals onto others. */
export function copyDay(week: Week, from: Weekday, to: readonly Weekday[]): Week {
  const next = { ...week };
  for (const day of to) if (day !== from) next[day] = week[from].map((i) => ({ ...i }));
  return next;
}

const HOLIDAY = /^(\d{4}-)?(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** `2026-12-31` (one date) or `12-25` (every year); `yearly` turns a full date into its month-day. */
export function holidayOf(date: string, yearly: boolean): string | null {
  if (!HOLIDAY.test(date)) return null;
  return yearly && date.length === 10 ? date.slice(5) : date;
}

/** Holidays without duplicates, yearly ones first (by month-day), then dates in order. */
export function sortHolidays(list: readonly string[]): string[] {
  return [...new Set(list)].sort((a, b) => (a.length - b.length) || a.localeCompare(b));
}

/** "31 Dec 2026", or "25 Dec" for a yearly holiday (the caller adds "every year"). */
export function formatHoliday(h: string, locale: string): string {
  const yearly = h.length === 5;
  const date = new Date(`${yearly ? '2000-' : ''}${h}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return h;
  return date.toLocaleDateString(locale, { day: 'numeric', month: 'short', ...(yearly ? {} : { year: 'numeric' }), timeZone: 'UTC' });
}
