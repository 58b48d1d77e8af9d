/**
 * Summarizes a V8 CPU profile (`.cpuprofile`, as written by `node --cpu-prof`, e.g. by
 * `npm run bench -- --cpu-prof <dir>`): where the time went by package, and the top functions by
 * self and by inclusive time.
 *
 *   npx tsx bench/profile-summary.ts <file.cpuprofile | folder> [top=25] [from_s] [to_s]
 *
 * `from_s`/`to_s` keep only the samples taken that many seconds after the profile started (a
 * benchmark's measured window, without its set-up).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

interface CallFrame { functionName: string; url: string; lineNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame; children?: number[] }
interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

const target = process.argv[2];
const top = Number(process.argv[3] ?? 25);
const fromUs = Number(process.argv[4] ?? 0) * 1e6;
const toUs = Number(process.argv[5] ?? Infinity) * 1e6;
if (!target || !(top > 0) || !(fromUs >= 0) || !(toUs > fromUs)) {
  console.error('usage: npx tsx bench/profile-summary.ts <file.cpuprofile | folder> [top > 0] [from_s ≥ 0] [to_s > from_s]');
  process.exit(2);
}
const files = statSync(target).isDirectory()
  ? readdirSync(target).filter((f) => f.endsWith('.cpuprofile')).map((f) => path.join(target, f))
  : [target];
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

for (const file of files) {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  let at = 0;
  p.samples.forEach((id, i) => {
    at += p.timeDeltas[i] ?? 0;
    if (at >= fromUs && at < toUs) self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0));
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const idle = [...self].filter(([id]) => byId.get(id)!.callFrame.functionName === '(idle)').reduce((a, [, t]) => a + t, 0);
  const busy = total - idle;

  const where = (cf: CallFrame): string => {
    const u = cf.url.replace(/^file:\/\//, '');
    if (!u) return cf.functionName.startsWith('(') ? cf.functionName : '(native)';
    if (u.startsWith('node:')) return 'node internals';
    const nm = u.lastIndexOf('node_modules/');
    if (nm >= 0) {
      const rest = u.slice(nm + 'node_modules/'.length).split('/');
      return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
    }
    return u.startsWith(root) ? `omniline ${path.relative(root, u).split('/').slice(0, 2).join('/')}` : u;
  };
  const key = (cf: CallFrame) => `${cf.functionName || '(anonymous)'}  ${cf.url ? `${cf.url.replace(/^file:\/\//, '').replace(root + '/', '')}:${cf.lineNumber + 1}` : ''}`;

  const byPackage = new Map<string, number>();
  const selfByFn = new Map<string, number>();
  const inclByFn = new Map<string, number>();
  for (const [id, t] of self) {
    const cf = byId.get(id)!.callFrame;
    if (cf.functionName === '(idle)') continue;
    byPackage.set(where(cf), (byPackage.get(where(cf)) ?? 0) + t);
    selfByFn.set(key(cf), (selfByFn.get(key(cf)) ?? 0) + t);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const k = key(byId.get(cur)!.callFrame);
      if (seen.has(k)) continue;
      seen.add(k);
      inclByFn.set(k, (inclByFn.get(k) ?? 0) + t);
    }
  }
  const pct = (t: number) => `${((t / busy) * 100).toFixed(1).padStart(5)} %`;
  const ms = (t: number) => `${(t / 1000).toFixed(0).padStart(7)} ms`;
  const list = (m: Map<string, number>, n: number, skip: (k: string) => boolean = () => false) =>
    [...m].filter(([k]) => !skip(k)).sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, t]) => `  ${ms(t)} ${pct(t)}  ${k}`).join('\n');

  console.log(`# ${file}`);
  const window = fromUs > 0 || toUs < Infinity ? ` (samples from ${fromUs / 1e6} s to ${toUs / 1e6} s only)` : '';
  console.log(`wall ${((p.endTime - p.startTime) / 1e6).toFixed(1)} s${window}, busy ${(busy / 1e6).toFixed(1)} s, idle ${(idle / 1e6).toFixed(1)} s (percentages below are of busy time)\n`);
  console.log(`self time by package:\n${list(byPackage, 15)}\n`);
  console.log(`top ${top} functions by self time:\n${list(selfByFn, top)}\n`);
  const ours = (k: string) => /^\S+\s+(server|connectors|shared|config)\//.test(k.replace(/^\(anonymous\)/, 'anon'));
  console.log(`top ${top} Omniline functions (server/, connectors/, shared/) by inclusive time:\n${list(inclByFn, top, (k) => !ours(k))}\n`);
  console.log(`top ${top} functions by inclusive time (without the event-loop plumbing):\n${list(inclByFn, top, (k) => k.startsWith('(root)') || k.startsWith('processTicksAndRejections') || k.startsWith('listOnTimeout') || k.startsWith('processTimers') || k.startsWith('(program)'))}\n`);
}
