/**
 * Placeholders of the automatic messages, filled in by the hub when it sends them
 * (server/routing/automation.ts); an unknown one is left out there, so the editor warns about it.
 */

export const PLACEHOLDERS = ['{{contact.name}}', '{{operator.name}}', '{{line.name}}'] as const;
const KNOWN = new Set(PLACEHOLDERS.map((p) => p.slice(2, -2)));

/** Puts `token` over the selection `[start, end)` and says where the caret goes next. */
export function insertAt(text: string, start: number | null, end: number | null, token: string): { text: string; caret: number } {
  const from = Math.min(Math.max(start ?? text.length, 0), text.length);
  const to = Math.min(Math.max(end ?? from, from), text.length);
  const before = text.slice(0, from);
  const pad = before && !/\s$/.test(before) ? ' ' : '';
  const next = before + pad + token + text.slice(to);
  return { text: next, caret: from + pad.length + token.length };
}

/** Placeholders in `text` the hub does not know (`{{contact.nam}}`), each once. */
export function unknownPlaceholders(text: string): string[] {
  const found = [...text.matchAll(/\{\{\s*([^{}]*?)\s*\}\}/g)].map((m) => m[1] ?? '');
  return [...new Set(found.filter((name) => !KNOWN.has(name)))].map((name) => `{{${name}}}`);
}

/** The text as a client would see it, with sample values. */
export function previewText(text: string, values: Record<string, string>): string {
  return text.replace(/\{\{\s*([a-z]+\.[a-z]+)\s*\}\}/g, (_m, key: string) => values[key] ?? '');
}
