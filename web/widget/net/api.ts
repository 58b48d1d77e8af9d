import type { WidgetConfig, WidgetSession } from '../../../shared/visitor-socket.js';
import type { AttachmentDto } from '../../../shared/attachment.js';
import { parseWidgetConfig } from '../core/config.js';
import type { PrechatBody } from '../core/prechat.js';

/** A failed HTTP call; `status` 0 means the request never got an answer. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The server looked at the request and said no: repeating it will not help. */
  get rejected(): boolean {
    return this.status >= 400 && this.status < 500 && this.status !== 408 && this.status !== 429;
  }

  /** The visitor token was refused (malformed, or signed for something else): only a new visitor will do. */
  get badToken(): boolean {
    return this.status === 400 || this.status === 401;
  }
}

/** The three REST calls of the widget, all against the Omniline server rather than the host page. */
export interface WidgetApi {
  config(): Promise<WidgetConfig>;
  session(body: { token?: string } & PrechatBody): Promise<WidgetSession>;
  upload(token: string, file: File): Promise<AttachmentDto>;
}

export function createWidgetApi(origin: string, key: string, fetchFn: typeof fetch = (...a) => fetch(...a)): WidgetApi {
  const base = `${origin}/api/widget/${encodeURIComponent(key)}`;

  async function call(path: string, init?: RequestInit): Promise<unknown> {
    let res: Response;
    try {
      // `omit`: the visitor is identified by the token, and cookies of the hub must not ride along.
      res = await fetchFn(base + path, { ...init, credentials: 'omit' });
    } catch {
      throw new ApiError(0, 'network', 'Could not reach the chat server.');
    }
    const body: unknown = await res.json().catch(() => null);
    if (!res.ok) throw errorFrom(res.status, body);
    return body;
  }

  return {
    config: async () => parseWidgetConfig(await call('/config')),
    async session(body) {
      const res = await call('/session', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      const session = res as Partial<WidgetSession> | null;
      if (typeof session?.token !== 'string') throw new ApiError(500, 'internal', 'The chat server sent no session token.');
      return { token: session.token, visitorId: String(session.visitorId ?? '') };
    },
    async upload(token, file) {
      const form = new FormData();
      form.append('file', file, file.name);
      const res = (await call('/uploads', { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form })) as { attachment?: AttachmentDto } | null;
      if (!res?.attachment) throw new ApiError(500, 'internal', 'The chat server did not confirm the upload.');
      return res.attachment;
    },
  };
}

function errorFrom(status: number, body: unknown): ApiError {
  const err = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  const code = typeof err?.code === 'string' ? err.code : 'http_' + status;
  const fallback = status === 413 ? 'That file is too large.' : status === 415 ? "That file type isn't allowed." : `The chat server answered ${status}.`;
  return new ApiError(status, code, typeof err?.message === 'string' && err.message ? err.message : fallback);
}
