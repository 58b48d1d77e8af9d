/**
 * Pure rules of canned answers in the composer: spotting a `/shortcut` being typed, searching the
 * answers for it, and filling `{{contact.name}}`-style placeholders. Unit-tested beside.
 */
import type { CannedAnswerDto } from '../../../shared/canned';

export const CANNED_PLACEHOLDERS = ['{{contact.name}}', '{{contact.email}}', '{{contact.phone}}', '{{operator.name}}'] as const;

export interface SlashQuery {
  /** Index of the `/` in the text. */
  start: number;
  /** What follows the `/` up to the caret. */
  query: string;
}

/** The `/word` the caret sits at the end of, when the `/` starts a word; else null. */
export function slashQuery(text: string, caret: number): SlashQuery | null {
  const m = /(^|\s)\/([\p{L}\p{N}_-]*)$/u.exec(text.slice(0, caret));
  if (!m) return null;
  return { start: m.index + m[1]!.length, query: m[2]! };
}

/**
 * Answers for the dialog's line (and the global ones) matching `query`: shortcuts starting with it
 * first, then shortcuts containing it, then texts containing it; alphabetical within each.
 */
export function searchCanned(items: readonly CannedAnswerDto[], query: string, lineId: number | null, limit = 8): CannedAnswerDto[] {
  const q = query.trim().toLowerCase();
  const rank = (c: CannedAnswerDto) => {
    const s = c.shortcut.toLowerCase();
    if (s.startsWith(q)) return 0;
    if (s.includes(q)) return 1;
    return c.text.toLowerCase().includes(q) ? 2 : -1;
  };
  return items
    .filter((c) => c.lineId === null || lineId === null || c.lineId === lineId)
    .map((c) => ({ c, r: rank(c) }))
    .filter((x) => x.r >= 0)
    .sort((a, b) => a.r - b.r || a.c.shortcut.localeCompare(b.c.shortcut))
    .slice(0, limit)
    .map((x) => x.c);
}

export interface PlaceholderValues {
  contact: { name?: string | null; email?: string | null; phone?: string | null };
  operator: { name?: string | null };
}

/** Fills the known placeholders (a missing value leaves nothing behind); unknown ones stay as typed. */
export function fillPlaceholders(text: string, v: PlaceholderValues): string {
  return text.replace(/\{\{\s*(contact|operator)\.(\w+)\s*\}\}/g, (whole, group: 'contact' | 'operator', key: string) => {
    const source = v[group] as Record<string, string | null | undefined>;
    return key in source || ['name', 'email', 'phone'].includes(key) ? (source[key] ?? '') : whole;
  });
}

/** The text with `/query` (from `at.start` to the caret) replaced by `insert`; returns it with the new caret. */
export function insertAt(text: string, at: SlashQuery, insert: string): { text: string; caret: number } {
  const end = at.start + 1 + at.query.length;
  const before = text.slice(0, at.start);
  const after = text.slice(end);
  return { text: before + insert + after, caret: before.length + insert.length };
}
