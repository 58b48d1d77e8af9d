import type { ChannelStatus } from '../../shared/channel.js';

/**
 * The WhatsApp Web session as admins see it:
 * starting → qr → authenticated → ready → disconnected → reconnecting → … → ready,
 * or logged_out (phone unlinked, session rejected) → a new QR.
 */
export type WaState = 'starting' | 'qr' | 'authenticated' | 'ready' | 'disconnected' | 'reconnecting' | 'logged_out';

export type WaEvent =
  | { e: 'spawn'; attempt: number }
  | { e: 'qr'; qr: string }
  | { e: 'authenticated' }
  | { e: 'auth_failure'; message: string }
  | { e: 'ready'; phone?: string }
  | { e: 'disconnected'; reason: string }
  | { e: 'exit'; detail: string };

/** Disconnect reasons that mean the phone unlinked this device: only a new QR helps. */
const LOGGED_OUT = new Set(['LOGOUT', 'UNPAIRED', 'UNPAIRED_IDLE']);

export interface WaStatus {
  state: WaState;
  /** Shown to admins as the channel's status reason: `<state>[:<detail>]`, e.g. `qr:<QR data>`. */
  reason: string;
  channel: ChannelStatus;
}

const CHANNEL: Record<WaState, ChannelStatus> = {
  starting: 'starting', qr: 'needs_action', authenticated: 'starting', ready: 'connected',
  disconnected: 'error', reconnecting: 'starting', logged_out: 'needs_action',
};

function status(state: WaState, detail?: string): WaStatus {
  return { state, reason: detail ? `${state}:${detail}` : state, channel: CHANNEL[state] };
}

/** The next status after an event; a logged-out session stays so until the new worker shows a QR. */
export function nextStatus(current: WaStatus, ev: WaEvent): WaStatus {
  switch (ev.e) {
    case 'spawn':
      if (current.state === 'logged_out') return current;
      return ev.attempt === 0 ? status('starting') : status('reconnecting', String(ev.attempt));
    case 'qr':
      return status('qr', ev.qr);
    case 'authenticated':
      return status('authenticated');
    case 'auth_failure':
      return status('logged_out', `auth_failure ${ev.message}`.trim());
    case 'ready':
      return status('ready', ev.phone);
    case 'disconnected':
      return LOGGED_OUT.has(ev.reason) ? status('logged_out', ev.reason) : status('disconnected', ev.reason);
    case 'exit':
      if (current.state === 'logged_out') return current;
      return status('disconnected', current.state === 'disconnected' ? current.reason.slice('disconnected:'.length) || ev.detail : ev.detail);
  }
}

export const INITIAL_STATUS: WaStatus = status('starting');

/** Whether a disconnect reason means the saved session is dead and must be deleted before the next start. */
export function sessionLost(s: WaStatus): boolean {
  return s.state === 'logged_out';
}
