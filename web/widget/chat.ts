import type { VisitorMessage } from '../../shared/visitor-socket.js';
import { checkAttachment } from './core/attachment-check.js';
import { newClientId } from './core/client-id.js';
import { wantsPrechat } from './core/config.js';
import { createTypingSignal } from './core/typing-signal.js';
import type { PrechatBody } from './core/prechat.js';
import { addOutgoing, confirmOutgoing, EMPTY_TIMELINE, lastMessageId, receive, setOutgoingState } from './core/timeline.js';
import { ApiError, type WidgetApi } from './net/api.js';
import type { VisitorStorage } from './net/storage.js';
import type { OpenVisitorLink, VisitorLink } from './net/visitor-socket.js';
import type { Store, WidgetState } from './state.js';

export interface ChatDeps {
  api: WidgetApi;
  openLink: OpenVisitorLink;
  storage: VisitorStorage;
  store: Store<WidgetState>;
  /** How long a `send` or `sync` waits for its acknowledgement before counting as failed. */
  ackTimeoutMs?: number;
}

/** The visitor's side of the conversation: session, realtime link, outbox. The view only calls these. */
export interface Chat {
  start(): Promise<void>;
  submitPrechat(body: PrechatBody): Promise<void>;
  send(text: string): void;
  attach(file: File): void;
  retry(clientId: string): void;
  /** The visitor typed something; the operator is told at most every few seconds. */
  typed(): void;
  markRead(): void;
  /** Answers the rating request with 1–5 stars. */
  rate(score: number): Promise<void>;
  /** Offline: the e-mail address to answer at; it joins the visitor's contact. */
  leaveContact(email: string): Promise<void>;
}

const OPERATOR_TYPING_EXPIRES_MS = 8000;
/** Handshake refusals in a row before giving up (a refreshed token that is refused again will stay refused). */
const MAX_REJECTIONS = 2;
/** Bounds the catch-up after a reconnect, should a server keep answering with the same page. */
const MAX_SYNC_PAGES = 50;

