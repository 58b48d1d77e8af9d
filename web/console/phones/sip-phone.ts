/**
 * The console's SIP softphone: a JsSIP user agent registered to the company's own PBX over WebSocket
 * (RFC 7118), media by WebRTC (DTLS-SRTP, ICE). One per SIP channel the operator works on.
 * docs/channels/calls-pbx.md says what the PBX must support.
 */
import * as JsSIP from 'jssip';
import type { IncomingRequest, IncomingResponse, OutgoingRequest } from 'jssip/lib/SIPMessage';
import type { EndEvent, RTCSession } from 'jssip/lib/RTCSession';
import type { RTCSessionEvent, UAConfiguration } from 'jssip/lib/UA';
import type { EndReason, PhoneCall, PhoneCallEvents, PhoneStatus, Softphone } from './softphone';

export interface SipPhoneOptions {
  channelId: number;
  /** The PBX's SIP-over-WebSocket URL: wss://pbx.example.com:8443/ws (ws:// only on loopback). */
  wsUrl: string;
  /** SIP domain of the operators' accounts: they register as sip:<extension>@<domain>. */
  domain: string;
  extension: string;
  password: string;
  displayName?: string;
  /** STUN/TURN servers when the PBX is behind NAT; none by default (host candidates only). */
  iceServers?: RTCIceServer[];
  /** JsSIP's own debug output in the browser console (off by default). */
  debug?: boolean;
}

type Listeners = { [E in keyof PhoneCallEvents]: PhoneCallEvents[E][] };

const { causes } = JsSIP.C;

/**
 * Why a call that was never accepted ended, from JsSIP's 'failed' event. A CANCEL carrying
 * `Reason: SIP;cause=200` (RFC 3326; "Call completed elsewhere") means another phone took it.
 */
export function endReason(event: { originator: EndEvent['originator'] | `${EndEvent['originator']}`; cause: string; message?: EndEvent['message'] | null }): EndReason {
  switch (event.cause) {
    case causes.CANCELED:
      if (event.originator === 'remote' && event.message && completedElsewhere(event.message)) return 'elsewhere';
      return 'cancelled';
    case causes.REJECTED:
      return 'declined';
    case causes.BUSY:
      return 'busy';
    case causes.NO_ANSWER:
    case causes.EXPIRES:
    case causes.UNAVAILABLE:
      return 'no_answer';
    default:
      return 'error';
  }
}

function completedElsewhere(message: IncomingRequest | IncomingResponse): boolean {
  if (!message.hasHeader('Reason')) return false;
  return message.getHeaders('Reason').some((reason) => /^\s*SIP\s*;(?:.*;)?\s*cause\s*=\s*200\b/i.test(reason) || /completed elsewhere/i.test(reason));
}

/** JsSIP's `debug` namespaces on or off, leaving whatever else the page's `debug` logs as it was. */
function jsSipDebug(on: boolean): void {
  const previous = String(JsSIP.debug.disable() ?? '');
  const others = previous.split(',').filter((ns) => ns && !/^-?JsSIP/.test(ns));
  JsSIP.debug.enable([...others, on ? 'JsSIP:*' : '-JsSIP:*'].join(','));
}

/** `to` as a SIP URI: a number or extension becomes sip:<to>@<domain>; a URI is taken as it is. */
export function sipTarget(to: string, domain: string): string {
  const target = to.trim();
  if (/^tel:/i.test(target)) return `sip:${target.slice(4).replace(/[\s\-.()]/g, '')}@${domain}`;
  if (/^sips?:/i.test(target)) return target;
  if (target.includes('@')) return `sip:${target}`;
  const user = /^\+?[\d\s\-.()]+$/.test(target) ? target.replace(/[\s\-.()]/g, '') : target;
  return `sip:${user}@${domain}`;
}

class SipCall implements PhoneCall {
  readonly direction: 'in' | 'out';
  readonly remote: string;
  /** Hold is a re-INVITE with a=sendonly: every SIP PBX takes it. */
  readonly canHold = true;
  private readonly listeners: Listeners = { accepted: [], ended: [] };
  private wasAccepted = false;
  private over = false;

