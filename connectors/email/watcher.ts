import { ImapFlow } from 'imapflow';
import type { ConnectorLogger } from '../contract.js';
import { describeConnectionError, imapOptions, isMissingFolder } from './connection.js';
import type { EmailSettings } from './settings.js';
import { syncFolder, type SyncDeps } from './sync.js';

export interface FolderStatus {
  state: 'starting' | 'connected' | 'error';
  reason: string | null;
}

export interface WatcherDeps {
  settings: EmailSettings;
  sync: Omit<SyncDeps, 'stopped'>;
  logger: ConnectorLogger;
  onStatus(folder: string, status: FolderStatus): void;
  /** Delay before reconnect attempt `n` (1-based); rejected logins wait longer so the server does not lock the account. */
  backoffMs?(attempt: number, authFailed: boolean): number;
}

/** 1 s doubling to 1 min; after a rejected login 30 s doubling to 10 min; ±20 % jitter. */
export function reconnectDelay(attempt: number, authFailed: boolean): number {
  const [base, max] = authFailed ? [30_000, 600_000] : [1_000, 60_000];
  const ms = Math.min(max, base * 2 ** Math.min(attempt - 1, 12));
  return Math.round(ms * (0.8 + Math.random() * 0.4));
}

class Failure extends Error {
  constructor(message: string, readonly authFailed: boolean) {
    super(message);
  }
}

/**
 * One IMAP connection per watched folder: sync, then IDLE until the server announces new mail
 * (push) or the poll interval passes (fallback), then sync again. A lost connection reconnects with
 * backoff; every change of state is reported so the console shows it.
 */
export class FolderWatcher {
  private stopped = false;
  private client: ImapFlow | null = null;
  private woken = false;
  private wakeUp: (() => void) | null = null;
  private loop: Promise<void> | null = null;

  constructor(readonly folder: string, private readonly d: WatcherDeps) {}

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    this.client?.close();
    await this.loop;
  }

  private wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Resolves true when the time ran out, false when woken (new mail, closed connection, stop). */
  private sleep(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      if (this.woken || this.stopped) return resolve(false);
      const timer = setTimeout(() => finish(true), ms);
      const finish = (timedOut = false) => {
        clearTimeout(timer);
        this.wakeUp = null;
        resolve(timedOut);
      };
      this.wakeUp = () => finish(false);
    });
  }

  private async run(): Promise<void> {
    const s = this.d.settings;
    const where = `IMAP ${s.imapHost}:${s.imapPort}`;
    for (let attempt = 0; !this.stopped; ) {
      const client = new ImapFlow(imapOptions(s));
      this.client = client;
      client.on('error', (err: Error) => this.d.logger.warn({ err, folder: this.folder }, 'IMAP connection error'));
      // Only the current connection may wake the loop: a closed one must not cut a backoff short.
      const wakeIfCurrent = () => this.client === client && this.wake();
      client.on('exists', wakeIfCurrent);
      client.on('close', wakeIfCurrent);
      let failure: Failure | null = null;
      try {
        await this.open(client, where);
        attempt = 0;
        this.d.onStatus(this.folder, { state: 'connected', reason: null });
        await this.watch(client);
      } catch (err) {
        failure = err instanceof Failure ? err : new Failure(`Connection to ${where} lost: ${describeConnectionError(err, where, s.imapTls)}`, false);
      }
      this.client = null;
      client.close();
      if (this.stopped || !failure) break;
      attempt++;
      const wait = (this.d.backoffMs ?? reconnectDelay)(attempt, failure.authFailed);
      const reason = `${failure.message}; retrying in ${Math.max(1, Math.round(wait / 1000))} s`;
      this.d.logger.warn({ folder: this.folder, attempt, reason }, 'e-mail folder watcher will reconnect');
      this.d.onStatus(this.folder, { state: 'error', reason });
      this.woken = false;
      await this.sleep(wait);
    }
  }

  /** Connects and selects the folder, turning failures into the admin's words. */
  private async open(client: ImapFlow, where: string): Promise<void> {
    const s = this.d.settings;
    try {
      await client.connect();
    } catch (err) {
      const e = err as { authenticationFailed?: boolean; serverResponseCode?: string };
      throw new Failure(describeConnectionError(err, where, s.imapTls), !!e.authenticationFailed || e.serverResponseCode === 'AUTHENTICATIONFAILED');
    }
    await this.select(client);
  }

  /** SELECT (EXAMINE unless marking read); a fresh one also reveals a folder renumbered or re-created meanwhile. */
  private async select(client: ImapFlow): Promise<void> {
    const s = this.d.settings;
    try {
      await client.mailboxOpen(this.folder, { readOnly: !s.markAsRead });
    } catch (err) {
      if (isMissingFolder(err)) throw new Failure(`Folder missing: "${this.folder}" does not exist in the mailbox ${s.imapUser}`, false);
      throw err;
    }
  }

  private async watch(client: ImapFlow): Promise<void> {
    const pollMs = this.d.settings.pollSeconds * 1000;
    while (!this.stopped) {
      this.woken = false;
      await syncFolder(client, this.folder, { ...this.d.sync, stopped: () => this.stopped });
      if (this.stopped) return;
      if (!client.usable) throw new Error('the server closed the connection');
      if (this.woken) continue;
      // IDLE runs until the next command breaks it: the sync that a wake-up (new mail, poll timer) starts.
      client.idle().catch(() => undefined);
      const polled = await this.sleep(pollMs);
      if (!client.usable && !this.stopped) throw new Error('the server closed the connection');
      // The fallback re-check selects the folder again: a selected folder that was deleted and
      // re-created keeps answering from its old copy, and only a new SELECT shows the new UIDVALIDITY.
      if (polled) await this.select(client);
    }
  }
}
