import { z } from 'zod';

const Time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time such as 09:00');

/** One working interval; `to` earlier than `from` runs past midnight (22:00–06:00). */
export const Interval = z
  .object({ from: Time, to: Time })
  .refine((i) => i.from !== i.to, 'an interval cannot start and end at the same minute');
export type Interval = z.infer<typeof Interval>;

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Zones already found valid: building a formatter costs more than the rest of a line's settings parse. */
const knownZones = new Set<string>();

function isTimeZone(zone: string): boolean {
  if (knownZones.has(zone)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    knownZones.add(zone);
    return true;
  } catch {
    return false;
  }
}

/** `2026-02-30` and `02-31` are not days; a yearly `02-29` is (it applies in leap years). */
function realDate(d: string): boolean {
  const [y, m, day] = d.length === 5 ? [2024, ...d.split('-').map(Number)] : d.split('-').map(Number);
  const date = new Date(Date.UTC(y!, m! - 1, day!));
  return date.getUTCMonth() === m! - 1 && date.getUTCDate() === day;
}

const office = [{ from: '09:00', to: '18:00' }];
const Day = z.array(Interval).max(6);

export const WorkingHours = z.object({
  /** Off: the line is always open. */
  enabled: z.boolean().default(false),
  timezone: z.string().refine(isTimeZone, 'an IANA time zone such as Europe/Berlin').default('UTC'),
  week: z
    .object({
      mon: Day.default(office), tue: Day.default(office), wed: Day.default(office), thu: Day.default(office), fri: Day.default(office),
      sat: Day.default([]), sun: Day.default([]),
    })
    .default({ mon: office, tue: office, wed: office, thu: office, fri: office, sat: [], sun: [] }),
  /** `2026-12-31` for one date, `12-25` for every year. */
  holidays: z.array(z.string().regex(/^(\d{4}-)?(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'a date such as 2026-12-31 or 12-25').refine(realDate, 'a date that exists')).max(400).default([]),
  /** Out of hours: keep dialogs queued until opening, or hand them to the fallback line. */
  whenClosed: z.enum(['queue', 'fallback']).default('queue'),
});
export type WorkingHours = z.infer<typeof WorkingHours>;

export const Routing = z.object({
  mode: z.enum(['evenly', 'in_order', 'everyone', 'least_busy']).default('evenly'),
  /** Seconds the assignee has to answer before the dialog passes on; 0 = never. */
  passOnSeconds: z.number().int().min(0).max(43_200).default(60),
  /** Only operators who are online receive dialogs. */
  onlineOnly: z.boolean().default(true),
  /** Which of an operator's dialogs count against their limit: all open ones, or only those they answered. */
  capacityCounts: z.enum(['open', 'answered']).default('open'),
  /** A returning client goes to their CRM responsible or their last operator, when available. */
  knownClients: z.enum(['off', 'responsible', 'last_operator']).default('off'),
  /** Seconds in the queue before the client gets the no-answer text (once per session); 0 = never. */
  noAnswerSeconds: z.number().int().min(0).max(86_400).default(0),
  /** Where dialogs go when nobody answers in time or the line is closed (with `whenClosed: fallback`). */
  fallbackLineId: z.number().int().positive().nullable().default(null),
  /** A client writing within this many minutes of closing reopens the dialog; later starts a new one. */
  reopenMinutes: z.number().int().min(0).max(10_080).default(0),
  /** Minutes of client silence after an operator reply before the dialog closes itself; 0 = never. */
  autoCloseMinutes: z.number().int().min(0).max(43_200).default(0),
});
export type Routing = z.infer<typeof Routing>;

const Text = z.string().max(2000).default('');

/** Automatic messages; an empty text turns one off. Placeholders: {{contact.name}}, {{operator.name}}, {{line.name}}. */
export const AutoMessages = z.object({
  welcome: Text,
  welcomeWhen: z.enum(['first', 'every_session']).default('every_session'),
  noAnswer: Text,
  outOfHours: Text,
  closing: Text,
  autoClose: Text,
  /** Sent when a dialog closes, asking for a 1–5 rating (the widget shows buttons; elsewhere the client replies with a digit). */
  ratingRequest: Text,
});
export type AutoMessages = z.infer<typeof AutoMessages>;

export const LineSettings = z.object({
  routing: Routing.default(Routing.parse({})),
  hours: WorkingHours.default(WorkingHours.parse({})),
  messages: AutoMessages.default(AutoMessages.parse({})),
});
export type LineSettings = z.infer<typeof LineSettings>;
