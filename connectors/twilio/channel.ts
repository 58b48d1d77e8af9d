import { createReadStream } from 'node:fs';
import type { Request, Response } from 'express';
import type { ZodType } from 'zod';
import type { ChannelInfo, Connector, ConnectorContext } from '../contract.js';
import type { OutboundMessage } from '../../shared/outbound.js';
import { checkAccount } from './account.js';
import { CallStatusCallback, decodeSms, decodeSmsStatus, DialResult, RecordingCallback, SmsRequest, SmsStatusCallback, VoiceRequest } from './inbound.js';
import { downloadMedia, streamRecording, TooLarge } from './media.js';
import { sendSms } from './outbound.js';
import { restClient, type TwilioRest } from './rest.js';
import { MMS_MAX_BYTES, type TwilioSettings } from './settings.js';
import { mediaSignature, validMediaSignature, verifiedParams, type TwilioParams } from './signature.js';
import { hangup, noReply } from './twiml.js';
import { voiceToken } from './token.js';
import { VoiceDesk } from './voice.js';

/** How long Twilio may take to fetch an operator's file for an MMS. */
const MEDIA_LINK_SECONDS = 24 * 3600;

/** A webhook's answer: TwiML for Twilio to run, or nothing (status callbacks). */
type Answer = string | void;

/** One Twilio number: voice and SMS webhooks in, REST API out, tokens for the operators' browser phones. */
export class TwilioChannel implements Connector {
  private readonly rest: TwilioRest;
  private readonly voice: VoiceDesk;
  private readonly progress = new Map<number, string[]>();
  /** `<publicUrl>/hooks/twilio/<channel id>`: the base of every URL Twilio requests and signs. */
  readonly hook: string;

  constructor(
    private readonly channel: ChannelInfo,
    private readonly settings: TwilioSettings,
    private readonly ctx: ConnectorContext,
    publicUrl: string,
  ) {
    this.hook = `${publicUrl.replace(/\/+$/, '')}/hooks/twilio/${channel.id}`;
    this.rest = restClient(settings);
    this.voice = new VoiceDesk(settings, ctx, this.hook);
  }

  async start(): Promise<void> {
    void checkAccount(this.settings).then(
      (r) => r.ok
        ? this.ctx.reportStatus('connected', `${r.details}; webhooks: ${this.hook}/voice, ${this.hook}/sms`)
        : this.ctx.reportStatus(r.credentials ? 'needs_action' : 'error', r.reason),
      (err) => this.ctx.reportStatus('error', (err as Error).message),
    );
  }

  async stop(): Promise<void> {
    this.rest.close();
  }

  send(m: OutboundMessage): Promise<{ externalId: string }> {
    const sender = { rest: this.rest, from: this.settings.phoneNumber, statusCallback: `${this.hook}/sms-status`, mediaUrl: (id: number, to: string) => this.mediaUrl(id, to) };
    return sendSms(sender, m, this.progress);
  }

  async phoneToken(userId: number) {
    return voiceToken(this.settings, userId);
  }

  recording(source: string) {
    return streamRecording(source, this.settings);
  }

