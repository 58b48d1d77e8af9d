import express, { type Request, type Response, type Router } from 'express';
import multer from 'multer';
import { WidgetSessionBody, type WidgetConfig } from '../../shared/visitor-socket.js';
import { originAllowed } from './origin.js';
import type { WebchatGateway, WebchatChannel } from './gateway.js';
import { issueVisitorToken, readFileToken, readVisitorToken } from './visitor-token.js';
import { ackError } from './ack.js';
import { typeAllowed } from './settings.js';

const fail = (res: Response, status: number, code: Parameters<typeof ackError>[0], message: string) =>
  res.status(status).json({ error: ackError(code, message).error });

/**
 * The widget's HTTP side under `/api/widget/:key`: config, visitor session, uploads, downloads.
 * CORS is granted per widget to its allowed origins only.
 */
export function widgetRoutes(gateway: WebchatGateway): Router {
  const router = express.Router({ mergeParams: true });

  router.use('/:key', (req, res, next) => {
    const channel = gateway.channelByKey(req.params.key);
    if (!channel) return fail(res, 404, 'not_found', 'Unknown widget key');
    const origin = req.headers.origin;
    if (!originAllowed(origin, channel.settings.allowedOrigins, gateway.hubOrigin, req.headers.host)) {
      return fail(res, 403, 'forbidden', 'This site is not allowed to embed the widget');
    }
    if (origin) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
      res.setHeader('Access-Control-Allow-Headers', 'Content-Type, Authorization');
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST');
    }
    if (req.method === 'OPTIONS') return res.status(204).end();
    res.locals.channel = channel;
    next();
  });

  router.get('/:key/config', async (_req, res, next) => {
    try {
      const ch: WebchatChannel = res.locals.channel;
      const s = ch.settings;
      const config: WidgetConfig = {
        title: s.title, color: s.color, welcomeText: s.welcomeText, online: await ch.ctx.isLineAvailable(), prechat: s.prechat,
        attachments: s.attachments,
      };
      res.json(config);
    } catch (err) {
      next(err);
    }
  });

  router.post('/:key/session', express.json({ limit: '8kb' }), (req, res) => {
    const ch: WebchatChannel = res.locals.channel;
    const body = WidgetSessionBody.safeParse(req.body ?? {});
    if (!body.success) return fail(res, 400, 'validation_failed', `Invalid session: ${body.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    const previous = body.data.token ? readVisitorToken(gateway.signer, body.data.token, ch.id) : null;
    // A token that does not verify is refused rather than silently swapped for a new visitor.
    if (body.data.token && !previous) return fail(res, 401, 'unauthenticated', 'The visitor token is not valid; start a new session without it');
    const { token, visitor } = issueVisitorToken(gateway.signer, {
      channelId: ch.id,
      visitorId: previous?.visitorId,
      name: body.data.name ?? previous?.name,
      email: body.data.email ?? previous?.email,
      phone: body.data.phone ?? previous?.phone,
    });
    // A returning visitor filling in the offline or pre-chat form: their contact learns it now, not at their next message.
    const given = { name: body.data.name, email: body.data.email, phone: body.data.phone };
    if (previous && (given.name || given.email || given.phone)) {
      void ch.ctx.identify(visitor.visitorId, given).catch((err) => ch.ctx.logger.warn({ err }, 'could not update the visitor contact'));
    }
    res.json({ token, visitorId: visitor.visitorId });
  });

  router.post('/:key/uploads', (req, res, next) => {
    const ch: WebchatChannel = res.locals.channel;
    const visitor = readVisitorToken(gateway.signer, bearer(req), ch.id);
    if (!visitor) return fail(res, 401, 'unauthenticated', 'A valid visitor token is required');
    const { enabled, maxBytes, allowedTypes } = ch.settings.attachments;
    if (!enabled) return fail(res, 403, 'forbidden', 'Attachments are turned off for this chat');
    multer({ storage: multer.memoryStorage(), limits: { fileSize: maxBytes, files: 1, fields: 5 } }).single('file')(req, res, async (err: unknown) => {
      if (err) {
        const code = (err as { code?: string }).code;
        if (code === 'LIMIT_FILE_SIZE') return fail(res, 413, 'payload_too_large', `The file is larger than ${Math.round(maxBytes / 1024)} KB`);
        return fail(res, 400, 'bad_request', 'The upload could not be read; send one file in the field "file"');
      }
      const file = req.file;
      if (!file) return fail(res, 400, 'validation_failed', 'Send one file in the field "file"');
      if (!typeAllowed(file.mimetype, allowedTypes)) return fail(res, 415, 'unsupported_media_type', `Files of type ${file.mimetype} are not accepted here`);
      try {
        const stored = await ch.ctx.saveAttachment(visitor.visitorId, { fileName: file.originalname, mimeType: file.mimetype, data: file.buffer });
        res.status(201).json({
          attachment: { id: stored.id, fileName: stored.fileName, mimeType: stored.mimeType, size: stored.size, url: gateway.fileUrl(ch, visitor.visitorId, stored.id) },
        });
      } catch (e) {
        next(e);
      }
    });
  });

  router.get('/:key/attachments/:id', async (req, res, next) => {
    try {
      const ch: WebchatChannel = res.locals.channel;
      const t = readFileToken(gateway.signer, String(req.query.t ?? ''));
      const id = Number(req.params.id);
      if (!t || t.channelId !== ch.id || t.attachmentId !== id) return fail(res, 404, 'not_found', 'File not found');
      const file = await ch.ctx.openAttachment(t.visitorId, id);
      if (!file) return fail(res, 404, 'not_found', 'File not found');
      res.setHeader('Content-Type', file.mimeType);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Content-Disposition', `${file.mimeType.startsWith('image/') ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(file.fileName)}`);
      res.sendFile(file.path);
    } catch (err) {
      next(err);
    }
  });

  return router;
}

function bearer(req: Request): string {
  const h = req.headers.authorization ?? '';
  return h.startsWith('Bearer ') ? h.slice(7) : '';
}
