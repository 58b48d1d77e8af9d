/**
 * Benchmark options: `--name value`, `--name=value`, or the environment variable NAME; argv wins.
 * `--cpu-prof` alone (no value) reads as 'true'.
 */
export function rawOption(name: string): string | undefined {
  const flag = `--${name.toLowerCase().replace(/_/g, '-')}`;
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === flag) return argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--') ? argv[i + 1] : 'true';
    if (a.startsWith(`${flag}=`)) return a.slice(flag.length + 1);
  }
  return process.env[name] || undefined;
}

export function num(name: string, def: number, min = 0): number {
  const raw = rawOption(name);
  if (raw === undefined) return def;
  const v = Number(raw);
  if (!Number.isFinite(v) || v < min) throw new Error(`${name} must be a number ≥ ${min} (got ${JSON.stringify(raw)})`);
  return v;
}

export function int(name: string, def: number, min = 0): number {
  return Math.round(num(name, def, min));
}

export function choice<T extends string>(name: string, allowed: readonly T[], def: T): T {
  const raw = rawOption(name) ?? def;
  if (!(allowed as readonly string[]).includes(raw)) throw new Error(`${name} must be one of ${allowed.join(', ')} (got ${JSON.stringify(raw)})`);
  return raw as T;
}
