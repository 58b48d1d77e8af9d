import multer from 'multer';
import { AttachmentDto } from '../../shared/attachment.js';
import type { Database } from '../db/database.js';
import { AppError, notFound } from '../errors/app-error.js';
import { canSee, viewerOf } from '../conversations/access.js';
import { ConversationEntity } from '../conversations/conversation.entity.js';
import { MessageEntity } from '../conversations/message.entity.js';
import type { ApiRouter } from '../http/api-router.js';
import { AttachmentEntity } from './attachment.entity.js';
import type { AttachmentStore } from './attachment.store.js';

/** What operators may upload: documents and images a customer can open; no executables, no HTML. */
const ALLOWED = /^(image\/(png|jpeg|gif|webp)|application\/pdf|text\/plain|text\/csv|application\/zip|application\/(msword|vnd\.openxmlformats-officedocument\.[a-z.]+|vnd\.ms-excel|vnd\.oasis\.opendocument\.[a-z]+)|audio\/(mpeg|ogg|wav)|video\/mp4)$/;

export function attachmentRoutes(api: ApiRouter, d: { db: Database; store: AttachmentStore; maxBytes: number }): void {
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: d.maxBytes, files: 1, fields: 5 } }).single('file');

  api.add({
    method: 'post', path: '/api/uploads', tag: 'attachments', access: 'user', multipart: true, status: 201, response: AttachmentDto,
    summary: 'Upload a file to attach to a reply (multipart field "file")',
    async handler({ req, res, auth }) {
      await new Promise<void>((resolve, reject) => upload(req, res, (err: unknown) => (err ? reject(uploadError(err)) : resolve())));
      const file = req.file;
      if (!file) throw new AppError('validation_failed', 'Send one file in the multipart field "file"');
      if (!ALLOWED.test(file.mimetype)) throw new AppError('unsupported_media_type', `Files of type ${file.mimetype} cannot be sent`);
      const a = await d.store.save(`user:${auth.user.id}`, { fileName: file.originalname, mimeType: file.mimetype, data: file.buffer });
      return { id: a.id, fileName: a.fileName, mimeType: a.mimeType, size: a.size, url: `/api/attachments/${a.id}` };
    },
  });

  api.add({
    method: 'get', path: '/api/attachments/{id}', tag: 'attachments', access: 'user', summary: 'Download a file of a conversation you can see',
    async handler({ req, res, params, auth }) {
      const a = await d.db.manager.findOneBy(AttachmentEntity, { id: params.id });
      if (!a) throw notFound('File');
      if (a.messageId === null) {
        if (a.owner !== `user:${auth.user.id}`) throw notFound('File');
      } else {
        const msg = await d.db.manager.findOneByOrFail(MessageEntity, { id: a.messageId });
        const conv = await d.db.manager.findOneBy(ConversationEntity, { id: msg.conversationId });
        if (!conv || !canSee(await viewerOf(d.db.manager, auth.user), conv)) throw notFound('File');
      }
      res.setHeader('Content-Type', a.mimeType);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Content-Security-Policy', "default-src 'none'; img-src 'self'; media-src 'self'; sandbox");
      const inline = /^(image|audio|video)\//.test(a.mimeType) || a.mimeType === 'application/pdf';
      res.setHeader('Content-Disposition', `${inline && req.query.download === undefined ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(a.fileName)}`);
      const file = await d.store.localPath(a.storageKey);
      await new Promise<void>((resolve, reject) => res.sendFile(file, (err) => (err ? reject(err) : resolve())));
    },
  });
}

/** Multer's limits and busboy's parse errors (a malformed part header, a cut-off body) are the caller's fault. */
function uploadError(err: unknown): AppError {
  if ((err as { code?: string }).code === 'LIMIT_FILE_SIZE') return new AppError('payload_too_large', 'The file is larger than this hub accepts');
  return new AppError('bad_request', `The upload could not be read (${(err as Error).message}); send one file in the multipart field "file"`);
}
