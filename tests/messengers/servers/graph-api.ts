import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local Graph API for one WhatsApp number, with the Cloud API's documented wire format:
 * `GET /{version}/{phone-number-id}`, `POST /{version}/{phone-number-id}/messages` (JSON) answering
 * `{ messaging_product, contacts: [{ input, wa_id }], messages: [{ id }] }`, `POST …/media` (multipart) →
 * `{ id }`, `GET /{version}/{media-id}` → `{ url, mime_type, sha256, file_size, id }` and the media URL
 * itself, and `GET /{version}/{waba-id}/message_templates`. Every call needs `Authorization: Bearer <token>`; errors are `{ error: { message, type, code, … } }`.
 */
export interface FakeGraph {
  url: string;
  sent: Array<{ to: string; type: string; body: Record<string, any>; id: string }>;
  uploads: Array<{ id: string; type: string; fileName: string; size: number }>;
  /** Scripted errors for the next sends to a recipient. */
  failures: Map<string, Array<{ status: number; code: number; message: string; details?: string }>>;
  addMedia(id: string, data: Buffer, mimeType: string): void;
  close(): Promise<void>;
}

let ids = 0;

export async function startGraphApi(opts: { token: string; phoneNumberId: string; displayNumber: string; verifiedName: string }): Promise<FakeGraph> {
  const media = new Map<string, { data: Buffer; mimeType: string }>();
  const graph = { sent: [], uploads: [], failures: new Map() } as unknown as FakeGraph;
  const server: Server = createServer(async (req, res) => {
    const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const error = (status: number, code: number, message: string, details?: string) =>
      json(status, { error: { message, type: code === 190 ? 'OAuthException' : 'OAuthException', code, ...(details ? { error_data: { messaging_product: 'whatsapp', details } } : {}), fbtrace_id: 'Az8or2yhqkZfEZ-_4Qn_Bam' } });
    if (req.headers.authorization !== `Bearer ${opts.token}`) return error(401, 190, 'Invalid OAuth access token - Cannot parse access token');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://x');
    const download = /^\/media-download\/(\w+)$/.exec(url.pathname);
    if (download) {
      const m = media.get(download[1]!);
      return m ? res.writeHead(200, { 'content-type': m.mimeType }).end(m.data) : error(404, 100, 'Unsupported get request.');
    }
    const [, , node, edge] = url.pathname.split('/');
    if (req.method === 'GET' && node === opts.phoneNumberId && !edge) {
      return json(200, { id: opts.phoneNumberId, display_phone_number: opts.displayNumber, verified_name: opts.verifiedName, quality_rating: 'GREEN' });
    }
    if (req.method === 'GET' && node && media.has(node) && !edge) {
      const m = media.get(node)!;
      return json(200, { messaging_product: 'whatsapp', url: `${graph.url}/media-download/${node}`, mime_type: m.mimeType, sha256: 'x', file_size: m.data.length, id: node });
    }
    if (req.method === 'GET' && edge === 'message_templates') {
      return json(200, {
        data: [
          { name: 'order_update', language: 'en_US', status: 'APPROVED', category: 'UTILITY', components: [{ type: 'BODY', text: 'Your order {{1}} is on its way.' }] },
          { name: 'draft_promo', language: 'en_US', status: 'PENDING', category: 'MARKETING', components: [{ type: 'BODY', text: 'Sale!' }] },
        ],
        paging: { cursors: { before: 'a', after: 'b' } },
      });
    }
    if (node !== opts.phoneNumberId) return error(400, 100, `Unsupported get request. Object with ID '${node}' does not exist`);
    if (req.method === 'POST' && edge === 'media') {
      const form = await new Response(raw, { headers: { 'content-type': req.headers['content-type'] ?? '' } }).formData();
      const file = form.get('file') as File;
      if (form.get('messaging_product') !== 'whatsapp' || !file) return error(400, 100, '(#100) Param file is required');
      const id = String(900000 + ++ids);
      graph.uploads.push({ id, type: String(form.get('type')), fileName: file.name, size: file.size });
      return json(200, { id });
    }
    if (req.method === 'POST' && edge === 'messages') {
      const body = JSON.parse(raw.toString('utf8')) as Record<string, any>;
      if (body.messaging_product !== 'whatsapp' || !body.to || !body.type || !body[body.type]) return error(400, 100, '(#100) Invalid parameter');
      if (body.type === 'text' && String(body.text.body).length > 4096) return error(400, 100, '(#100) Param text[\'body\'] must be at most 4096 characters long.');
      const scripted = graph.failures.get(body.to)?.shift();
      if (scripted) return error(scripted.status, scripted.code, scripted.message, scripted.details);
      const id = `wamid.OUT${++ids}`;
      graph.sent.push({ to: body.to, type: body.type, body, id });
      return json(200, { messaging_product: 'whatsapp', contacts: [{ input: body.to, wa_id: body.to }], messages: [{ id }] });
    }
    return error(400, 100, 'Unsupported request');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  graph.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  graph.addMedia = (id, data, mimeType) => void media.set(id, { data, mimeType });
  graph.close = () => new Promise((r) => {
    server.closeAllConnections();
    server.close(() => r());
  });
  return graph;
}

/** Posts a webhook notification the way Meta does: JSON signed with the app secret. */
export function postSigned(hookUrl: string, body: unknown, appSecret: string | null, signature?: string): Promise<Response> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const sig = signature ?? (appSecret ? `sha256=${createHmac('sha256', appSecret).update(raw).digest('hex')}` : undefined);
  return fetch(hookUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...(sig ? { 'x-hub-signature-256': sig } : {}) }, body: raw });
}
