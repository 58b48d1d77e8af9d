import { describe, expect, it, vi } from 'vitest';
import type { VisitorMessage, VisitorSendRequest } from '../../shared/visitor-socket.js';
import type { Ack } from '../../shared/errors.js';
import { createChat } from './chat.js';
import { parseWidgetConfig } from './core/config.js';
import { ApiError, type WidgetApi } from './net/api.js';
import { createVisitorStorage } from './net/storage.js';
import type { OpenVisitorLink, VisitorLinkEvents } from './net/visitor-socket.js';
import { createStore, initialState } from './state.js';

const msg = (id: number, direction: 'in' | 'out', text = `m${id}`): VisitorMessage => ({
  id,
  clientId: null,
  direction,
  text,
  authorName: direction === 'out' ? 'Anna' : null,
  attachments: [],
  createdAt: '2025-05-01T10:00:00.000Z',
});
const flush = () => new Promise((r) => setTimeout(r, 0));

/** A realtime link whose server side the test plays by hand. */
function fakeLink() {
  const link = {
    on: null as VisitorLinkEvents | null,
    token: () => '',
    connected: false,
    opened: 0,
    reconnects: 0,
    sent: [] as VisitorSendRequest[],
    syncs: [] as number[],
    typing: [] as boolean[],
    rated: [] as number[],
    answerSend: async (req: VisitorSendRequest): Promise<Ack<{ message: VisitorMessage }>> => ({ ok: true, message: msg(100 + link.sent.length, 'in', req.text ?? '') }),
    history: [] as VisitorMessage[],
    pageSize: 500,
    connect() {
      link.connected = true;
      link.on?.connected();
    },
    drop() {
      link.connected = false;
      link.on?.disconnected();
    },
  };
  const open: OpenVisitorLink = (token, on) => {
    link.opened += 1;
    link.on = on;
    link.token = token;
    return {
      get connected() {
        return link.connected;
      },
      send: (req) => (link.sent.push(req), link.answerSend(req)),
      sync: async (afterId) => (link.syncs.push(afterId), { ok: true, messages: link.history.filter((m) => m.id > afterId).slice(0, link.pageSize) }),
      typing: (t) => void link.typing.push(t),
      rate: async (score) => (link.rated.push(score), score === 0 ? { ok: false, error: { code: 'not_found', message: 'nothing to rate' } } : { ok: true }),
      reconnect: () => void (link.reconnects += 1),
      close: () => void (link.connected = false),
    };
  };
  return { link, open };
}

function setup(opts: { token?: string; config?: object; api?: Partial<WidgetApi> } = {}) {
  const storage = createVisitorStorage('k', null, null);
  let storedToken: string | null = opts.token ?? null;
  storage.token = () => storedToken;
  storage.setToken = (t) => void (storedToken = t);
  const api: WidgetApi = {
    config: async () => parseWidgetConfig({}),
    session: vi.fn(async () => ({ token: 'fresh-token-123', visitorId: 'v1' })),
    upload: vi.fn(async (_t: string, f: File) => ({ id: 7, fileName: f.name, mimeType: f.type, size: f.size, url: '/a/7' })),
    ...opts.api,
  };
  const store = createStore(initialState(parseWidgetConfig({ online: true, ...opts.config })));
  const { link, open } = fakeLink();
  const chat = createChat({ api, openLink: open, storage, store, ackTimeoutMs: 50 });
  return { chat, api, store, link, token: () => storedToken };
}

describe('a new visitor', () => {
  it('gets a session on the first message, which is sent once the link is up and then confirmed', async () => {
    const { chat, api, store, link, token } = setup();
    await chat.start();
    expect(store.get().link).toBe('idle');
    chat.send('  Hello there  ');
    expect(store.get().timeline.outgoing).toMatchObject([{ text: 'Hello there', state: 'sending' }]);
    await flush();
    expect(api.session).toHaveBeenCalledWith({});
    expect(token()).toBe('fresh-token-123');
    expect(link.token()).toBe('fresh-token-123');
    expect(link.sent).toEqual([]);
    link.connect();
    await flush();
    expect(link.syncs).toEqual([0]);
    expect(link.sent).toMatchObject([{ text: 'Hello there', attachmentIds: [] }]);
    expect(store.get().timeline).toMatchObject({ outgoing: [], messages: [{ id: 101, text: 'Hello there' }] });
  });

  it('fills in the pre-chat form first when the line asks for it', async () => {
    const { chat, api, store, link } = setup({ config: { prechat: { name: 'required', email: 'off', phone: 'off' } } });
    await chat.start();
    expect(store.get().prechat).toBe('needed');
    await chat.submitPrechat({ name: 'Ada' });
    expect(api.session).toHaveBeenCalledWith({ name: 'Ada' });
    expect(store.get().prechat).toBe('done');
    expect(link.opened).toBe(1);
  });

  it('stays on the pre-chat form with the server’s reason when the session is refused', async () => {
    const { chat, store } = setup({
      config: { prechat: { name: 'off', email: 'required', phone: 'off' } },
      api: { session: async () => Promise.reject(new ApiError(400, 'validation_failed', 'That e-mail address looks wrong.')) },
    });
    await chat.start();
    await chat.submitPrechat({ email: 'a@b.c' });
    expect(store.get()).toMatchObject({ prechat: 'needed', prechatError: 'That e-mail address looks wrong.' });
  });
});

