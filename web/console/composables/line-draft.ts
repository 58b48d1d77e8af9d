/**
 * Pure rules of the open-line editor: a draft per section, the PATCH body of one section (always
 * the whole object, as the API replaces it), and validation with the shared schema, turned into
 * messages the UI can translate and pin to the field they are about.
 */
import type { z } from 'zod';
import { UpdateLineBody, type LineBody, type LineDto } from '../../../shared/lines';
import { AutoMessages, Routing, WorkingHours } from '../../../shared/routing';

export const SECTIONS = ['general', 'routing', 'hours', 'messages'] as const;
export type Section = (typeof SECTIONS)[number];

export interface GeneralDraft {
  name: string;
  memberIds: number[];
  crm: { createLead: boolean; sourceName: string };
}

export interface LineDraft {
  general: GeneralDraft;
  routing: Routing;
  hours: WorkingHours;
  messages: AutoMessages;
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** A fresh draft of a line, or of a new one with the schema defaults. */
export function draftOf(line: LineDto | null): LineDraft {
  return clone({
    general: { name: line?.name ?? '', memberIds: line?.memberIds ?? [], crm: line?.crm ?? { createLead: true, sourceName: '' } },
    routing: line?.routing ?? Routing.parse({}),
    hours: line?.hours ?? WorkingHours.parse({}),
    messages: line?.messages ?? AutoMessages.parse({}),
  });
}

export function sameSection(a: LineDraft, b: LineDraft, section: Section): boolean {
  return JSON.stringify(a[section]) === JSON.stringify(b[section]);
}

/** What `PATCH /api/lines/:id` (or `POST /api/lines` for a new line's general section) gets. */
export function bodyOf(draft: LineDraft, section: Section): Partial<LineBody> {
  if (section === 'general') {
    const g = draft.general;
    return { name: g.name.trim(), memberIds: [...g.memberIds], crm: { createLead: g.crm.createLead, sourceName: g.crm.sourceName.trim() } };
  }
  return { [section]: clone(draft[section]) };
}

/** A problem with one field: `path` as `hours.week.mon.0.from`, `key` under `validation.*`, or the raw `text`. */
export interface FieldIssue {
  path: string;
  key: string;
  params: Record<string, string | number>;
  text: string;
}

/** The shared schema's own wording, mapped to translated messages. */
const KNOWN_MESSAGES: Record<string, string> = {
  'a time such as 09:00': 'time',
  'an interval cannot start and end at the same minute': 'sameMinute',
  'an IANA time zone such as Europe/Berlin': 'timezone',
  'a date such as 2026-12-31 or 12-25': 'holiday',
};

export function issueOf(issue: z.core.$ZodIssue): FieldIssue {
  const path = issue.path.map(String).join('.');
  const known = KNOWN_MESSAGES[issue.message];
  if (known) return { path, key: known, params: {}, text: issue.message };
  if (issue.code === 'too_big') {
    const max = Number(issue.maximum);
    const key = issue.origin === 'array' ? 'maxItems' : issue.origin === 'string' ? 'maxLength' : 'max';
    return { path, key, params: { max }, text: issue.message };
  }
  if (issue.code === 'too_small') {
    const key = issue.origin === 'string' ? 'required' : 'min';
    return { path, key, params: { max: Number(issue.minimum) }, text: issue.message };
  }
  if (issue.code === 'invalid_type') return { path, key: 'number', params: {}, text: issue.message };
  return { path, key: 'other', params: { reason: issue.message }, text: issue.message };
}

/** Validates one section's body with the contract; issues keyed by path (the first per field). */
export function validateSection(draft: LineDraft, section: Section): { body: Partial<LineBody>; issues: Map<string, FieldIssue> } {
  const body = bodyOf(draft, section);
  const result = UpdateLineBody.safeParse(body);
  const issues = new Map<string, FieldIssue>();
  if (!result.success) for (const i of result.error.issues.map(issueOf)) if (!issues.has(i.path)) issues.set(i.path, i);
  return { body, issues };
}

/**
 * The hub's 400 `details.issues` (`path: ['body', 'hours', ...]`), keyed like client issues; its
 * message is shown as the server wrote it.
 */
export function serverIssues(details: unknown): Map<string, FieldIssue> {
  const out = new Map<string, FieldIssue>();
  const list = (details as { issues?: unknown } | null)?.issues;
  if (!Array.isArray(list)) return out;
  for (const raw of list as Array<{ path?: unknown; message?: unknown }>) {
    if (!Array.isArray(raw.path) || typeof raw.message !== 'string') continue;
    const path = raw.path.map(String).filter((p, i) => !(i === 0 && p === 'body')).join('.');
    if (!out.has(path)) out.set(path, { path, key: 'other', params: { reason: raw.message }, text: raw.message });
  }
  return out;
}

/** Issues under a path prefix (`hours.week.mon`), for a row that shows several fields. */
export function issuesUnder(issues: ReadonlyMap<string, FieldIssue>, prefix: string): FieldIssue[] {
  return [...issues.values()].filter((i) => i.path === prefix || i.path.startsWith(`${prefix}.`));
}
