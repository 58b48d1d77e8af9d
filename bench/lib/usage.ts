import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import type { ChildStats } from '../child.js';
import { fmt } from './stats.js';

/** Busy and total jiffies of the whole machine (Linux /proc/stat), to see load from other processes. */
export function machineTicks(): { busy: number; total: number } | null {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: total - f[3]! - f[4]!, total };
  } catch {
    return null;
  }
}

export interface Usage {
  /** This process (the bench client), in % of one core. */
  client: number;
  /** Every process on the machine, in % of one core (up to 100 × CPUs). */
  machine: number;
}

/** CPU used since `meter()` was called. */
export function meter(): () => Usage {
  const cpu = process.cpuUsage();
  const wall = performance.now();
  const m0 = machineTicks();
  return () => {
    const used = process.cpuUsage(cpu);
    const m1 = machineTicks();
    const machine = m0 && m1 && m1.total > m0.total ? ((m1.busy - m0.busy) / (m1.total - m0.total)) * os.availableParallelism() * 100 : NaN;
    return { client: ((used.user + used.system) / 1000 / (performance.now() - wall)) * 100, machine };
  };
}

/** One line: this client, the whole machine, and what is left for other processes (machine − client − server). */
export function describeUsage(u: Usage, server: ChildStats): string {
  const others = u.machine - u.client - server.cpuPercent;
  return `bench client CPU ${fmt(u.client, 0)}%, whole machine ${fmt(u.machine, 0)}% of ${os.availableParallelism() * 100}% (other processes ≈ ${fmt(Math.max(0, others), 0)}%)`;
}

export function describeStats(name: string, s: ChildStats): string {
  return `${name}: CPU ${fmt(s.cpuPercent, 0)}% of one core, event-loop delay p50 ${fmt(s.loopDelayP50Ms)} ms / p99 ${fmt(s.loopDelayP99Ms)} ms / max ${fmt(s.loopDelayMaxMs)} ms, RSS ${fmt(s.rssMb, 0)} MB`;
}

let clockTicks: number | null = null;
function ticksPerSecond(): number {
  if (clockTicks === null) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat. */
export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at field 3; utime and stime are fields 14 and 15.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[11]) + Number(f[12])) / ticksPerSecond()) * 1000;
}

/** Resident memory of a process now and at its peak (VmRSS, VmHWM from /proc/<pid>/status), in MiB. */
export function processMemory(pid: number): { rssMiB: number; peakMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
}

/** CPU of one process in % of one core between the call and the returned function's call, read from /proc. */
export function processMeter(pid: number): () => number {
  const cpu0 = processCpuMs(pid);
  const t0 = performance.now();
  return () => ((processCpuMs(pid) - cpu0) / (performance.now() - t0)) * 100;
}

/**
 * CPU time used so far by every process named `command` (e.g. the PostgreSQL server's processes), in
 * ms. Processes that start or end in between are counted only for the part seen, and other users of
 * the same server are included.
 */
export function commandCpuMs(command: string): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) === command) total += processCpuMs(Number(entry));
    } catch {
      // gone in the meantime
    }
  }
  return total;
}
