import { pipeline } from 'node:stream/promises';
import type { Connector } from '../../connectors/contract.js';
import { canSee, viewerOf } from '../conversations/access.js';
import { ConversationEntity } from '../conversations/conversation.entity.js';
import { MessageEntity } from '../conversations/message.entity.js';
import type { Database } from '../db/database.js';
import { AppError, notFound } from '../errors/app-error.js';
import type { ApiRouter } from '../http/api-router.js';
import { storedCallOf } from './call-merge.js';

/** The provider failed to hand over what the hub proxies: 502, with the provider's reason. */
class ProviderError extends AppError {
  override readonly status = 502;
  constructor(message: string) {
    super('unavailable', message);
  }
}

/**
 * `GET /api/messages/:id/recording`: a call's recording, streamed from the provider through the hub
 * with the operator's session, so the provider's URL and credentials never reach the browser.
 */
export function recordingRoutes(api: ApiRouter, d: { db: Database; connector(channelId: number): Connector | undefined }): void {
  api.add({
    method: 'get', path: '/api/messages/{id}/recording', tag: 'calls', access: 'user',
    summary: "Play a call's recording (audio streamed from the provider) in a conversation you can see",
    async handler({ auth, params, res }) {
      const msg = await d.db.manager.findOneBy(MessageEntity, { id: params.id });
      const conv = msg && (await d.db.manager.findOneBy(ConversationEntity, { id: msg.conversationId }));
      if (!msg || !conv || !canSee(await viewerOf(d.db.manager, auth.user), conv)) throw notFound('Message');
      const source = msg.kind === 'call' ? storedCallOf(msg.meta)?.recordingSource : undefined;
      if (!source) throw new AppError('not_found', 'This call has no recording');
      const connector = d.connector(msg.channelId);
      if (!connector?.recording) throw new AppError('unavailable', "The call's channel is not running, so its recording cannot be fetched now");
      let rec: Awaited<ReturnType<NonNullable<Connector['recording']>>>;
      try {
        rec = await connector.recording(source);
      } catch (err) {
        throw new ProviderError(`The provider did not deliver the recording: ${(err as Error).message}`);
      }
      res.status(200);
      res.setHeader('Content-Type', rec.mimeType);
      if (rec.size !== null) res.setHeader('Content-Length', String(rec.size));
      res.setHeader('Cache-Control', 'private, no-store');
      res.setHeader('Content-Disposition', 'inline');
      res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
      await pipeline(rec.stream, res);
    },
  });
}
