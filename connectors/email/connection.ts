import type { ImapFlowOptions } from 'imapflow';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { smtpAuth, type EmailSettings } from './settings.js';

/** ImapFlow options for a channel: no auto-IDLE (the watcher decides when to idle), no library logging. */
export function imapOptions(s: EmailSettings, overrides: Partial<ImapFlowOptions> = {}): ImapFlowOptions {
  return {
    host: s.imapHost,
    port: s.imapPort,
    secure: s.imapTls === 'tls',
    // A STARTTLS channel must upgrade: credentials never cross the wire in clear by accident.
    doSTARTTLS: s.imapTls === 'starttls' ? true : s.imapTls === 'none' ? false : undefined,
    auth: { user: s.imapUser, pass: s.imapPassword },
    tls: { rejectUnauthorized: !s.allowInvalidCertificates },
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: 15_000,
    greetingTimeout: 10_000,
    // Servers end IDLE after 30 minutes and middleboxes drop silent sockets sooner: renew it well before.
    maxIdleTime: 4 * 60_000,
    clientInfo: { name: 'Omniline' },
    ...overrides,
  };
}

export function smtpOptions(s: EmailSettings): SMTPTransport.Options {
  return {
    host: s.smtpHost,
    port: s.smtpPort,
    secure: s.smtpTls === 'tls',
    requireTLS: s.smtpTls === 'starttls',
    ignoreTLS: s.smtpTls === 'none',
    auth: smtpAuth(s),
    tls: { rejectUnauthorized: !s.allowInvalidCertificates },
    connectionTimeout: 15_000,
    greetingTimeout: 10_000,
    socketTimeout: 60_000,
  };
}

interface AnyError {
  message?: string;
  code?: string;
  authenticationFailed?: boolean;
  serverResponseCode?: string;
  responseText?: string;
  responseCode?: number;
  response?: string;
}

const TLS_CODES = /^(ERR_SSL|ERR_TLS|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_(VERIFY|GET)|CERT_|ETLS$|HOSTNAME_MISMATCH)/;

/**
 * One sentence saying what is wrong with a connection, for the admin: authentication failed, TLS
 * error, host unreachable, or the server's own words. `where` names the peer (`IMAP imap.x:993`).
 */
export function describeConnectionError(err: unknown, where: string, tls: EmailSettings['imapTls'] = 'tls'): string {
  const e = (err ?? {}) as AnyError;
  const said = (e.responseText || e.response || e.message || '').replace(/\s+/g, ' ').trim().slice(0, 300);
  // nodemailer wraps socket errors (ESOCKET, ECONNECTION); the cause's code is in the message.
  const inner = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ECONNRESET)\b/.exec(said)?.[1];
  const code = (/^(ESOCKET|ECONNECTION)$/.test(e.code ?? '') && inner) || e.code || '';
  if (e.authenticationFailed || e.serverResponseCode === 'AUTHENTICATIONFAILED' || code === 'EAUTH') {
    return `Authentication failed at ${where}: the server rejected the login or password${said ? ` (${said})` : ''}`;
  }
  if (code === 'ECONNREFUSED') return `Host unreachable: ${where} refused the connection (nothing listens on that port)`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EDNS') return `Host unreachable: the name in ${where} does not resolve`;
  if (/^(ETIMEDOUT|CONNECT_TIMEOUT|GREETING_TIMEOUT|EHOSTUNREACH|ENETUNREACH|ECONNRESET)$/.test(code) || /timeout/i.test(code)) {
    const hint = tls === 'none' || tls === 'starttls' ? '; if the port expects TLS from the start (993, 465), choose TLS' : '';
    return `Host unreachable: no answer from ${where} in time (${code})${hint}`;
  }
  if (TLS_CODES.test(code) || /certificate|SSL routines|tls|handshake/i.test(said)) {
    const hint = /wrong version number|packet length too long/i.test(said)
      ? ': the port does not speak TLS from the start; choose STARTTLS (143, 587) or no encryption'
      : /self[- ]signed|unable to verify|expired|altname|hostname/i.test(said) ? ': the server certificate is not trusted (self-signed, expired or for another name)' : '';
    return `TLS error with ${where}${hint} (${said || code})`;
  }
  if (code === 'ClosedAfterConnectText' || code === 'ClosedAfterConnectTLS') return `The server at ${where} closed the connection right after connecting${said ? ` (${said})` : ''}`;
  if (e.responseCode) return `${where} answered ${said}`;
  return `${where}: ${said || code || 'unknown error'}`;
}

/** Whether a failed SELECT/EXAMINE means the folder is not there. */
export function isMissingFolder(err: unknown): boolean {
  const e = (err ?? {}) as AnyError & { mailboxMissing?: boolean };
  return e.mailboxMissing === true || e.serverResponseCode === 'NONEXISTENT' || /doesn't exist|does not exist|nonexistent|no such (mailbox|folder)|unknown mailbox|not found/i.test(e.responseText ?? e.message ?? '');
}
