/**
 * sipp (Debian's sip-tester) as the far end of a call: a caller from outside ringing an operator's
 * extension (uac-*.xml), or the customer an operator calls (uas.xml). One call per run (-m 1); the
 * run's exit code says whether the scenario went as written (0) or not.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './kamailio.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const SIPP_BIN = process.env.SIPP_PATH ?? '/usr/bin/sipp';
export const SCENARIOS = path.join(HERE, 'scenarios');

export type Scenario = 'uac-answered' | 'uac-cancelled' | 'uac-declined' | 'uac-transfer' | 'uas';

export interface SippOptions {
  scenario: Scenario;
  /** host:port of the proxy (UAC scenarios). */
  target?: string;
  /** The extension called (UAC scenarios: -s). */
  service?: string;
  /** Local SIP port (default: a free one). */
  port?: number;
  /** Values for the scenario's [keys]: caller, caller_name, domain, cancel_reason. */
  keys?: Record<string, string>;
  /** Length of the scenario's <pause/> (ms): the talk time or the ringing before CANCEL. */
  pauseMs?: number;
  /** The whole run's limit (s); a scenario still running then fails. */
  timeoutS?: number;
}

export interface SippResult {
  code: number | null;
  /** Every SIP message sipp sent and received (-trace_msg), and its errors (-trace_err). */
  messages: string;
  errors: string;
  output: string;
}

export interface SippRun {
  port: number;
  /** The SIP messages traced so far (sipp writes them as they go). */
  messages(): string;
  /** Until the trace matches `pattern` (e.g. the other side's ACK after a given answer). */
  waitForTrace(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves when sipp has exited, whatever its exit code. */
  done: Promise<SippResult>;
  stop(): void;
}

export const DEFAULT_KEYS = {
  caller: '+15550001234',
  caller_name: 'Test Caller',
  domain: 'pbx.omniline.test',
  cancel_reason: 'Q.850;cause=16;text="Normal call clearing"',
};

export function sippAvailable(): boolean {
  return existsSync(SIPP_BIN);
}

/** Runs still going, with their trace directories: ended and removed if the test process exits first. */
const running = new Map<ChildProcess, string>();
process.once('exit', () => {
  for (const [child, dir] of running) {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

export async function runSipp(options: SippOptions): Promise<SippRun> {
  const port = options.port ?? (await freePort('udp'));
  const mediaPort = await freePort('udp');
  const dir = mkdtempSync(path.join(os.tmpdir(), `omniline-sipp-${options.scenario}-`));
  const keys = { ...DEFAULT_KEYS, ...options.keys };
  const args = [
    '-sf', path.join(SCENARIOS, `${options.scenario}.xml`),
    '-i', '127.0.0.1',
    '-p', String(port),
    '-mi', '127.0.0.1',
    '-mp', String(mediaPort),
    '-t', 'u1',
    '-m', '1',
    '-l', '1',
    '-d', String(options.pauseMs ?? 1000),
    '-timeout', `${options.timeoutS ?? 30}s`,
    '-timeout_error',
    '-nostdin',
    '-trace_err', '-error_file', path.join(dir, 'errors.log'),
    '-trace_msg', '-message_file', path.join(dir, 'messages.log'),
    '-trace_stat', '-stf', path.join(dir, 'stat.csv'),
  ];
  for (const [key, value] of Object.entries(keys)) args.push('-key', key, value);
  if (options.scenario !== 'uas') {
    if (!options.target) throw new Error('runSipp: a UAC scenario needs a target');
    args.push('-s', options.service ?? '1001', options.target);
  }

  const child = spawn(SIPP_BIN, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TERM: 'dumb' } });
  running.set(child, dir);
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const done = new Promise<SippResult>((resolve) => {
    child.once('exit', (code) => {
      running.delete(child);
      const read = (name: string) => {
        const file = path.join(dir, name);
        return existsSync(file) ? readFileSync(file, 'utf8') : '';
      };
      const result: SippResult = { code, messages: read('messages.log'), errors: read('errors.log'), output };
      rmSync(dir, { recursive: true, force: true });
      resolve(result);
    });
  });
  let finished = false;
  void done.then(() => (finished = true));
  const messages = () => {
    const file = path.join(dir, 'messages.log');
    return existsSync(file) ? readFileSync(file, 'utf8') : '';
  };
  return {
    port,
    done,
    messages,
    waitForTrace: async (pattern, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(messages())) {
        if (finished) throw new Error(`sipp ended before its trace matched ${pattern}\n${describeRun(await done)}`);
        if (Date.now() > deadline) throw new Error(`sipp's trace did not match ${pattern} in ${timeoutMs} ms\n${messages().slice(-6000)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    },
  };
}

/** A failed run as text for an assertion message: exit code, errors, and the SIP messages. */
export function describeRun(result: SippResult): string {
  return [`sipp exit code ${result.code}`, '--- errors ---', result.errors.slice(-4000), '--- messages ---', result.messages.slice(-12000)].join('\n');
}