describe('sending', () => {
  async function connected(opts: Parameters<typeof setup>[0] = {}) {
    const s = setup({ token: 'stored-token-1', ...opts });
    await s.chat.start();
    s.link.connect();
    await flush();
    return s;
  }

  it('marks a refused message failed and retries it with the same clientId', async () => {
    const { chat, store, link } = await connected();
    const answer = link.answerSend;
    link.answerSend = async () => ({ ok: false, error: { code: 'rate_limited', message: 'Slow down a little.' } });
    chat.send('one');
    await flush();
    expect(store.get().timeline.outgoing).toMatchObject([{ state: 'failed', error: 'Slow down a little.' }]);
    link.answerSend = answer;
    chat.retry(store.get().timeline.outgoing[0]!.clientId);
    await flush();
    expect(link.sent).toHaveLength(2);
    expect(link.sent[1]!.clientId).toBe(link.sent[0]!.clientId);
    expect(store.get().timeline.outgoing).toEqual([]);
  });

  it('treats a missing acknowledgement as not delivered', async () => {
    const { chat, store, link } = await connected();
    link.answerSend = () => Promise.reject(new Error('operation has timed out'));
    chat.send('hello?');
    await flush();
    expect(store.get().timeline.outgoing).toMatchObject([{ state: 'failed', error: 'Not delivered.' }]);
  });

  it('holds messages written while reconnecting and sends them after the sync', async () => {
    const { chat, store, link } = await connected();
    link.drop();
    expect(store.get().link).toBe('reconnecting');
    chat.send('while offline');
    await flush();
    expect(link.sent).toEqual([]);
    expect(store.get().timeline.outgoing[0]?.state).toBe('sending');
    link.connect();
    await flush();
    expect(link.sent).toMatchObject([{ text: 'while offline' }]);
  });

  it('uploads a file once, even when the message carrying it has to be retried', async () => {
    const { chat, api, store, link } = await connected({ config: { attachments: { enabled: true, maxBytes: 1000, allowedTypes: ['image/*'] } } });
    link.answerSend = () => Promise.reject(new Error('timeout'));
    chat.attach(new File(['png'], 'bike.png', { type: 'image/png' }));
    await flush();
    expect(store.get().timeline.outgoing).toMatchObject([{ file: { name: 'bike.png' }, state: 'failed' }]);
    link.answerSend = async () => ({ ok: true, message: msg(200, 'in', '') });
    chat.retry(store.get().timeline.outgoing[0]!.clientId);
    await flush();
    expect(api.upload).toHaveBeenCalledTimes(1);
    expect(link.sent.map((r) => r.attachmentIds)).toEqual([[7], [7]]);
    expect(store.get().timeline.outgoing).toEqual([]);
  });

  it('refuses a file the line does not accept without uploading it', async () => {
    const { chat, api, store } = await connected({ config: { attachments: { enabled: true, maxBytes: 2, allowedTypes: [] } } });
    chat.attach(new File(['too big'], 'notes.txt'));
    expect(store.get().notice).toMatch(/the limit is 2 B/);
    expect(api.upload).not.toHaveBeenCalled();
  });
});

