import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HUB_NODE_FLAGS } from '../../config/node-flags.js';
import type { ChildMessage, ChildStats } from '../child.js';
import { sleep } from './stats.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * A benchmark child (bench/child.ts protocol) in a process of its own: the hub, the bare relay or a
 * load worker. Started with `node --import tsx <file>` directly, so `pid` is the server itself.
 */
export class ServerChild {
  private waiters: Array<(m: ChildMessage) => boolean> = [];
  private exited = false;
  private nextCall = 1;

  private constructor(readonly name: string, private readonly proc: ChildProcess, readonly info: Record<string, any>) {}

  static async start(name: string, file: string, opts: { nodeArgs?: string[]; env?: Record<string, string | undefined> } = {}): Promise<ServerChild> {
    const proc = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', path.join(ROOT, file)], {
      cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: { ...process.env, ...opts.env }, serialization: 'advanced',
    });
    const ready = await new Promise<Record<string, any>>((resolve, reject) => {
      proc.once('exit', (code) => reject(new Error(`${name} exited with code ${code} before it was ready`)));
      proc.once('error', reject);
      proc.once('message', (m: ChildMessage) => ('ready' in m ? resolve(m.ready) : reject(new Error(`${name} failed to start: ${'failed' in m ? m.failed : JSON.stringify(m)}`))));
    });
    proc.removeAllListeners('exit');
    const child = new ServerChild(name, proc, ready);
    proc.on('message', (m: ChildMessage) => (child.waiters = child.waiters.filter((w) => !w(m))));
    proc.on('exit', () => (child.exited = true));
    return child;
  }

  /** bench/hub-process.ts, started with the V8 flags production uses. */
  static startHub(opts: { nodeArgs?: string[]; env?: Record<string, string | undefined> } = {}): Promise<ServerChild> {
    return ServerChild.start('hub', 'bench/hub-process.ts', { ...opts, nodeArgs: [...HUB_NODE_FLAGS, ...(opts.nodeArgs ?? [])] });
  }

  get pid(): number {
    return this.proc.pid!;
  }

  private request<T>(message: object, what: string, pick: (m: ChildMessage) => T | undefined, timeoutMs = 10_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name} did not answer ${what}`)), timeoutMs);
      this.waiters.push((m) => {
        const v = pick(m);
        if (v === undefined) return false;
        clearTimeout(timer);
        resolve(v);
        return true;
      });
      this.proc.send(message);
    });
  }

  /** CPU and event-loop figures of the child since the previous call. */
  stats(): Promise<ChildStats> {
    return this.request({ cmd: 'stats' }, 'stats', (m) => ('stats' in m ? m.stats : undefined));
  }

  /** Runs one of the child's own commands (see `serveAsChild`'s `commands`) and returns its result. */
  async call<T = unknown>(command: string, args: unknown = null, timeoutMs = 600_000): Promise<T> {
    const id = this.nextCall++;
    const reply = await this.request({ cmd: 'call', id, command, args }, command, (m) => ('reply' in m && m.reply.id === id ? m.reply : undefined), timeoutMs);
    if (reply.error !== undefined) throw new Error(`${this.name} ${command}: ${reply.error}`);
    return reply.result as T;
  }

  /** Asks the child to stop cleanly; one that has not stopped after `timeoutMs` is killed (and said so). */
  async stop(timeoutMs = 15_000): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.proc.once('exit', () => resolve()));
    try {
      await this.request({ cmd: 'stop' }, 'stop', (m) => ('stopped' in m ? true : undefined), timeoutMs);
      await Promise.race([exited, sleep(5000)]);
    } catch (err) {
      console.warn(`${this.name}: ${(err as Error).message} within ${timeoutMs / 1000} s; killed`);
    } finally {
      if (!this.exited) this.proc.kill('SIGKILL');
    }
  }
}