  /** Hold as the operator wants it; re-INVITEs follow one at a time until the session matches. */
  private wantHold = false;
  private holdInFlight = false;
  private holdRetries = 0;

  constructor(
    readonly callId: string,
    private readonly session: RTCSession,
    private readonly phone: { answerOptions(): Parameters<RTCSession['answer']>[0]; target(to: string): string },
  ) {
    this.direction = session.direction === 'incoming' ? 'in' : 'out';
    this.remote = session.remote_identity.uri.user ?? session.remote_identity.uri.toString();
    session.on('accepted', () => {
      if (this.wasAccepted || this.over) return;
      this.wasAccepted = true;
      for (const listener of this.listeners.accepted) listener();
    });
    // A hold asked for between the answer and the ACK goes out once the dialog is confirmed.
    session.on('confirmed', () => this.syncHold());
    session.on('ended', () => this.finish({ answered: true }));
    session.on('failed', (event) => {
      this.finish(this.wasAccepted ? { answered: true } : { answered: false, reason: endReason(event) });
    });
  }

  answer(): void {
    if (this.direction !== 'in' || !this.session.isInProgress()) return;
    this.session.answer(this.phone.answerOptions());
  }

  decline(): void {
    if (this.direction !== 'in' || this.wasAccepted || this.session.isEnded()) return;
    // 486 ends this phone's branch only; a 6xx (603) would make a forking proxy cancel the others.
    this.session.terminate({ status_code: 486, reason_phrase: 'Busy Here' });
  }

  hangup(): void {
    if (this.session.isEnded()) return;
    this.session.terminate();
  }

  hold(on: boolean): void {
    this.wantHold = on;
    this.holdRetries = 0;
    this.syncHold();
  }

  private syncHold(): void {
    if (this.holdInFlight || this.over || !this.session.isEstablished()) return;
    if (this.session.isOnHold().local === this.wantHold) return;
    const done = () => {
      this.holdInFlight = false;
      this.syncHold();
    };
    const started = this.wantHold ? this.session.hold({}, done) : this.session.unhold({}, done);
    if (started) {
      this.holdInFlight = true;
    } else if (this.holdRetries++ < 20) {
      // Another offer/answer exchange is under way (the other side's re-INVITE): try again shortly.
      setTimeout(() => this.syncHold(), 250);
    }
  }

  mute(on: boolean): void {
    if (on) this.session.mute({ audio: true });
    else this.session.unmute({ audio: true });
  }

  /** Blind transfer (REFER); this leg hangs up once the other side accepts the REFER (202). */
  transfer(target: string): void {
    if (!this.session.isEstablished()) return;
    this.session.refer(this.phone.target(target), {
      eventHandlers: {
        requestSucceeded: () => {
          if (!this.session.isEnded()) this.session.terminate();
        },
      },
    });
  }

  on<E extends keyof PhoneCallEvents>(event: E, listener: PhoneCallEvents[E]): void {
    this.listeners[event].push(listener);
  }

  private finish(info: { answered: boolean; reason?: EndReason }): void {
    if (this.over) return;
    this.over = true;
    for (const listener of this.listeners.ended) listener(info);
  }
}

export class SipPhone implements Softphone {
  readonly kind = 'sip' as const;
  readonly channelId: number;
  private ua: JsSIP.UA | null = null;
  private status: PhoneStatus = 'stopped';
  private readonly statusListeners: ((status: PhoneStatus, reason?: string) => void)[] = [];
  private readonly incomingListeners: ((call: PhoneCall) => void)[] = [];
  private outgoing: { session: RTCSession; request: OutgoingRequest } | null = null;
  private audio: HTMLAudioElement | null = null;

  constructor(private readonly options: SipPhoneOptions) {
    this.channelId = options.channelId;
  }

