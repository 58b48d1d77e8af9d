/**
 * Calls: the operator's softphones, the incoming-call popup with the caller's CRM card, the call in
 * progress and click-to-call. Phones are reached only through the {@link Softphone} interface
 * (`phones/create-phone.ts` loads Twilio's or the SIP one on demand).
 *
 * The popup appears for a `call.ringing` push meant for me (see `ringsFor`) and when one of my phones
 * rings; both meet by `callId`. A SIP call is logged by reporting it (`sip-reports.ts`), and the answer
 * to its `ringing` report is its CRM card; Twilio tells the hub itself. The popup goes when the call
 * message stops ringing (`message.updated`: answered elsewhere, missed) or the phone says it ended.
 * Buttons call actions that never throw: a failure is kept as text (`dialError`, `CallEntry.error`).
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { IncomingCallDto, PhoneDto } from '../../../shared/calls';
import type { MessageDto } from '../../../shared/conversations';
import { callsApi } from '../api/calls';
import { errorMessage } from '../composables/load-state';
import { i18n } from '../i18n';
import { createSoftphone } from '../phones/create-phone';
import type { PhoneCall, Softphone } from '../phones/softphone';
import { newCall, type CallEntry, type CallInit, type PhoneState } from './call-entry';
import { endReport, ringsFor, stoppedRinging, worstStatus } from './call-rules';
import { useSessionStore } from './session';
import { sipReporter, type SipReporter } from './sip-reports';

export type { CallEntry, PhoneState } from './call-entry';

/** A popup without a ringing phone here goes by itself after this long (a missed `message.updated`). */
export const UNANSWERABLE_RING_MS = 120_000;

