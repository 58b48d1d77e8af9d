import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually, visitor } from '../helpers/clients.js';

const tsx = path.resolve('node_modules/.bin/tsx');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function run(env: Record<string, string>) {
  const dir = mkdtempSync(path.join(tmpdir(), 'omniline-proc-'));
  dirs.push(dir);
  const child = spawn(tsx, ['server/main.ts'], { env: { ...process.env, DATA_DIR: dir, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, dir, exited, out: () => out, err: () => err };
}

describe('the process', () => {
  it('refuses to start on a bad setting with one line naming it', async () => {
    const p = run({ PORT: 'eighty' });
    expect(await p.exited).toBe(1);
    expect(p.err().trim().split('\n').filter((l) => !l.includes('npm warn'))).toEqual(['Invalid configuration: PORT must be a port number (got "eighty")']);
  });

  it('starts on an empty data folder, prints the admin login once, and stops gracefully on SIGTERM', async () => {
    const port = 30000 + Math.floor(Math.random() * 20000);
    const p = run({ PORT: String(port), HOST: '127.0.0.1' });
    const url = `http://127.0.0.1:${port}`;
    await eventually(() => /Admin login: admin@omniline\.local \/ \S{12,}/.test(p.out()), 'start-up banner', 20_000);
    expect((await (await fetch(`${url}/healthz`)).json()).status).toBe('ok');
    const key = /data-key="([^"]+)"/.exec(await (await fetch(`${url}/demo`)).text())?.[1];
    expect(key).toBeTruthy();
    const v = await visitor(url, key!);
    const disconnected = new Promise((r) => v.socket.on('disconnect', r));
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    await disconnected;
    expect(p.err()).not.toMatch(/error/i);

    const again = run({ PORT: String(port), HOST: '127.0.0.1', DATA_DIR: p.dir });
    await eventually(() => again.out().includes('Admin login: admin@omniline.local (password'), 'second start banner', 20_000);
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  });
});
