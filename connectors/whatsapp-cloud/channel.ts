import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { ChannelInfo, Connector, ConnectorContext } from '../contract.js';
import type { OutboundMessage } from '../../shared/outbound.js';
import { GraphClient, GraphError } from './graph.js';
import { CloudMessage, CloudStatus, CloudWebhook, decodeMessage, decodeStatus } from './inbound.js';
import { sendCloud } from './outbound.js';
import type { WhatsappCloudSettings } from './settings.js';

/** `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body under the app secret>`. */
export function validSignature(raw: Buffer, header: unknown, appSecret: string): boolean {
  if (typeof header !== 'string' || !header.startsWith('sha256=')) return false;
  const given = Buffer.from(header.slice(7), 'hex');
  const expected = createHmac('sha256', appSecret).update(raw).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const lastInKey = (phone: string) => `lastIn:${phone}`;

/** One WhatsApp Business number on the Cloud API: webhooks in, Graph API out. */
export class WhatsappCloudChannel implements Connector {
  private readonly graph: GraphClient;
  private readonly progress = new Map<number, string[]>();

  constructor(
    private readonly channel: ChannelInfo,
    private readonly settings: WhatsappCloudSettings,
    private readonly ctx: ConnectorContext,
    private readonly publicUrl: string,
  ) {
    this.graph = new GraphClient(settings);
  }

  get webhookUrl(): string {
    return `${this.publicUrl}/hooks/whatsapp_cloud/${this.channel.id}`;
  }

  async start(): Promise<void> {
    void this.graph.phoneNumber().then(
      (n) => this.ctx.reportStatus('connected', `${n.display_phone_number} (${n.verified_name}); webhook ${this.webhookUrl}`),
      (err) => {
        const auth = err instanceof GraphError && (err.code === 190 || err.status === 401);
        this.ctx.reportStatus(auth ? 'needs_action' : 'error', auth ? 'WhatsApp rejected the access token (190): renew it' : `Cannot reach the Graph API: ${(err as Error).message}`);
      },
    );
  }

  async stop(): Promise<void> {}

  async send(m: OutboundMessage): Promise<{ externalId: string }> {
    const last = await this.ctx.state.get(lastInKey(m.recipientExternalId));
    return sendCloud(this.graph, m, last === null ? null : Number(last), this.progress);
  }

  /** GET: Meta's subscription check. POST: signed notifications, acknowledged only after everything is stored. */
  webhook(req: Request, res: Response): void {
    if (req.method === 'GET') {
      const q = req.query as Record<string, string | undefined>;
      const ok = q['hub.mode'] === 'subscribe' && typeof q['hub.verify_token'] === 'string' && safeEqual(q['hub.verify_token'], this.settings.verifyToken);
      if (!ok) return void res.status(403).type('text/plain').send('verify token mismatch');
      return void res.status(200).type('text/plain').send(String(q['hub.challenge'] ?? ''));
    }
    if (req.method !== 'POST') return void res.status(405).end();
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!validSignature(raw, req.headers['x-hub-signature-256'], this.settings.appSecret)) {
      return void res.status(401).json({ error: 'bad signature' });
    }
    let body: CloudWebhook;
    try {
      body = CloudWebhook.parse(JSON.parse(raw.toString('utf8')));
    } catch {
      return void res.status(400).json({ error: 'not a WhatsApp Business webhook' });
    }
    this.process(body).then(
      (failed) => (failed ? res.status(500).json({ error: 'some events were not stored; retry' }) : res.json({ ok: true })),
      () => res.status(500).end(),
    );
  }

  /** Each event in its own try/catch; resolves to the number that failed (Meta then delivers the batch again). */
  private async process(body: CloudWebhook): Promise<number> {
    let failed = 0;
    for (const change of body.entry.flatMap((e) => e.changes)) {
      if (change.field !== 'messages') continue;
      const v = change.value;
      if (v.metadata && v.metadata.phone_number_id !== this.settings.phoneNumberId) {
        this.ctx.logger.warn({ phoneNumberId: v.metadata.phone_number_id }, 'whatsapp webhook for another number ignored');
        continue;
      }
      const names = new Map((v.contacts ?? []).map((c) => [c.wa_id, c.profile?.name ?? ''] as const).filter(([, n]) => n));
      for (const raw of v.messages ?? []) {
        try {
          await this.receive(CloudMessage.parse(raw), names);
        } catch (err) {
          failed++;
          this.ctx.logger.error({ err }, 'whatsapp message not stored');
        }
      }
      for (const raw of v.statuses ?? []) {
        try {
          const s = decodeStatus(CloudStatus.parse(raw));
          if (s) await this.ctx.updateDelivery(s.externalId, s.status, s.reason);
        } catch (err) {
          failed++;
          this.ctx.logger.error({ err }, 'whatsapp status not stored');
        }
      }
    }
    return failed;
  }

  private async receive(m: CloudMessage, names: Map<string, string>): Promise<void> {
    const d = decodeMessage(m, names);
    if (d.kind === 'skip') return;
    const sender = d.message.sender.externalId;
    const attachmentIds: number[] = [];
    if (d.media) {
      const file = await this.graph.download(d.media.mediaId);
      attachmentIds.push((await this.ctx.saveAttachment(sender, { fileName: d.media.fileName, mimeType: d.media.mimeType, data: file.data })).id);
    }
    await this.ctx.ingest({ ...d.message, attachmentIds });
    // The service window runs from the customer's own message time, never from when it reached us.
    const at = Date.parse(d.message.sentAt!);
    const known = Number((await this.ctx.state.get(lastInKey(sender))) ?? 0);
    if (at > known) await this.ctx.state.set(lastInKey(sender), String(at));
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