export const useCallsStore = defineStore('calls', () => {
  const session = useSessionStore();
  const t = i18n.global.t;
  const phones = ref<PhoneState[]>([]);
  const calls = ref<CallEntry[]>([]);
  const loadError = ref<string | null>(null);
  const dialing = ref(false);
  const dialError = ref<string | null>(null);
  // SDK objects stay out of reactivity.
  const softphones = new Map<number, Softphone>();
  const phoneCalls = new Map<string, PhoneCall>();
  const ended = new Set<string>();
  let generation = 0;

  const hasPhone = computed(() => phones.value.length > 0);
  const status = computed(() => (loadError.value ? 'error' : worstStatus(phones.value.map((p) => p.status))));
  const popup = computed(() => calls.value.find((c) => c.direction === 'in' && c.stage === 'ringing' && !c.hidden) ?? null);
  const hiddenRinging = computed(() => calls.value.filter((c) => c.stage === 'ringing' && c.hidden));
  const active = computed(() => calls.value.findLast((c) => c.stage !== 'ringing') ?? null);
  const busy = computed(() => dialing.value || active.value !== null);

  const find = (key: string) => calls.value.find((c) => c.key === key);
  const phone = (channelId: number) => phones.value.find((p) => p.channelId === channelId);

  function entry(key: string, init: CallInit): CallEntry {
    const known = find(key);
    if (known) return known;
    calls.value.push(newCall(key, init));
    return find(key) as CallEntry;
  }

  function forget(key: string): void {
    calls.value = calls.value.filter((c) => c.key !== key);
    phoneCalls.delete(key);
    ended.add(key);
    if (ended.size > 100) ended.delete(ended.values().next().value as string);
  }

  function learnCard(key: string, incoming: IncomingCallDto | null, ids?: { messageId: number; conversationId: number }): void {
    const c = find(key);
    if (!c) return;
    if (incoming) c.incoming = incoming;
    c.messageId = incoming?.messageId ?? ids?.messageId ?? c.messageId;
    c.conversationId = incoming?.conversationId ?? ids?.conversationId ?? c.conversationId;
  }

  /** Follows one phone call: the entry, its stages and, for SIP, the reports. */
  function track(call: PhoneCall, channelId: number, kind: 'twilio' | 'sip', extra: Partial<CallEntry> = {}): string {
    const key = call.callId;
    phoneCalls.set(key, call);
    const c = entry(key, { channelId, direction: call.direction, remote: call.remote, stage: call.direction === 'in' ? 'ringing' : 'connecting', ...extra });
    Object.assign(c, { kind, hasPhone: true, canHold: call.canHold !== false, canTransfer: typeof call.transfer === 'function' });
    const report: SipReporter | null = kind === 'sip' ? sipReporter({ channelId, callId: key, direction: call.direction, remote: call.remote }) : null;
    const failed = (cause: unknown) => {
      const e = find(key);
      if (e) e.error = errorMessage(cause);
    };
    call.on('accepted', () => {
      const e = find(key);
      if (e) Object.assign(e, { stage: 'active', answeredAt: Date.now(), hidden: false });
      report?.({ event: 'answered' }).catch(failed);
    });
    call.on('ended', (info) => {
      forget(key);
      report?.(endReport(info)).catch(() => undefined);
    });
    if (report) {
      report({ event: 'ringing' }).then(
        (logged) => learnCard(key, logged.incoming, logged),
        (cause) => (call.direction === 'in' ? lookUp(key) : failed(cause)),
      );
    } else if (call.direction === 'in' && !c.incoming) lookUp(key);
    return key;
  }

  function lookUp(key: string): void {
    const c = find(key);
    if (!c || !c.remote) return;
    callsApi.lookup(c.remote).then(
      (found) => {
        const e = find(key);
        if (e) e.lookup = found;
      },
      () => undefined,
    );
  }

  async function startPhone(dto: PhoneDto, gen: number): Promise<void> {
    const state = phone(dto.channelId);
    if (!state) return;
    try {
      const softphone = await createSoftphone(dto, { displayName: session.user?.name ?? '', refreshToken: () => freshToken(dto.channelId) });
      if (gen !== generation) return;
      softphones.set(dto.channelId, softphone);
      softphone.onStatus((s, reason) => Object.assign(state, { status: s, reason: reason ?? null }));
      softphone.onIncoming((call) => void track(call, dto.channelId, dto.kind));
      await softphone.start();
    } catch (cause) {
      Object.assign(state, { status: 'error', reason: errorMessage(cause) });
    }
  }

  async function freshToken(channelId: number): Promise<{ token: string; expiresAt: string }> {
    const found = (await callsApi.phones()).items.find((p) => p.channelId === channelId);
    if (found?.kind !== 'twilio') throw new Error(t('calls.phoneGone'));
    return { token: found.token, expiresAt: found.expiresAt };
  }

  /** After sign-in: the operator's phones, each started (nothing is downloaded without any). */
  async function start(): Promise<void> {
    stop();
    const gen = generation;
    try {
      const { items } = await callsApi.phones();
      if (gen !== generation) return;
      phones.value = items.map((p) => ({ channelId: p.channelId, kind: p.kind, name: p.name, status: 'registering', reason: null }));
      await Promise.all(items.map((p) => startPhone(p, gen)));
    } catch (cause) {
      if (gen === generation) loadError.value = errorMessage(cause);
    }
  }

  /** Sign-out: every phone stops (ending its calls, which SIP still reports). */
  function stop(): void {
    generation++;
    for (const softphone of softphones.values()) softphone.stop();
    softphones.clear();
    phoneCalls.clear();
    phones.value = [];
    calls.value = [];
    loadError.value = dialError.value = null;
  }

  /** `call.ringing`: the popup with the CRM card, when the call is meant for me and not history. */
  function ringing(call: IncomingCallDto, live: boolean): void {
    if (ended.has(call.callId) || !ringsFor(call, session.user?.id ?? null, live, Date.now())) return;
    entry(call.callId, { channelId: call.channelId, direction: 'in', remote: call.from, kind: call.channelType === 'sip' ? 'sip' : 'twilio' });
    learnCard(call.callId, call);
    setTimeout(() => {
      const c = find(call.callId);
      if (c && c.stage === 'ringing' && !c.hasPhone) forget(call.callId);
    }, UNANSWERABLE_RING_MS);
  }

  /** `message.updated`: a call message that stopped ringing closes its popup (my own answered call stays). */
  function messageUpdated(message: MessageDto): void {
    if (!stoppedRinging(message)) return;
    for (const c of calls.value.filter((x) => x.stage === 'ringing' && x.messageId === message.id)) forget(c.key);
  }

  /** Runs an action on a call's phone; a failure is shown on the call. */
  function act(key: string | undefined, action: (call: PhoneCall, c: CallEntry) => void): void {
    const c = key ? find(key) : undefined;
    const call = key ? phoneCalls.get(key) : undefined;
    if (!c || !call) return;
    c.error = null;
    try {
      action(call, c);
    } catch (cause) {
      c.error = errorMessage(cause);
    }
  }

  const answer = (key = popup.value?.key) =>
    act(key, (call, c) => {
      const current = active.value;
      if (current && current.key !== key && current.canHold && !current.held) hold(true, current.key);
      call.answer();
      Object.assign(c, { stage: 'connecting', hidden: false });
    });
  /** Rejects a ringing call; a popup without a phone here is just dismissed. */
  function decline(key = popup.value?.key): void {
    if (!key) return;
    if (phoneCalls.has(key)) act(key, (call) => call.decline());
    forget(key);
  }
  const hangup = (key = active.value?.key) => act(key, (call) => call.hangup());
  const mute = (on: boolean, key = active.value?.key) =>
    act(key, (call, c) => {
      call.mute(on);
      c.muted = on;
    });
  const hold = (on: boolean, key = active.value?.key) =>
    act(key, (call, c) => {
      call.hold(on);
      c.held = on;
    });
  const transfer = (target: string, key = active.value?.key) => act(key, (call) => call.transfer?.(target.trim()));
  function setHidden(key: string, hidden: boolean): void {
    const c = find(key);
    if (c) c.hidden = hidden;
  }

  /** Click-to-call from the CRM card: the hub says which channel and number; `dialError` on failure. */
  async function dial(contactId: number, context: { conversationId?: number; name?: string } = {}): Promise<boolean> {
    dialError.value = null;
    if (busy.value) return false;
    dialing.value = true;
    try {
      const target = await callsApi.dial(contactId);
      const softphone = softphones.get(target.channelId);
      const state = phone(target.channelId);
      if (!softphone || !state) throw new Error(t('calls.noPhone'));
      if (state.status !== 'ready') throw new Error(t('calls.notReady', { reason: state.reason ?? t(`calls.status.${state.status}`) }));
      const call = await softphone.call(target.to);
      track(call, target.channelId, target.kind, { name: context.name ?? null, conversationId: context.conversationId ?? null });
      return true;
    } catch (cause) {
      dialError.value = errorMessage(cause);
      return false;
    } finally {
      dialing.value = false;
    }
  }

  return {
    phones, calls, loadError, dialing, dialError, hasPhone, status, popup, hiddenRinging, active, busy,
    start, stop, ringing, messageUpdated, answer, decline, hangup, mute, hold, transfer, setHidden, dial,
  };
});
