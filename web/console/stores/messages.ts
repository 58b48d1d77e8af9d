/**
 * Message threads per conversation: newest page first, older pages on demand, live upserts,
 * and outgoing messages that are still on their way (shown at once, retried by hand on failure).
 */
import { defineStore } from 'pinia';
import { markRaw, ref } from 'vue';
import type { AttachmentDto } from '../../../shared/attachment';
import type { MessageDto } from '../../../shared/conversations';
import type { MessageTemplate } from '../../../shared/templates';
import { conversationsApi } from '../api/conversations';
import { errorMessage, type LoadState } from '../composables/load-state';
import { loadGate } from './load-gate';
import { mergeMessages, oldestId, upsertMessage } from './message-list';
import { useSessionStore } from './session';

export const PAGE_SIZE = 50;

export type ComposeMode = 'reply' | 'note';

export interface PendingMessage {
  tempId: string;
  mode: ComposeMode;
  text: string;
  attachments: AttachmentDto[];
  state: 'sending' | 'failed';
  error: string | null;
  createdAt: string;
}

export interface Thread {
  items: MessageDto[];
  hasMore: boolean;
  state: LoadState;
  error: string | null;
  loadingOlder: boolean;
  pending: PendingMessage[];
}

let counter = 0;

export const useMessagesStore = defineStore('messages', () => {
  const threads = ref(new Map<number, Thread>());
  const session = useSessionStore();

  function thread(conversationId: number): Thread {
    let t = threads.value.get(conversationId);
    if (!t) {
      threads.value.set(conversationId, { items: [], hasMore: false, state: 'idle', error: null, loadingOlder: false, pending: [] });
      t = threads.value.get(conversationId) as Thread;
    }
    return t;
  }

  /** Load (or refresh) the newest page, merging with what is already shown. */
  async function loadLatest(conversationId: number): Promise<void> {
    const t = thread(conversationId);
    if (t.items.length === 0) t.state = 'loading';
    t.error = null;
    try {
      await loadGate();
      const page = await conversationsApi.messages(conversationId, undefined, PAGE_SIZE);
      const fresh = t.items.length === 0;
      mergeMessages(t.items, page.items.map((m) => markRaw(m)));
      if (fresh) t.hasMore = page.hasMore;
      t.state = 'done';
    } catch (cause) {
      t.error = errorMessage(cause);
      t.state = 'error';
    }
  }

  /** Load the page before the oldest shown message. */
  async function loadOlder(conversationId: number): Promise<number> {
    const t = thread(conversationId);
    const before = oldestId(t.items);
    if (!t.hasMore || t.loadingOlder || before === undefined) return 0;
    t.loadingOlder = true;
    try {
      const page = await conversationsApi.messages(conversationId, before, PAGE_SIZE);
      t.hasMore = page.hasMore;
      return mergeMessages(t.items, page.items.map((m) => markRaw(m)));
    } catch (cause) {
      t.error = errorMessage(cause);
      return 0;
    } finally {
      t.loadingOlder = false;
    }
  }

  /** A message from the server (REST answer or live event); ignored for threads never opened. */
  function upsert(message: MessageDto): void {
    const t = threads.value.get(message.conversationId);
    if (!t || t.state === 'idle') return;
    upsertMessage(t.items, markRaw(message));
    // The live event may overtake the POST answer: the stored message replaces my pending copy at once.
    if (message.authorId !== null && message.authorId === session.user?.id && t.pending.length) {
      const mode: ComposeMode = message.visibility === 'internal' ? 'note' : 'reply';
      const index = t.pending.findIndex((p) => p.state === 'sending' && p.mode === mode && p.text === message.text);
      if (index >= 0) t.pending.splice(index, 1);
    }
  }

  async function deliver(conversationId: number, p: PendingMessage): Promise<void> {
    p.state = 'sending';
    p.error = null;
    try {
      const message =
        p.mode === 'note'
          ? await conversationsApi.note(conversationId, p.text)
          : await conversationsApi.reply(conversationId, p.text, p.attachments.map((a) => a.id));
      upsert(message);
      const t = thread(conversationId);
      t.pending = t.pending.filter((x) => x.tempId !== p.tempId);
    } catch (cause) {
      const t = thread(conversationId);
      const live = t.pending.find((x) => x.tempId === p.tempId);
      if (live) {
        live.state = 'failed';
        live.error = errorMessage(cause);
      }
    }
  }

  /** Send an approved template (no optimistic row: the hub renders its text). Throws for the caller to show. */
  async function sendTemplate(conversationId: number, template: MessageTemplate): Promise<void> {
    upsert(await conversationsApi.sendTemplate(conversationId, template));
  }

  /** Send a reply or an internal note; it shows at once as pending. */
  function send(conversationId: number, mode: ComposeMode, text: string, attachments: AttachmentDto[] = []): Promise<void> {
    const t = thread(conversationId);
    const p: PendingMessage = {
      tempId: `tmp-${Date.now()}-${++counter}`,
      mode,
      text,
      attachments: mode === 'note' ? [] : attachments,
      state: 'sending',
      error: null,
      createdAt: new Date().toISOString(),
    };
    t.pending.push(p);
    return deliver(conversationId, t.pending.at(-1) as PendingMessage);
  }

  function resend(conversationId: number, tempId: string): Promise<void> {
    const p = thread(conversationId).pending.find((x) => x.tempId === tempId);
    return p ? deliver(conversationId, p) : Promise.resolve();
  }

  function discard(conversationId: number, tempId: string): void {
    const t = thread(conversationId);
    t.pending = t.pending.filter((x) => x.tempId !== tempId);
  }

  /** Ask the server to deliver a failed message again. Throws the server's message. */
  async function retry(messageId: number): Promise<void> {
    upsert(await conversationsApi.retry(messageId));
  }

  function reset(): void {
    threads.value = new Map();
  }

  return { threads, thread, loadLatest, loadOlder, upsert, send, sendTemplate, resend, discard, retry, reset };
});
