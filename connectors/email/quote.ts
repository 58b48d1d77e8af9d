/**
 * Where the quoted history of a reply starts, so it is kept in storage but collapsed for display.
 * Covers the usual clients: Gmail and Apple ("On … wrote:"), Outlook desktop ("From: … Sent: …"
 * and "-----Original Message-----"), Outlook on the web, Thunderbird, Yahoo, and their Russian forms.
 */

const ATTRIBUTION = [
  /^(On|Am|Le|El|Il|Op) .{4,300}(wrote|schrieb|a écrit|escribió|ha scritto|schreef)\s*:\s*$/i,
  /^.{0,120}\d{4}.{0,120}(пишет|написал|написала|написал\(а\))\s*:?\s*$/i,
  /^-{2,}\s*(Original Message|Исходное сообщение|Ursprüngliche Nachricht|Message d'origine)\s*-{2,}\s*$/i,
  /^-{2,}\s*(Forwarded message|Пересылаемое сообщение)\s*-{2,}\s*$/i,
];
const HEADER_FROM = /^\*?(From|От|Von|De)\s*:\*?\s+\S/i;
const HEADER_NEXT = /^\*?(Sent|Date|Отправлено|Дата|Gesendet|Envoyé|To|Кому|Subject|Тема)\s*:/i;

/** Char offset in `text` where the quoted history starts, or null when there is none. */
export function findTextQuote(text: string): number | null {
  const lines = text.split('\n');
  let offset = 0;
  const starts: number[] = [];
  for (const line of lines) {
    starts.push(offset);
    offset += line.length + 1;
  }
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '').trim();
    if (!line) continue;
    // "On Tue, 3 Jun 2025 at 10:00, Ann <ann@x>" may wrap before "wrote:".
    const joined = i + 1 < lines.length ? `${line} ${lines[i + 1]!.trim()}` : line;
    if (ATTRIBUTION.some((re) => re.test(line)) || (/^(On|Am|Le) /i.test(line) && ATTRIBUTION[0]!.test(joined))) return cut(starts[i]!, lines, i);
    if (/^_{8,}$/.test(line) || (HEADER_FROM.test(line) && lines.slice(i + 1, i + 5).some((l) => HEADER_NEXT.test(l.trim())))) {
      return cut(starts[i]!, lines, i);
    }
    // A block of "> " lines that runs to the end (blank lines allowed) is a bottom quote.
    if (line.startsWith('>') && lines.slice(i).every((l) => !l.trim() || l.trim().startsWith('>'))) return cut(starts[i]!, lines, i);
  }
  return null;
}

/** Never collapse the whole mail: a quote at the very top is the client's whole text. */
function cut(at: number, lines: string[], index: number): number | null {
  return lines.slice(0, index).some((l) => l.trim()) ? at : null;
}

/** Openings of quoted history in HTML written by the usual clients. */
const HTML_MARKERS = [
  /<div[^>]*\bclass\s*=\s*["'][^"']*\bgmail_quote\b/i,
  /<div[^>]*\bclass\s*=\s*["'][^"']*\bmoz-cite-prefix\b/i,
  /<blockquote[^>]*\btype\s*=\s*["']?cite/i,
  /<div[^>]*\bid\s*=\s*["']?(divRplyFwdMsg|appendonsend)\b/i,
  /<hr[^>]*\bid\s*=\s*["']?stopSpelling/i,
  /<div[^>]*\bclass\s*=\s*["'][^"']*\byahoo_quoted\b/i,
  /<div[^>]*style\s*=\s*["'][^"']*border:\s*none;\s*border-top:\s*solid\s*#(E1E1E1|B5C4DF)/i,
];

/** Char offset in `html` where the quoted history starts (the earliest marker), or null. */
export function findHtmlQuote(html: string): number | null {
  let best: number | null = null;
  for (const re of HTML_MARKERS) {
    const m = re.exec(html);
    if (m && (best === null || m.index < best)) best = m.index;
  }
  if (best === null) return null;
  // Something must come before it, or the whole mail would be collapsed.
  const before = html.slice(0, best).replace(/<(head|style|script|title)\b[\s\S]*?<\/\1\s*>/gi, '');
  return before.replace(/<[^>]*>|&nbsp;|\s/g, '').length > 0 ? best : null;
}