describe('a returning visitor', () => {
  it('resumes the session, shows history and syncs from the last id after a reconnect', async () => {
    const { chat, api, store, link, token } = setup({ token: 'stored-token-1' });
    link.history = [msg(1, 'in'), msg(2, 'out')];
    await chat.start();
    expect(api.session).toHaveBeenCalledWith({ token: 'stored-token-1' });
    expect(token()).toBe('fresh-token-123');
    link.connect();
    await flush();
    expect(store.get().timeline.messages.map((m) => m.id)).toEqual([1, 2]);
    link.on?.message(msg(3, 'out'));
    link.on?.message(msg(3, 'out'));
    link.drop();
    link.history.push(msg(3, 'out'), msg(4, 'out'));
    link.connect();
    await flush();
    expect(link.syncs).toEqual([0, 2, 3, 4]);
    expect(store.get().timeline.messages.map((m) => m.id)).toEqual([1, 2, 3, 4]);
  });

  it('pages through a history longer than one sync answer', async () => {
    const { chat, store, link } = setup({ token: 'stored-token-1' });
    link.history = [1, 2, 3, 4, 5].map((id) => msg(id, 'out'));
    link.pageSize = 2;
    await chat.start();
    link.connect();
    await flush();
    expect(link.syncs).toEqual([0, 2, 4, 5]);
    expect(store.get().timeline.messages.map((m) => m.id)).toEqual([1, 2, 3, 4, 5]);
  });

  it('starts over as a new visitor when the server no longer knows the token', async () => {
    const { chat, store, link, token } = setup({
      token: 'stored-token-1',
      config: { prechat: { name: 'optional', email: 'off', phone: 'off' } },
      api: { session: async () => Promise.reject(new ApiError(401, 'unauthenticated', 'Unknown visitor.')) },
    });
    await chat.start();
    expect(token()).toBeNull();
    expect(link.opened).toBe(0);
    expect(store.get().prechat).toBe('needed');
  });

  it('neither connects nor forgets the visitor when the site itself is refused', async () => {
    const { chat, store, link, token } = setup({ token: 'stored-token-1', api: { session: async () => Promise.reject(new ApiError(403, 'forbidden', 'Not allowed here')) } });
    await chat.start();
    expect(token()).toBe('stored-token-1');
    expect(link.opened).toBe(0);
    expect(store.get().link).toBe('unavailable');
  });

  it('keeps the token and connects anyway when the server is just unreachable', async () => {
    const { chat, link, token } = setup({ token: 'stored-token-1', api: { session: async () => Promise.reject(new ApiError(0, 'network', 'offline')) } });
    await chat.start();
    expect(token()).toBe('stored-token-1');
    expect(link.opened).toBe(1);
  });

  it('refreshes the token when the handshake is refused, and gives up after repeated refusals', async () => {
    const { chat, api, store, link } = setup({ token: 'stored-token-1' });
    await chat.start();
    for (let i = 0; i < 3; i += 1) {
      link.on?.rejected('unauthenticated');
      await flush();
    }
    expect(api.session).toHaveBeenCalledTimes(3);
    expect(link.reconnects).toBe(2);
    expect(store.get().link).toBe('unavailable');
  });
});

describe('presence and reading', () => {
  it('shows the operator typing until their message arrives, and follows status', async () => {
    const { chat, store, link } = setup({ token: 'stored-token-1' });
    await chat.start();
    link.connect();
    link.on?.typing({ typing: true, name: 'Anna' });
    expect(store.get().operatorTyping).toBe('Anna');
    link.on?.message(msg(5, 'out'));
    expect(store.get().operatorTyping).toBeNull();
    link.on?.status({ online: false });
    expect(store.get().online).toBe(false);
  });

  it('tells the operator the visitor is typing at most every few seconds', async () => {
    const { chat, link } = setup({ token: 'stored-token-1' });
    await chat.start();
    link.connect();
    chat.typed();
    chat.typed();
    chat.send('done');
    expect(link.typing).toEqual([true, false]);
  });

  it('remembers the newest message as read', async () => {
    const { chat, store, link } = setup({ token: 'stored-token-1' });
    link.history = [msg(1, 'out'), msg(2, 'out')];
    await chat.start();
    link.connect();
    await flush();
    chat.markRead();
    expect(store.get().lastReadId).toBe(2);
  });
});

describe('rating request', () => {
  it('shows the prompt, sends the stars once asked, and reports the result', async () => {
    const { chat, store, link } = setup({ token: 'returning-token' });
    await chat.start();
    link.connect();
    await flush();
    await chat.rate(5);
    expect(link.rated).toEqual([]);
    link.on?.['rating-request']({ prompt: 'How did we do?' });
    expect(store.get().rating).toEqual({ prompt: 'How did we do?', state: 'asked' });
    await chat.rate(4);
    expect(link.rated).toEqual([4]);
    expect(store.get().rating?.state).toBe('done');
  });
});

describe('offline contact', () => {
  it('asks once for an e-mail while offline and remembers it was given', async () => {
    const { chat, store, api } = setup({ token: 'returning-token' });
    await chat.start();
    expect(store.get().offlineContact).toBe('ask');
    await chat.leaveContact('ann@example.com');
    expect(api.session).toHaveBeenLastCalledWith({ token: 'fresh-token-123', email: 'ann@example.com' });
    expect(store.get().offlineContact).toBe('done');
  });
});