export function createChat({ api, openLink, storage, store, ackTimeoutMs = 10_000 }: ChatDeps): Chat {
  let token = storage.token();
  let link: VisitorLink | null = null;
  let creatingSession: Promise<string> | null = null;
  let rejections = 0;
  const files = new Map<string, File>();
  const uploaded = new Map<string, number[]>();
  const inFlight = new Set<string>();
  const visitorTyping = createTypingSignal((t) => {
    if (link?.connected) link.typing(t);
  });
  let operatorTypingExpiry: ReturnType<typeof setTimeout> | undefined;

  const timeline = () => store.get().timeline;

  function saveToken(next: string): void {
    token = next;
    storage.setToken(next);
  }

  /** The stored visitor is gone on the server: start over as a new visitor. */
  function forgetVisitor(): void {
    link?.close();
    link = null;
    token = null;
    storage.setToken(null);
    storage.setLastReadId(0);
    store.update((s) => ({ link: 'idle', timeline: EMPTY_TIMELINE, lastReadId: 0, prechat: wantsPrechat(s.config) ? 'needed' : 'done' }));
  }

  function connect(): void {
    if (link || !token) return;
    store.update({ link: 'connecting' });
    link = openLink(() => token ?? '', {
      connected() {
        rejections = 0;
        store.update({ link: 'connected' });
        void syncThenFlush();
      },
      disconnected: () => store.update({ link: 'reconnecting' }),
      rejected: () => void recoverFromRejection(),
      message(m) {
        store.update((s) => ({
          timeline: receive(s.timeline, [m]),
          operatorTyping: m.direction === 'out' ? null : s.operatorTyping,
        }));
      },
      typing({ typing, name }) {
        clearTimeout(operatorTypingExpiry);
        // A lost `typing: false` must not leave "typing…" on screen for ever.
        if (typing) operatorTypingExpiry = setTimeout(() => store.update({ operatorTyping: null }), OPERATOR_TYPING_EXPIRES_MS);
        store.update({ operatorTyping: typing ? (name ?? '') : null });
      },
      status: ({ online }) => store.update({ online }),
      'rating-request': ({ prompt }) => store.update({ rating: { prompt, state: 'asked' } }),
    });
  }

  async function recoverFromRejection(): Promise<void> {
    rejections += 1;
    if (rejections > MAX_REJECTIONS || !token) return store.update({ link: 'unavailable' });
    try {
      saveToken((await api.session({ token })).token);
      link?.reconnect();
    } catch (err) {
      if (err instanceof ApiError && err.badToken) forgetVisitor();
      else store.update({ link: 'unavailable' });
    }
  }

  /** After every (re)connect: fetch what was missed, then send what waited for the link. */
  async function syncThenFlush(): Promise<void> {
    const current = link;
    if (!current) return;
    try {
      // The server answers a page at a time (its size is its business): ask until nothing new comes.
      for (let page = 0; page < MAX_SYNC_PAGES; page += 1) {
        const after = lastMessageId(timeline().messages);
        const res = await current.sync(after, ackTimeoutMs);
        if (!res.ok || res.messages.length === 0) break;
        addMessages(res.messages);
        if (lastMessageId(timeline().messages) === after) break;
      }
    } catch {
      // No answer: the next reconnect syncs again, and pushes keep arriving meanwhile.
    }
    for (const o of timeline().outgoing) if (o.state === 'sending') void dispatch(o.clientId);
  }

  function addMessages(messages: VisitorMessage[]): void {
    store.update((s) => ({ timeline: receive(s.timeline, messages) }));
  }

  function ensureSession(): Promise<string> {
    if (token) return Promise.resolve(token);
    creatingSession ??= api.session({}).then(
      (s) => {
        creatingSession = null;
        saveToken(s.token);
        connect();
        return s.token;
      },
      (err: unknown) => {
        creatingSession = null;
        throw err;
      },
    );
    return creatingSession;
  }

  async function dispatch(clientId: string): Promise<void> {
    const item = timeline().outgoing.find((o) => o.clientId === clientId);
    if (!item || inFlight.has(clientId)) return;
    inFlight.add(clientId);
    store.update((s) => ({ timeline: setOutgoingState(s.timeline, clientId, 'sending') }));
    try {
      const session = await ensureSession();
      const file = files.get(clientId);
      if (file && !uploaded.has(clientId)) uploaded.set(clientId, [(await api.upload(session, file)).id]);
      // Not connected yet: the bubble stays "sending" and the next `connected` sends it.
      if (!link?.connected) return;
      const res = await link.send({ clientId, text: item.text, attachmentIds: uploaded.get(clientId) ?? [] }, ackTimeoutMs);
      if (!res.ok) {
        store.update((s) => ({ timeline: setOutgoingState(s.timeline, clientId, 'failed', res.error.message) }));
        return;
      }
      files.delete(clientId);
      uploaded.delete(clientId);
      store.update((s) => ({ timeline: confirmOutgoing(s.timeline, clientId, res.message) }));
    } catch (err) {
      // An ApiError (session, upload) has a reason worth showing; a socket timeout does not.
      const reason = err instanceof ApiError ? err.message : 'Not delivered.';
      store.update((s) => ({ timeline: setOutgoingState(s.timeline, clientId, 'failed', reason) }));
    } finally {
      inFlight.delete(clientId);
    }
  }

  function enqueue(text: string, file: File | null): void {
    const clientId = newClientId();
    if (file) files.set(clientId, file);
    const shown = file ? { name: file.name, size: file.size, type: file.type } : null;
    const createdAt = new Date().toISOString();
    store.update((s) => ({ notice: null, timeline: addOutgoing(s.timeline, { clientId, text, file: shown, state: 'sending', error: null, createdAt }) }));
    void dispatch(clientId);
  }

  return {
    async start() {
      store.update({ lastReadId: storage.lastReadId(), offlineContact: storage.reachable() ? 'done' : 'ask' });
      if (!token) {
        if (wantsPrechat(store.get().config)) store.update({ prechat: 'needed' });
        return;
      }
      try {
        saveToken((await api.session({ token })).token);
      } catch (err) {
        // Token refused: that visitor is gone. Widget refused (403/404): do not connect at all.
        // Unreachable: keep the token and connect, the socket retries on its own.
        if (err instanceof ApiError && err.badToken) return forgetVisitor();
        if (err instanceof ApiError && err.rejected) return store.update({ link: 'unavailable' });
      }
      connect();
    },

    async submitPrechat(body) {
      store.update({ prechat: 'submitting', prechatError: null });
      try {
        saveToken((await api.session(body)).token);
        if (body.email) storage.setReachable();
        store.update({ prechat: 'done', ...(body.email ? { offlineContact: 'done' as const } : {}) });
        connect();
      } catch (err) {
        store.update({ prechat: 'needed', prechatError: err instanceof ApiError ? err.message : 'Something went wrong. Please try again.' });
      }
    },

    send(text) {
      const trimmed = text.trim();
      if (!trimmed) return;
      visitorTyping.stop();
      enqueue(trimmed, null);
    },

    attach(file) {
      const problem = checkAttachment(file, store.get().config.attachments);
      if (problem) return store.update({ notice: problem });
      enqueue('', file);
    },

    retry: (clientId) => void dispatch(clientId),

    typed: () => visitorTyping.typed(),

    markRead() {
      const { timeline: t, lastReadId } = store.get();
      const newest = lastMessageId(t.messages);
      if (newest <= lastReadId) return;
      storage.setLastReadId(newest);
      store.update({ lastReadId: newest });
    },

    async leaveContact(email) {
      store.update({ offlineContact: 'sending', notice: null });
      try {
        saveToken((await api.session({ ...(token ? { token } : {}), email })).token);
        storage.setReachable();
        store.update({ offlineContact: 'done' });
        connect();
      } catch (err) {
        store.update({ offlineContact: 'ask', notice: err instanceof ApiError ? err.message : 'Something went wrong. Please try again.' });
      }
    },

    async rate(score) {
      const asked = store.get().rating;
      if (!asked || !link) return;
      store.update({ rating: { ...asked, state: 'sending' } });
      try {
        const res = await link.rate(score, ackTimeoutMs);
        store.update({ rating: { ...asked, state: res.ok ? 'done' : 'failed' } });
      } catch {
        store.update({ rating: { ...asked, state: 'failed' } });
      }
    },
  };
}
