import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';

const DOVECOT = ['/usr/sbin/dovecot', '/usr/bin/dovecot'].find((p) => existsSync(p)) ?? null;
const DOVEADM = ['/usr/bin/doveadm', '/usr/sbin/doveadm'].find((p) => existsSync(p)) ?? 'doveadm';

/**
 * Whether the e-mail suites can run. Locally a missing Dovecot skips them with the reason printed;
 * under CI=true it is a failure (.ci/run installs dovecot-imapd and dovecot-lmtpd).
 */
export function dovecotAvailable(): boolean {
  if (DOVECOT && process.getuid?.() === 0) return true;
  const why = DOVECOT ? 'the test setup must run as root to start Dovecot with its own users' : 'dovecot is not installed (apt-get install dovecot-imapd dovecot-lmtpd)';
  if (process.env.CI === 'true') throw new Error(`Dovecot is required under CI: ${why}`);
  console.warn(`[skip] e-mail suites skipped: ${why}`);
  return false;
}

export interface Dovecot {
  host: string;
  imapPort: number;
  /** TLS from the first byte, with a self-signed certificate. */
  imapsPort: number;
  lmtpPort: number;
  /** Mail for `user` put straight into a folder, as another client would (IMAP APPEND). */
  append(user: string, folder: string, raw: Buffer | string, internalDate?: Date): Promise<number>;
  /** Mail delivered as an MTA would (LMTP), adding Return-Path and Delivered-To. */
  deliver(rcpt: string, raw: Buffer | string, from?: string): Promise<void>;
  /** A logged-in client of `user`, for setting up folders and reading flags. */
  client(user: string): Promise<ImapFlow>;
  setPassword(user: string, password: string): void;
  /** Drops every IMAP connection of the users (doveadm kick), as a server restart or failover does. */
  kick(...users: string[]): void;
  /** Drops all connections, stops the server for `downMs`, and starts it again on the same ports and mail. */
  restart(downMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startDovecot(users: Record<string, string>): Promise<Dovecot> {
  if (!DOVECOT) throw new Error('dovecot is not installed');
  const dir = mkdtempSync(path.join(tmpdir(), 'omniline-dovecot-'));
  chmodSync(dir, 0o755);
  const mail = path.join(dir, 'mail');
  mkdirSync(mail);
  chownSync(mail, 65534, 65534);
  const passwords = { ...users };
  const writeUsers = () => writeFileSync(path.join(dir, 'users'), Object.entries(passwords).map(([u, p]) => `${u}:{PLAIN}${p}\n`).join(''));
  writeUsers();
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
  const [imapPort, imapsPort, lmtpPort] = [await freePort(), await freePort(), await freePort()];
  const conf = path.join(dir, 'dovecot.conf');
  writeFileSync(conf, `
protocols = imap lmtp
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/state
instance_name = omniline-${path.basename(dir)}
log_path = ${dir}/dovecot.log
ssl = yes
ssl_cert = <${dir}/cert.pem
ssl_key = <${dir}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
auth_username_format = %Ln
recipient_delimiter = +
lmtp_hdr_delivery_address = original
default_internal_user = dovecot
default_internal_group = dovecot
default_login_user = dovenull
first_valid_uid = 1
mail_location = maildir:${mail}/%n
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%n ${dir}/users
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=${mail}/%n
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${imapPort}
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = ${imapsPort}
    ssl = yes
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = ${lmtpPort}
  }
  unix_listener lmtp {
    mode = 0600
  }
}
service anvil {
  chroot =
}
`);
  let proc: ChildProcess | null = null;
  const start = async () => {
    rmSync(path.join(dir, 'run', 'master.pid'), { force: true });
    proc = spawn(DOVECOT, ['-F', '-c', conf], { stdio: 'ignore' });
    await waitForGreeting(imapPort, () => (existsSync(path.join(dir, 'dovecot.log')) ? readFileSync(path.join(dir, 'dovecot.log'), 'utf8') : ''));
  };
  const stopProc = async () => {
    const p = proc;
    proc = null;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill('SIGTERM');
    });
  };
  await start();

  const kick = (...names: string[]) => {
    for (const u of names) {
      try {
        execFileSync(DOVEADM, ['-c', conf, 'kick', u], { stdio: 'ignore' });
      } catch {
        // exit 68: the user has no connection to drop
      }
    }
  };
  const client = async (user: string) => {
    const c = new ImapFlow({ host: '127.0.0.1', port: imapPort, secure: false, doSTARTTLS: false, auth: { user, pass: passwords[user]! }, logger: false });
    c.on('error', () => undefined);
    await c.connect();
    return c;
  };
  return {
    host: '127.0.0.1', imapPort, imapsPort, lmtpPort,
    async append(user, folder, raw, internalDate) {
      const c = await client(user);
      try {
        const r = await c.append(folder, typeof raw === 'string' ? Buffer.from(raw) : raw, [], internalDate);
        return r ? r.uid ?? 0 : 0;
      } finally {
        await c.logout();
      }
    },
    async deliver(rcpt, raw, from = 'sender@client.example') {
      const lmtp = nodemailer.createTransport({ lmtp: true, host: '127.0.0.1', port: lmtpPort, ignoreTLS: true } as never);
      await lmtp.sendMail({ envelope: { from, to: [rcpt] }, raw: typeof raw === 'string' ? Buffer.from(raw) : raw });
      lmtp.close();
    },
    client,
    setPassword(user, password) {
      passwords[user] = password;
      writeUsers();
    },
    kick,
    async restart(downMs = 500) {
      kick(...Object.keys(passwords));
      await stopProc();
      await new Promise((r) => setTimeout(r, downMs));
      await start();
    },
    async stop() {
      if (proc) kick(...Object.keys(passwords));
      await stopProc();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForGreeting(port: number, log: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = createConnection({ host: '127.0.0.1', port });
      s.once('data', (d) => {
        s.destroy();
        resolve(d.toString().startsWith('* OK'));
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`Dovecot did not start:\n${log()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}
