import { describe, expect, it } from 'vitest';
import { INITIAL_STATUS, nextStatus, sessionLost, type WaEvent, type WaStatus } from './status.js';

const run = (events: WaEvent[], from: WaStatus = INITIAL_STATUS) => events.reduce(nextStatus, from);

describe('whatsapp status machine', () => {
  it('walks starting → qr → authenticated → ready, with channel statuses admins understand', () => {
    expect(run([{ e: 'spawn', attempt: 0 }])).toEqual({ state: 'starting', reason: 'starting', channel: 'starting' });
    expect(run([{ e: 'qr', qr: '2@abc' }])).toEqual({ state: 'qr', reason: 'qr:2@abc', channel: 'needs_action' });
    expect(run([{ e: 'qr', qr: 'x' }, { e: 'authenticated' }])).toMatchObject({ state: 'authenticated', channel: 'starting' });
    expect(run([{ e: 'authenticated' }, { e: 'ready', phone: '15550001111' }])).toEqual({ state: 'ready', reason: 'ready:15550001111', channel: 'connected' });
  });

  it('goes disconnected → reconnecting on a dropped connection or a dead process', () => {
    const ready = run([{ e: 'ready' }]);
    const dropped = run([{ e: 'disconnected', reason: 'CONFLICT' }, { e: 'exit', detail: 'worker exited with code 5' }], ready);
    expect(dropped).toEqual({ state: 'disconnected', reason: 'disconnected:CONFLICT', channel: 'error' });
    expect(run([{ e: 'spawn', attempt: 2 }], dropped)).toEqual({ state: 'reconnecting', reason: 'reconnecting:2', channel: 'starting' });
    expect(run([{ e: 'exit', detail: 'worker killed by SIGKILL' }], ready)).toMatchObject({ reason: 'disconnected:worker killed by SIGKILL' });
  });

  it('a logout or a refused session stays logged out until the new QR', () => {
    const out = run([{ e: 'ready' }, { e: 'disconnected', reason: 'LOGOUT' }, { e: 'exit', detail: 'code 5' }, { e: 'spawn', attempt: 1 }]);
    expect(out).toEqual({ state: 'logged_out', reason: 'logged_out:LOGOUT', channel: 'needs_action' });
    expect(sessionLost(out)).toBe(true);
    expect(run([{ e: 'qr', qr: 'new' }], out)).toMatchObject({ state: 'qr' });
    expect(run([{ e: 'auth_failure', message: 'bad session' }])).toMatchObject({ state: 'logged_out', channel: 'needs_action' });
  });
});
