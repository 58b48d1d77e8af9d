import { describe, expect, it } from 'vitest';
import { describeConnectionError, isMissingFolder } from './connection.js';
import { reconnectDelay } from './watcher.js';

const where = 'IMAP mail.example:993';

describe('connection errors in the admin\'s words', () => {
  it('names authentication, unreachable hosts and TLS trouble', () => {
    expect(describeConnectionError({ authenticationFailed: true, responseText: 'Authentication failed.' }, where))
      .toBe('Authentication failed at IMAP mail.example:993: the server rejected the login or password (Authentication failed.)');
    expect(describeConnectionError({ code: 'ECONNREFUSED' }, where)).toBe('Host unreachable: IMAP mail.example:993 refused the connection (nothing listens on that port)');
    expect(describeConnectionError({ code: 'ENOTFOUND' }, where)).toBe('Host unreachable: the name in IMAP mail.example:993 does not resolve');
    expect(describeConnectionError({ code: 'CONNECT_TIMEOUT' }, where, 'none')).toMatch(/^Host unreachable: no answer .*choose TLS$/);
    expect(describeConnectionError({ code: 'ERR_SSL_WRONG_VERSION_NUMBER', message: 'ssl3_get_record:wrong version number' }, where))
      .toMatch(/^TLS error with IMAP mail.example:993: the port does not speak TLS from the start/);
    expect(describeConnectionError({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT', message: 'self-signed certificate' }, where))
      .toMatch(/^TLS error with IMAP mail.example:993: the server certificate is not trusted/);
  });

  it('recognises a missing folder', () => {
    expect(isMissingFolder({ responseText: "Mailbox doesn't exist: Support" })).toBe(true);
    expect(isMissingFolder({ serverResponseCode: 'NONEXISTENT' })).toBe(true);
    expect(isMissingFolder({ responseText: 'Internal error' })).toBe(false);
  });

  it('reconnects soon after a drop and slowly after a rejected login', () => {
    expect(reconnectDelay(1, false)).toBeLessThanOrEqual(1200);
    expect(reconnectDelay(20, false)).toBeLessThanOrEqual(72_000);
    expect(reconnectDelay(1, true)).toBeGreaterThanOrEqual(24_000);
    expect(reconnectDelay(20, true)).toBeLessThanOrEqual(720_000);
  });
});
