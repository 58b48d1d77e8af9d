/** Human file sizes in the units people see in their file manager (1 KB = 1024 B). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const rounded = value >= 10 ? Math.round(value) : Math.round(value * 10) / 10;
  return `${rounded} ${units[unit]}`;
}

/**
 * Message time as a chat shows it: the clock for today, the date too for older messages.
 * `locale` and `timeZone` are parameters only so that tests do not depend on the machine.
 */
export function formatMessageTime(iso: string, now: Date, locale?: string, timeZone?: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  const time: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', timeZone };
  const day = (d: Date) => d.toLocaleDateString('en-CA', { timeZone });
  if (day(at) === day(now)) return at.toLocaleTimeString(locale, time);
  return at.toLocaleString(locale, { ...time, day: 'numeric', month: 'short' });
}
