/**
 * Kamailio (Debian's package, with kamailio-websocket-modules) as the PBX of the SIP tests: registrar
 * and proxy on loopback, SIP over UDP for sipp and over WebSocket for the browser. Runs in the
 * foreground from a config generated out of kamailio.cfg.tpl, in a private temporary directory.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const KAMAILIO_BIN = process.env.KAMAILIO_PATH ?? '/usr/sbin/kamailio';
export const KAMAILIO_TEMPLATE = path.join(HERE, 'kamailio.cfg.tpl');

export interface KamailioOptions {
  /** The SIP domain phones register in (default pbx.omniline.test, an alias of the proxy). */
  domain?: string;
  /** Where INVITEs for unregistered users go, e.g. `sip:127.0.0.1:5070` (a sipp UAS); none by default. */
  trunk?: string;
  /** Digest authentication (-A WITH_AUTH): extension → password. The trunk's address is trusted. */
  users?: Record<string, string>;
  /** wss:// too (-A WITH_TLS), with a self-signed certificate for 127.0.0.1 made by openssl. */
  tls?: boolean;
  /** Kamailio's log level: 2 info (default), 3 debug; or KAMAILIO_DEBUG in the environment. */
  debug?: number;
}

export interface Kamailio {
  ip: string;
  udpPort: number;
  wsPort: number;
  /** ws://127.0.0.1:<port> for JsSIP. */
  wsUrl: string;
  /** wss://127.0.0.1:<port> when started with `tls`. */
  wssUrl: string | null;
  domain: string;
  /** host:port where sipp sends its requests. */
  udpTarget: string;
  /** Everything Kamailio printed so far. */
  log(): string;
  stop(): Promise<void>;
}

export function kamailioAvailable(): boolean {
  return existsSync(KAMAILIO_BIN) && existsSync('/usr/lib/x86_64-linux-gnu/kamailio/modules/websocket.so');
}

/** A port nobody listens on right now (TCP or UDP), picked by the kernel. */
export async function freePort(kind: 'tcp' | 'udp', host = '127.0.0.1'): Promise<number> {
  if (kind === 'udp') {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, host, resolve);
    });
    const { port } = socket.address();
    await new Promise<void>((resolve) => socket.close(() => resolve()));
    return port;
  }
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export type ConfigValues = Record<
  'IP' | 'DOMAIN' | 'UDP_PORT' | 'WS_PORT' | 'WSS_PORT' | 'TLS_CERT' | 'TLS_KEY' | 'DBURL' | 'TRUNK_IP' | 'TRUNK_URI' | 'DEBUG',
  string
>;

/** kamailio.cfg.tpl with its {{…}} site values filled in. */
export function renderConfig(values: ConfigValues): string {
  const template = readFileSync(KAMAILIO_TEMPLATE, 'utf8');
  return template.replace(/\{\{([A-Z_]+)\}\}/g, (whole, key: string) => {
    const value = (values as Record<string, string>)[key];
    if (value === undefined) throw new Error(`kamailio.cfg.tpl: no value for ${whole}`);
    if (/[!\n]/.test(value)) throw new Error(`kamailio.cfg.tpl: ${key} cannot hold "!" or a newline`);
    return value;
  });
}

/** A db_text directory with the subscriber table auth_db reads (passwords in clear, ha1 computed). */
function writeSubscribers(dir: string, domain: string, users: Record<string, string>): void {
  mkdirSync(dir, { recursive: true });
  const escape = (value: string) => value.replace(/\\/g, '\\\\').replace(/:/g, '\\:');
  const rows = Object.entries(users).map(([user, password], i) => `${i + 1}:${escape(user)}:${escape(domain)}:${escape(password)}:::`);
  writeFileSync(path.join(dir, 'subscriber'), ['id(int,auto) username(string) domain(string) password(string) ha1(string,null) ha1b(string,null)', ...rows, ''].join('\n'));
}

/** A throwaway certificate for 127.0.0.1 (openssl from Debian). */
function writeCertificate(dir: string): { cert: string; key: string } {
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  const result = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`openssl could not make a certificate: ${result.stderr || result.error}`);
  return { cert, key };
}

