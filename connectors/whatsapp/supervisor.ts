import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FromWorker, ToWorker, WorkerConfig } from './protocol.js';
import type { SessionSnapshot } from './session-snapshot.js';

export interface SupervisorOptions {
  config: WorkerConfig;
  /** Extra environment for the worker (tests point the client double at its peer through it). */
  env?: Record<string, string>;
  /** Restart delay after the n-th consecutive failure: base·2ⁿ, capped. @default { baseMs: 1000, maxMs: 60000 } */
  backoff?: { baseMs: number; maxMs: number };
  /** The session snapshot to hand each new worker; a failure starts it from its local folder. */
  session(): Promise<SessionSnapshot | null>;
  onMessage(m: FromWorker): void;
  /** The worker is starting (attempt 0 first, then each restart). */
  onSpawn(attempt: number): void;
  /** The worker ended; it will be started again after `delayMs` unless stopped. */
  onExit(detail: string, delayMs: number): void;
}

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

type Pending = { resolve(v: unknown): void; reject(e: Error): void; timer: NodeJS.Timeout };

/** A failed worker command: `permanent` when retrying cannot help (number not on WhatsApp). */
export class WorkerError extends Error {
  constructor(message: string, readonly permanent: boolean) {
    super(message);
  }
}

/**
 * Keeps one worker process alive: forks it, restarts it with exponential backoff when it exits
 * (crash, disconnect, Chromium gone), and pairs commands with their replies.
 */
export class WorkerSupervisor {
  private child: ChildProcess | null = null;
  private attempt = 0;
  private rid = 0;
  private readonly pending = new Map<number, Pending>();
  private restartTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly opts: SupervisorOptions) {}

  start(): void {
    this.stopped = false;
    this.spawn();
  }

  /** A healthy session resets the backoff. */
  healthy(): void {
    this.attempt = 0;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    // 'close', not 'exit': only then has every message the worker sent on its way out arrived.
    const exited = new Promise<void>((r) => child.once('close', () => r()));
    this.post({ t: 'shutdown' });
    const timer = setTimeout(() => child.kill('SIGKILL'), 8000);
    await exited;
    clearTimeout(timer);
  }

  /** Sends a command and waits for its reply; rejects if the worker dies or does not answer in time. */
  request<T>(msg: Omit<Extract<ToWorker, { rid: number }>, 'rid'>, timeoutMs: number): Promise<T> {
    if (!this.child?.connected) return Promise.reject(new WorkerError('WhatsApp worker is not running', false));
    const rid = ++this.rid;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => this.settle(rid, new WorkerError('WhatsApp did not answer in time', false)), timeoutMs);
      this.pending.set(rid, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.post({ ...msg, rid } as ToWorker);
    });
  }

  private post(m: ToWorker): void {
    if (this.child?.connected) this.child.send(m);
  }

  private settle(rid: number, result: Error | { value: unknown }): void {
    const p = this.pending.get(rid);
    if (!p) return;
    this.pending.delete(rid);
    clearTimeout(p.timer);
    if (result instanceof Error) p.reject(result);
    else p.resolve(result.value);
  }

  private spawn(): void {
    this.opts.onSpawn(this.attempt);
    void this.opts.session().catch(() => null).then((session) => this.stopped || this.fork(session));
  }

  private fork(session: SessionSnapshot | null): void {
    const child = fork(WORKER, [], {
      execArgv: ['--import', TSX],
      env: { ...process.env, ...this.opts.env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    this.child = child;
    child.on('message', (m: FromWorker) => {
      if (m.t === 'reply') return this.settle(m.rid, m.ok ? { value: m.result } : new WorkerError(m.error, m.permanent));
      this.opts.onMessage(m);
    });
    child.once('exit', (code, signal) => this.exited(child, signal ? `worker killed by ${signal}` : `worker exited with code ${code}`));
    child.once('error', (err) => this.exited(child, `worker failed: ${err.message}`));
    child.send({ t: 'init', config: this.opts.config, session } satisfies ToWorker);
  }

  private exited(child: ChildProcess, detail: string): void {
    if (this.child !== child) return;
    this.child = null;
    for (const rid of [...this.pending.keys()]) this.settle(rid, new WorkerError(`WhatsApp worker stopped (${detail})`, false));
    if (this.stopped) return;
    const { baseMs, maxMs } = this.opts.backoff ?? { baseMs: 1000, maxMs: 60_000 };
    const delay = Math.min(maxMs, baseMs * 2 ** Math.min(this.attempt, 10));
    this.attempt++;
    this.opts.onExit(detail, delay);
    this.restartTimer = setTimeout(() => this.stopped || this.spawn(), delay);
  }
}
