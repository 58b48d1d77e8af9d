import { spawn, type ChildProcess } from 'node:child_process';
import { eventually } from './clients.js';


export interface HubProcess {
  url: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  output(): string;
  /** SIGKILL: no shutdown code runs, as when the machine loses power or the OOM killer strikes. */
  kill(): Promise<void>;
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
}

/** The hub as production runs it (`server/main.ts` in its own process), ready once /healthz says ok. */
export async function startHubProcess(opts: { dataDir: string; port: number; env?: Record<string, string> }): Promise<HubProcess> {
  // One process, as in production: the tsx wrapper would survive a SIGKILL aimed at it in a child of its own.
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, DATA_DIR: opts.dataDir, PORT: String(opts.port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', HUB_ADMIN_EMAIL: 'admin@test.local', HUB_ADMIN_PASSWORD: 'admin-password-1', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${opts.port}`;
  let gone = false;
  void exited.then(() => (gone = true));
  await eventually(async () => {
    if (gone) throw new Error(`hub exited during start-up:\n${out}`);
    return (await fetch(`${url}/healthz`).then((r) => r.json()).catch(() => null))?.status === 'ok';
  }, 'hub process healthy', 60_000);
  return {
    url, child, exited, output: () => out,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}