  async start(): Promise<void> {
    if (this.ua) return;
    jsSipDebug(this.options.debug ?? false);
    const { wsUrl, domain, extension, password, displayName } = this.options;
    const configuration: UAConfiguration = {
      sockets: [new JsSIP.WebSocketInterface(wsUrl)],
      uri: `sip:${extension}@${domain}`,
      authorization_user: extension,
      password,
      register: true,
      user_agent: 'Omniline console (JsSIP)',
      ...(displayName ? { display_name: displayName } : {}),
    };
    const ua = new JsSIP.UA(configuration);
    this.ua = ua;
    // Events of a stopped UA (its unregistering, its socket closing) no longer count.
    const current = () => this.ua === ua;
    ua.on('connecting', () => {
      if (current() && this.status !== 'ready') this.setStatus('registering');
    });
    ua.on('registered', () => {
      if (current()) this.setStatus('ready');
    });
    ua.on('registrationFailed', (event) => {
      if (!current()) return;
      const response = event.response as IncomingResponse | null | undefined;
      this.setStatus('error', response ? `${response.status_code} ${response.reason_phrase}` : event.cause ?? 'registration failed');
    });
    ua.on('disconnected', (event) => {
      if (!current()) return;
      this.setStatus('error', event.reason || (event.code ? `WebSocket closed (${event.code})` : 'WebSocket closed'));
    });
    ua.on('newRTCSession', (event: RTCSessionEvent) => this.onSession(event));
    this.setStatus('registering');
    ua.start();
  }

  stop(): void {
    const ua = this.ua;
    this.ua = null;
    if (ua) ua.stop();
    this.audio?.remove();
    this.audio = null;
    this.setStatus('stopped');
  }

  async call(to: string): Promise<PhoneCall> {
    const ua = this.ua;
    if (!ua) throw new Error('The SIP phone is not started');
    this.outgoing = null;
    const session = ua.call(sipTarget(to, this.options.domain), {
      mediaConstraints: { audio: true, video: false },
      pcConfig: this.pcConfig(),
      eventHandlers: { peerconnection: (event: { peerconnection: RTCPeerConnection }) => this.playRemoteAudio(event.peerconnection) },
    });
    // Set by 'newRTCSession', which JsSIP fires from inside call().
    const outgoing = this.outgoing as { session: RTCSession; request: OutgoingRequest } | null;
    this.outgoing = null;
    const callId = outgoing?.session === session ? outgoing.request.call_id : session.id;
    return new SipCall(callId, session, this.callContext());
  }

  onIncoming(listener: (call: PhoneCall) => void): void {
    this.incomingListeners.push(listener);
  }

  onStatus(listener: (status: PhoneStatus, reason?: string) => void): void {
    this.statusListeners.push(listener);
  }

  private onSession(event: RTCSessionEvent): void {
    if (event.originator === 'local') {
      this.outgoing = { session: event.session, request: event.request };
      return;
    }
    const { session } = event;
    // The SIP Call-ID: IncomingRequest has it at run time, JsSIP's typings leave it out.
    const callId = (event.request as IncomingRequest & { call_id?: string }).call_id ?? session.id;
    session.on('peerconnection', ({ peerconnection }) => this.playRemoteAudio(peerconnection));
    const call = new SipCall(callId, session, this.callContext());
    for (const listener of this.incomingListeners) listener(call);
  }

  private callContext(): ConstructorParameters<typeof SipCall>[2] {
    return {
      answerOptions: () => ({ mediaConstraints: { audio: true, video: false }, pcConfig: this.pcConfig() }),
      target: (to) => sipTarget(to, this.options.domain),
    };
  }

  private pcConfig(): RTCConfiguration {
    return { iceServers: this.options.iceServers ?? [] };
  }

  /** The other side's voice: one hidden <audio> element per phone. */
  private playRemoteAudio(connection: RTCPeerConnection): void {
    if (typeof document === 'undefined') return;
    connection.addEventListener('track', (event: RTCTrackEvent) => {
      if (event.track.kind !== 'audio') return;
      const audio = this.audioElement();
      audio.srcObject = event.streams[0] ?? new MediaStream([event.track]);
      audio.play().catch(() => undefined);
    });
  }

  private audioElement(): HTMLAudioElement {
    if (!this.audio) {
      const audio = document.createElement('audio');
      audio.autoplay = true;
      audio.hidden = true;
      audio.dataset.sipPhone = String(this.channelId);
      document.body.appendChild(audio);
      this.audio = audio;
    }
    return this.audio;
  }

  private setStatus(status: PhoneStatus, reason?: string): void {
    if (status === this.status && status !== 'error') return;
    this.status = status;
    for (const listener of this.statusListeners) listener(status, reason);
  }
}