  /**
   * `/hooks/twilio/<id>/…`: every request signed by Twilio (403 otherwise, nothing stored), its parameters
   * checked (400), then answered with TwiML or 204. `GET /media/<attachment>` serves MMS files to Twilio by signed link.
   */
  webhook(req: Request, res: Response): void {
    if (req.method === 'GET' && /^\/media\/\d{1,12}$/.test(req.path)) return void this.serveMedia(req, res);
    if (req.method !== 'POST' && req.method !== 'GET') return void res.status(405).end();
    const params = verifiedParams(req, this.hook, this.settings.authToken);
    if (!params) return void res.status(403).type('text/plain').send('X-Twilio-Signature does not match');
    if (params.AccountSid !== undefined && params.AccountSid !== this.settings.accountSid) return void res.status(403).type('text/plain').send('not this account');
    const v = this.voice;
    const q = req.query as Record<string, string | undefined>;
    switch (req.path) {
      case '/voice': return this.answer(res, params, VoiceRequest, (p) => v.call(p));
      case '/dial': return this.answer(res, params, DialResult, (p) => v.dialed(p, Math.max(0, Number(q.i) || 0)));
      case '/done': return void res.type('text/xml').send(hangup());
      case '/status': return this.answer(res, params, CallStatusCallback, (p) => v.status(p, /^\d{1,10}$/.test(q.op ?? '') ? Number(q.op) : null));
      case '/recording': return this.answer(res, params, RecordingCallback, (p) => v.recorded(p));
      case '/sms': return this.answer(res, params, SmsRequest, (p) => this.receiveSms(p));
      case '/sms-status': return this.answer(res, params, SmsStatusCallback, async (p) => {
        const s = decodeSmsStatus(p);
        if (s) await this.ctx.updateDelivery(s.externalId, s.status, s.reason);
      });
      default: return void res.status(404).type('text/plain').send('unknown Twilio webhook');
    }
  }

  private answer<T>(res: Response, params: TwilioParams, schema: ZodType<T>, handle: (p: T) => Promise<Answer>): void {
    const parsed = schema.safeParse(params);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return void res.status(400).json({ error: `not a Twilio request: ${issue?.path.join('.')} ${issue?.message}` });
    }
    handle(parsed.data).then(
      (twiml) => (typeof twiml === 'string' ? res.type('text/xml').send(twiml) : res.status(204).end()),
      (err) => {
        this.ctx.logger.error({ err }, 'twilio webhook failed');
        res.status(500).type('text/plain').send('not processed; retry');
      },
    );
  }

  /** An SMS or MMS: files downloaded (within the bound) before the message is ingested; a file that fails leaves a note. */
  private async receiveSms(p: SmsRequest): Promise<string> {
    const { message, media } = decodeSms(p);
    const attachmentIds: number[] = [];
    const notes: string[] = [];
    for (const m of media) {
      try {
        const data = await downloadMedia(m.url, this.settings, MMS_MAX_BYTES);
        attachmentIds.push((await this.ctx.saveAttachment(message.sender.externalId, { fileName: m.fileName, mimeType: m.mimeType, data })).id);
      } catch (err) {
        this.ctx.logger.warn({ err, messageSid: p.MessageSid }, 'twilio media not stored');
        notes.push(err instanceof TooLarge ? `[${m.fileName} not stored: larger than 5 MB]` : `[${m.fileName} could not be downloaded]`);
      }
    }
    await this.ctx.ingest({ ...message, text: [message.text, ...notes].filter(Boolean).join('\n'), attachmentIds });
    return noReply();
  }

  /** A link Twilio can fetch an operator's file from, for one recipient, for a day. */
  private mediaUrl(attachmentId: number, to: string): string {
    const exp = Math.floor(Date.now() / 1000) + MEDIA_LINK_SECONDS;
    const sig = mediaSignature(this.settings.authToken, this.channel.id, attachmentId, to, exp);
    return `${this.hook}/media/${attachmentId}?to=${encodeURIComponent(to)}&exp=${exp}&sig=${sig}`;
  }

  private async serveMedia(req: Request, res: Response): Promise<void> {
    const id = Number(req.path.split('/')[2]);
    const { to, exp, sig } = req.query as Record<string, string | undefined>;
    if (!to || !sig || !validMediaSignature(this.settings.authToken, this.channel.id, id, to, Number(exp), sig)) {
      return void res.status(403).type('text/plain').send('link expired or not valid');
    }
    const file = await this.ctx.openAttachment(to, id).catch(() => null);
    if (!file) return void res.status(404).type('text/plain').send('no such file');
    res.status(200).set({ 'content-type': file.mimeType, 'content-length': String(file.size), 'cache-control': 'private, max-age=3600' });
    createReadStream(file.path).on('error', () => res.destroy()).pipe(res);
  }
}