/** Proxies still running, with their directories: never left behind when the test process ends. */
const running = new Map<ChildProcess, string>();
process.once('exit', () => {
  for (const [child, dir] of running) {
    killGroup(child, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* gone */
    }
  }
}

export async function startKamailio(options: KamailioOptions = {}): Promise<Kamailio> {
  const ip = '127.0.0.1';
  const domain = options.domain ?? 'pbx.omniline.test';
  const udpPort = await freePort('udp');
  const wsPort = await freePort('tcp');
  const wssPort = options.tls ? await freePort('tcp') : 0;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'omniline-kamailio-'));
  const cfg = path.join(dir, 'kamailio.cfg');
  const debug = options.debug ?? Number(process.env.KAMAILIO_DEBUG ?? 2);
  const defines: string[] = [];
  let dbUrl = 'text:///nonexistent';
  if (options.users) {
    writeSubscribers(path.join(dir, 'db'), domain, options.users);
    dbUrl = `text://${path.join(dir, 'db')}`;
    defines.push('-A', 'WITH_AUTH');
  }
  let tls = { cert: '', key: '' };
  if (options.tls) {
    tls = writeCertificate(dir);
    defines.push('-A', 'WITH_TLS');
  }
  const trunkIp = options.trunk ? (/^sips?:(?:[^@]*@)?([^:;>]+)/.exec(options.trunk)?.[1] ?? '') : '';
  writeFileSync(
    cfg,
    renderConfig({
      IP: ip,
      DOMAIN: domain,
      UDP_PORT: String(udpPort),
      WS_PORT: String(wsPort),
      WSS_PORT: String(wssPort),
      TLS_CERT: tls.cert,
      TLS_KEY: tls.key,
      DBURL: dbUrl,
      TRUNK_IP: trunkIp,
      TRUNK_URI: options.trunk ?? '',
      DEBUG: String(debug),
    }),
  );

  // -DD: stay in the foreground (children still forked), -E: log to stderr, -Y: private runtime dir.
  const child = spawn(
    KAMAILIO_BIN,
    ['-f', cfg, ...defines, '-DD', '-E', '-Y', dir, '-P', path.join(dir, 'kamailio.pid'), '-w', dir, '-m', '32', '-M', '8', '-a', 'no'],
    { cwd: dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  running.set(child, dir);
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > 2_000_000) output = output.slice(-1_000_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', () => running.delete(child));

  const kamailio: Kamailio = {
    ip,
    udpPort,
    wsPort,
    wsUrl: `ws://${ip}:${wsPort}`,
    wssUrl: options.tls ? `wss://${ip}:${wssPort}` : null,
    domain,
    udpTarget: `${ip}:${udpPort}`,
    log: () => output,
    stop: async () => {
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
      // Children of the group that outlived the main process.
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* none left */
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };

  try {
    await waitUntilListening(kamailio, () => child.exitCode !== null || child.signalCode !== null);
  } catch (error) {
    await kamailio.stop();
    throw new Error(`Kamailio did not start: ${(error as Error).message}\n--- kamailio log ---\n${output.slice(-8000)}`);
  }
  return kamailio;
}

/** Until the WebSocket port accepts connections and an OPTIONS over UDP gets its 200. */
async function waitUntilListening(k: Kamailio, dead: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (dead()) throw new Error('kamailio exited');
    const wssPort = k.wssUrl ? Number(new URL(k.wssUrl).port) : null;
    if ((await tcpOpen(k.ip, k.wsPort)) && (wssPort === null || (await tcpOpen(k.ip, wssPort))) && (await optionsPing(k.ip, k.udpPort))) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`not listening on udp:${k.udpPort} / tcp:${k.wsPort} after ${timeoutMs} ms`);
}

function tcpOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(500);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Sends a SIP OPTIONS to the proxy itself; true on a 200 within 500 ms. */
export function optionsPing(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.close();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), 500);
    socket.once('error', () => done(false));
    socket.on('message', (msg) => {
      if (/^SIP\/2\.0 200 /.test(msg.toString())) done(true);
    });
    socket.bind(0, host, () => {
      const local = socket.address().port;
      const id = `${Date.now()}${Math.random().toString(36).slice(2)}`;
      const request = [
        `OPTIONS sip:${host}:${port} SIP/2.0`,
        `Via: SIP/2.0/UDP ${host}:${local};rport;branch=z9hG4bK${id}`,
        `From: <sip:probe@${host}>;tag=${id}`,
        `To: <sip:${host}:${port}>`,
        `Call-ID: probe-${id}`,
        'CSeq: 1 OPTIONS',
        'Max-Forwards: 5',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
      socket.send(request, port, host);
    });
  });
}
