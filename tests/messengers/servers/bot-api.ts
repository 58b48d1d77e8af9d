import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local Telegram Bot API server for the methods the connector uses, with the documented wire format:
 * `POST {apiRoot}/bot<token>/<method>` (JSON, query or multipart/form-data) answering
 * `{ ok: true, result }` or `{ ok: false, error_code, description, parameters? }`, and files under
 * `{apiRoot}/file/bot<token>/<file_path>`. getUpdates confirms updates below `offset` and long-polls.
 */
export interface FakeBot {
  token: string;
  me: { id: number; is_bot: true; first_name: string; username: string };
  /** Updates not yet confirmed by a getUpdates offset. */
  pending: Array<{ update_id: number } & Record<string, unknown>>;
  nextUpdateId: number;
  webhook: { url: string; secret_token?: string; allowed_updates?: string[] } | null;
  sent: Array<{ method: string; chat_id: string; text?: string; caption?: string; file?: { name: string; size: number }; reply_parameters?: unknown; message_id: number }>;
  calls: string[];
  /** Scripted failures for the next calls to a chat: `{ code, description, retry_after? }`. */
  failures: Map<string, Array<{ code: number; description: string; retry_after?: number }>>;
  /** While set, file downloads wait for it (to hold an update between receive and commit). */
  fileGate: Promise<void> | null;
  fileRequests: number;
  /** While set, sends wait for it before they are answered (a send in flight when the hub dies). */
  sendGate: Promise<void> | null;
}

export interface FakeBotApi {
  url: string;
  bot(token: string): FakeBot;
  /** Queues an update (update_id assigned) and wakes a waiting getUpdates. */
  push(token: string, update: Record<string, unknown>): number;
  /** Serves a file for getFile; returns its file_id. */
  addFile(token: string, fileId: string, data: Buffer, filePath: string): void;
  close(): Promise<void>;
}

let messageIds = 1000;

export async function startBotApi(bots: Array<{ token: string; username: string }>): Promise<FakeBotApi> {
  const state = new Map<string, FakeBot>();
  const files = new Map<string, { data: Buffer; path: string }>();
  const waiters = new Map<string, Array<() => void>>();
  for (const b of bots) {
    state.set(b.token, {
      token: b.token, me: { id: Number(b.token.split(':')[0]), is_bot: true, first_name: b.username, username: b.username },
      pending: [], nextUpdateId: 1, webhook: null, sent: [], calls: [], failures: new Map(), fileGate: null, fileRequests: 0, sendGate: null,
    });
  }
  const wake = (token: string) => (waiters.get(token)?.splice(0) ?? []).forEach((w) => w());

  const server: Server = createServer(async (req, res) => {
    const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const ok = (result: unknown) => send(200, { ok: true, result });
    const fail = (code: number, description: string, parameters?: object) => send(code, { ok: false, error_code: code, description, ...(parameters ? { parameters } : {}) });
    const url = new URL(req.url ?? '/', 'http://x');
    const fileMatch = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (fileMatch) {
      const bot = state.get(fileMatch[1]!);
      const file = [...files.values()].find((f) => f.path === fileMatch[2]);
      if (!bot || !file) return fail(404, 'Not Found');
      bot.fileRequests++;
      await bot.fileGate;
      return res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(file.data);
    }
    const m = /^\/bot([^/]+)\/(\w+)$/.exec(url.pathname);
    const bot = m ? state.get(m[1]!) : undefined;
    if (!m || !bot) return fail(m ? 401 : 404, m ? 'Unauthorized' : 'Not Found');
    const method = m[2]!;
    const p = await params(req, url);
    bot.calls.push(method);
    switch (method) {
      case 'getMe':
        return ok(bot.me);
      case 'setWebhook':
        bot.webhook = { url: String(p.url), secret_token: p.secret_token as string | undefined, allowed_updates: p.allowed_updates as string[] | undefined };
        return ok(true);
      case 'deleteWebhook':
        bot.webhook = null;
        if (p.drop_pending_updates) bot.pending = [];
        return ok(true);
      case 'getUpdates': {
        if (bot.webhook) return fail(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
        const offset = Number(p.offset ?? 0);
        if (offset > 0) bot.pending = bot.pending.filter((u) => u.update_id >= offset);
        if (!bot.pending.length && Number(p.timeout ?? 0) > 0) {
          await new Promise<void>((resolve) => {
            const t = setTimeout(resolve, Number(p.timeout) * 1000);
            const list = waiters.get(bot.token) ?? [];
            list.push(() => (clearTimeout(t), resolve()));
            waiters.set(bot.token, list);
            res.on('close', () => (clearTimeout(t), resolve()));
          });
        }
        return ok(bot.pending.slice(0, Number(p.limit ?? 100)));
      }
      case 'getFile': {
        const f = files.get(`${bot.token}/${p.file_id}`);
        if (!f) return fail(400, 'Bad Request: invalid file_id');
        return ok({ file_id: p.file_id, file_unique_id: `u${p.file_id}`, file_size: f.data.length, file_path: f.path });
      }
      case 'sendMessage':
      case 'sendPhoto':
      case 'sendDocument': {
        const chatId = String(p.chat_id);
        await bot.sendGate;
        const scripted = bot.failures.get(chatId)?.shift();
        if (scripted) return fail(scripted.code, scripted.description, scripted.retry_after ? { retry_after: scripted.retry_after } : undefined);
        if (method === 'sendMessage' && String(p.text ?? '').length > 4096) return fail(400, 'Bad Request: message is too long');
        const upload = p.photo ?? p.document;
        const file = upload instanceof File ? { name: upload.name, size: upload.size } : undefined;
        const message_id = ++messageIds;
        bot.sent.push({ method, chat_id: chatId, text: p.text as string | undefined, caption: p.caption as string | undefined, file, reply_parameters: p.reply_parameters, message_id });
        const base = { message_id, date: Math.floor(Date.now() / 1000), chat: { id: Number(chatId), type: 'private' }, from: bot.me };
        if (method === 'sendMessage') return ok({ ...base, text: p.text });
        if (method === 'sendPhoto') return ok({ ...base, photo: [{ file_id: `ph${message_id}`, file_unique_id: `uph${message_id}`, width: 1, height: 1 }] });
        return ok({ ...base, document: { file_id: `doc${message_id}`, file_unique_id: `udoc${message_id}`, file_name: file?.name } });
      }
      default:
        return fail(404, 'Not Found: method not found');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    bot: (token) => state.get(token)!,
    push(token, update) {
      const bot = state.get(token)!;
      const update_id = bot.nextUpdateId++;
      bot.pending.push({ update_id, ...update });
      wake(token);
      return update_id;
    },
    addFile: (token, fileId, data, filePath) => void files.set(`${token}/${fileId}`, { data, path: filePath }),
    close: () => new Promise((r) => {
      for (const list of waiters.values()) list.splice(0).forEach((w) => w());
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

/** Reads Bot API parameters: JSON body, multipart form (files stay `File`s, JSON fields are parsed) or query. */
async function params(req: IncomingMessage, url: URL): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const body = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? '';
  const out: Record<string, unknown> = Object.fromEntries(url.searchParams);
  if (type.includes('application/json') && body.length) Object.assign(out, JSON.parse(body.toString('utf8')));
  if (type.includes('multipart/form-data')) {
    const form = await new Response(body, { headers: { 'content-type': type } }).formData();
    for (const [k, v] of form) out[k] = typeof v === 'string' && /^[[{]/.test(v) ? JSON.parse(v) : v;
  }
  return out;
}
