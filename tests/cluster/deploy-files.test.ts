import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HUB_NODE_FLAGS } from '../../config/node-flags.js';
import { NGINX } from './peers.js';

const DEPLOY = path.resolve(import.meta.dirname, '../../deploy');
const dir = mkdtempSync(path.join(tmpdir(), 'omniline-deploy-'));
const SYSTEMD_ANALYZE = '/usr/bin/systemd-analyze';

/** The shipped samples as an operator installs them: the nginx site passes `nginx -t`, the unit `systemd-analyze verify`. */
describe('deploy/ samples', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.runIf(existsSync(NGINX))('the nginx site (upstream, TLS, WebSocket, the proxy snippet) passes nginx -t', () => {
    mkdirSync(path.join(dir, 'temp'), { recursive: true });
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=chat.example.com', '-keyout', `${dir}/key.pem`, '-out', `${dir}/cert.pem`], { stdio: 'ignore' });
    const site = readFileSync(path.join(DEPLOY, 'nginx/omniline.conf'), 'utf8')
      .replaceAll('/etc/letsencrypt/live/chat.example.com/fullchain.pem', `${dir}/cert.pem`)
      .replaceAll('/etc/letsencrypt/live/chat.example.com/privkey.pem', `${dir}/key.pem`)
      .replaceAll('/etc/nginx/snippets/omniline-proxy.conf', path.join(DEPLOY, 'nginx/omniline-proxy.conf'));
    writeFileSync(path.join(dir, 'site.conf'), site);
    writeFileSync(path.join(dir, 'nginx.conf'), `pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events {}
http {
  client_body_temp_path ${dir}/temp/body; proxy_temp_path ${dir}/temp/proxy; fastcgi_temp_path ${dir}/temp/fastcgi; uwsgi_temp_path ${dir}/temp/uwsgi; scgi_temp_path ${dir}/temp/scgi;
  include ${dir}/site.conf;
}
`);
    const r = spawnSync(NGINX, ['-t', '-p', dir, '-e', `${dir}/error.log`, '-c', `${dir}/nginx.conf`], { encoding: 'utf8' });
    expect(r.stderr).toContain('test is successful');
    expect(r.stderr).not.toMatch(/\[(warn|emerg)\]/);
  });

  it.runIf(existsSync(SYSTEMD_ANALYZE))('the systemd unit passes systemd-analyze verify without a warning', () => {
    copyFileSync(path.join(DEPLOY, 'omniline.service'), path.join(dir, 'omniline.service'));
    const r = spawnSync(SYSTEMD_ANALYZE, ['verify', '--man=no', path.join(dir, 'omniline.service')], { encoding: 'utf8' });
    // Missing units named in After= are not the unit's fault; anything else (a bad setting) is.
    const complaints = `${r.stdout}${r.stderr}`.split('\n').filter((l) => l.trim() && !/not found|Unit .* not loaded/i.test(l));
    expect(complaints).toEqual([]);
    expect(readFileSync(path.join(DEPLOY, 'omniline.service'), 'utf8')).toMatch(/^KillSignal=SIGTERM$/m);
  });

  it('the unit and `npm start` run the hub with the V8 flags of config/node-flags.ts', () => {
    const execStart = /^ExecStart=(.*)$/m.exec(readFileSync(path.join(DEPLOY, 'omniline.service'), 'utf8'))?.[1] ?? '';
    const start = (JSON.parse(readFileSync(path.join(DEPLOY, '../package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start ?? '';
    for (const command of [execStart, start]) {
      const main = command.indexOf('server/main.ts');
      expect(main).toBeGreaterThan(0);
      // Flags after the script would be the script's arguments, not node's.
      for (const flag of HUB_NODE_FLAGS) expect(command.slice(0, main).split(/\s+/)).toContain(flag);
    }
  });
});
