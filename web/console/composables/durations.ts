/**
 * Durations in the line settings: stored as whole seconds or minutes, entered as a number and a
 * unit, shown as "1 min", "1 h 30 min". The caller translates the unit names.
 */

export type DurationUnit = 's' | 'min' | 'h' | 'd';
export const UNIT_SECONDS: Record<DurationUnit, number> = { s: 1, min: 60, h: 3600, d: 86_400 };

export interface DurationPart {
  n: number;
  unit: DurationUnit;
}

/** `5400` → `[{1 h}, {30 min}]`: at most `max` adjacent units from the largest, zeros left out; zero → `[]`. */
export function durationParts(seconds: number, max = 2): DurationPart[] {
  const total = Math.max(0, Math.round(seconds));
  const units = ['d', 'h', 'min', 's'] as const;
  const first = units.findIndex((u) => total >= UNIT_SECONDS[u]);
  if (first < 0) return [];
  const parts: DurationPart[] = [];
  let rest = total;
  for (const unit of units.slice(first, first + max)) {
    const n = Math.floor(rest / UNIT_SECONDS[unit]);
    rest -= n * UNIT_SECONDS[unit];
    if (n > 0) parts.push({ n, unit });
  }
  return parts;
}

/** "1 h 30 min" with the caller's unit labels; `off` for zero. */
export function formatSpan(seconds: number, label: (p: DurationPart) => string, off: string): string {
  const parts = durationParts(seconds);
  return parts.length ? parts.map(label).join(' ') : off;
}

/**
 * How to show a stored value in a number + unit field: the largest of `units` that divides it
 * evenly (`120` s → `2 min`), else the smallest. Zero keeps `current` so the unit does not jump.
 */
export function splitDuration(value: number, base: DurationUnit, units: readonly DurationUnit[], current?: DurationUnit): { amount: number; unit: DurationUnit } {
  const seconds = value * UNIT_SECONDS[base];
  if (value === 0) return { amount: 0, unit: current ?? units[0]! };
  const sorted = [...units].sort((a, b) => UNIT_SECONDS[b] - UNIT_SECONDS[a]);
  const exact = sorted.find((u) => seconds % UNIT_SECONDS[u] === 0 && UNIT_SECONDS[u] >= UNIT_SECONDS[base]);
  const unit = exact ?? sorted.at(-1)!;
  return { amount: seconds / UNIT_SECONDS[unit], unit };
}

/** Back to the stored unit, rounded to a whole one. */
export function joinDuration(amount: number, unit: DurationUnit, base: DurationUnit): number {
  if (!Number.isFinite(amount) || amount < 0) return 0;
  return Math.round((amount * UNIT_SECONDS[unit]) / UNIT_SECONDS[base]);
}
