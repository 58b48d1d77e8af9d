import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { NGINX } from './peers.js';

const DEPLOY = path.resolve(import.meta.dirname, '../../deploy/nginx');

export interface Nginx {
  url: string;
  /** The nginx error log (upstream failures show here). */
  errors(): string;
  stop(): Promise<void>;
}

/**
 * Debian's nginx in front of the given loopback ports, configured with the shipped sample: the
 * `upstream` block of deploy/nginx/omniline.conf (its server lines replaced by ours) and the
 * locations of deploy/nginx/omniline-proxy.conf, in a private prefix directory.
 */
export async function startNginx(o: { dir: string; port: number; upstreams: number[] }): Promise<Nginx> {
  const site = readFileSync(path.join(DEPLOY, 'omniline.conf'), 'utf8');
  const upstream = /upstream omniline \{[\s\S]*?\n\}/.exec(site)?.[0];
  const map = /map \$http_upgrade \$connection_upgrade \{[\s\S]*?\n\}/.exec(site)?.[0];
  if (!upstream || !map) throw new Error('deploy/nginx/omniline.conf lost its upstream or map block');
  const servers = o.upstreams.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=10s;`).join('\n');
  const ours = upstream.replace(/(\n\s*server [^\n]+;)+/, `\n${servers}`);
  mkdirSync(path.join(o.dir, 'temp'), { recursive: true });
  const conf = `
${process.getuid?.() === 0 ? 'user root;' : ''}
worker_processes 1;
error_log ${o.dir}/error.log info;
pid ${o.dir}/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${o.dir}/temp/body;
  proxy_temp_path ${o.dir}/temp/proxy;
  fastcgi_temp_path ${o.dir}/temp/fastcgi;
  uwsgi_temp_path ${o.dir}/temp/uwsgi;
  scgi_temp_path ${o.dir}/temp/scgi;
${ours}
${map}
  server {
    listen 127.0.0.1:${o.port};
    include ${path.join(DEPLOY, 'omniline-proxy.conf')};
  }
}
`;
  writeFileSync(path.join(o.dir, 'nginx.conf'), conf);
  const child: ChildProcess = spawn(NGINX, ['-p', o.dir, '-e', `${o.dir}/error.log`, '-c', `${o.dir}/nginx.conf`, '-g', 'daemon off;'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const errors = () => {
    try {
      return out + readFileSync(path.join(o.dir, 'error.log'), 'utf8');
    } catch {
      return out;
    }
  };
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${errors()}`);
    if (await accepts(o.port)) break;
    if (i > 100) throw new Error(`nginx did not listen on ${o.port}: ${errors()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `http://127.0.0.1:${o.port}`,
    errors,
    async stop() {
      if (child.exitCode === null) child.kill('SIGQUIT');
      await exited;
    },
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}
