import { readFile } from 'node:fs/promises';
import type { WhatsappCloudSettings } from './settings.js';

/** A Graph API error answer: `{ error: { message, type, code, error_subcode, error_data: { details } } }`. */
export class GraphError extends Error {
  constructor(readonly status: number, readonly code: number | null, message: string, readonly details: string | null) {
    super(message);
  }
}

/** The few Graph API calls a WhatsApp number needs, authenticated with the channel's access token. */
export class GraphClient {
  constructor(private readonly s: Pick<WhatsappCloudSettings, 'graphApiRoot' | 'apiVersion' | 'accessToken' | 'phoneNumberId'>) {}

  private url(path: string): string {
    return `${this.s.graphApiRoot.replace(/\/$/, '')}/${this.s.apiVersion}/${path}`;
  }

  async call<T>(method: 'GET' | 'POST', path: string, body?: object | FormData): Promise<T> {
    const init: RequestInit = { method, headers: { authorization: `Bearer ${this.s.accessToken}` }, signal: AbortSignal.timeout(30_000) };
    if (body instanceof FormData) init.body = body;
    else if (body) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    const res = await fetch(this.url(path), init);
    const data = (await res.json().catch(() => ({}))) as { error?: { message?: string; code?: number; error_data?: { details?: string } } };
    if (!res.ok || data.error) {
      const e = data.error ?? {};
      throw new GraphError(res.status, e.code ?? null, e.message ?? `HTTP ${res.status}`, e.error_data?.details ?? null);
    }
    return data as T;
  }

  /** The number's public facts: proves the token and the id belong together. */
  phoneNumber(): Promise<{ id: string; display_phone_number: string; verified_name: string; quality_rating?: string }> {
    return this.call('GET', `${this.s.phoneNumberId}?fields=id,display_phone_number,verified_name,quality_rating`);
  }

  sendMessage(payload: object): Promise<{ messages: Array<{ id: string }> }> {
    return this.call('POST', `${this.s.phoneNumberId}/messages`, { messaging_product: 'whatsapp', recipient_type: 'individual', ...payload });
  }

  /** Uploads a file for sending; WhatsApp keeps it 30 days and answers its media id. */
  async upload(path: string, mimeType: string, fileName: string): Promise<string> {
    const form = new FormData();
    form.append('messaging_product', 'whatsapp');
    form.append('type', mimeType);
    form.append('file', new Blob([new Uint8Array(await readFile(path))], { type: mimeType }), fileName);
    return (await this.call<{ id: string }>('POST', `${this.s.phoneNumberId}/media`, form)).id;
  }

  /** Downloads a customer's media: its id resolves to a short-lived URL that needs the same token. */
  async download(mediaId: string): Promise<{ data: Buffer; mimeType: string }> {
    const meta = await this.call<{ url: string; mime_type: string }>('GET', mediaId);
    const res = await fetch(meta.url, { headers: { authorization: `Bearer ${this.s.accessToken}` }, signal: AbortSignal.timeout(120_000) });
    if (!res.ok) throw new GraphError(res.status, null, `media download failed: HTTP ${res.status}`, null);
    return { data: Buffer.from(await res.arrayBuffer()), mimeType: meta.mime_type };
  }

  templates(businessAccountId: string): Promise<{ data: Array<{ name: string; language: string; status: string; category: string; components: unknown[] }> }> {
    return this.call('GET', `${businessAccountId}/message_templates?fields=name,language,status,category,components&limit=200`);
  }
}
