import { Readable } from 'node:stream';
import { z } from 'zod';
import type { ConnectorContext, ConnectorDefinition } from '../../connectors/contract.js';
import { EventEntity, type EventRow } from '../../server/events/event.entity.js';
import { eventually, login, type ApiClient } from '../helpers/clients.js';
import type { TestHub } from '../helpers/hub.js';

/**
 * A telephony provider played by the test: registered as the `twilio` type in the hub's registry (the
 * hub under test is real; this stands where Twilio would). It hands out its channels' contexts, phone
 * tokens, and recordings the test puts in `recordings`.
 */
export function scriptedTelephony() {
  const contexts = new Map<number, ConnectorContext>();
  const recordings = new Map<string, Buffer>();
  const def: ConnectorDefinition<Record<string, never>> = {
    type: 'twilio', settings: z.object({}) as never, secretFields: [], usesPublicKey: false,
    capabilities: () => ({ attachments: false, maxTextLength: 1600, maxAttachmentBytes: 0, edits: false, readReceipts: false, typing: false, replyWindowHours: null }),
    create: (channel, _settings, ctx) => ({
      async start() {
        contexts.set(channel.id, ctx);
        ctx.reportStatus('connected');
      },
      async stop() {
        contexts.delete(channel.id);
      },
      async send(m) {
        return { externalId: `SM${m.messageId}` };
      },
      async phoneToken(userId) {
        return { token: `token-for-${userId}`, identity: `user-${userId}`, expiresAt: new Date(Date.now() + 3_600_000).toISOString() };
      },
      async recording(source) {
        const data = recordings.get(source);
        if (!data) throw new Error('the provider answered 404 for this recording');
        return { stream: Readable.from([data]), mimeType: 'audio/mpeg', size: data.length };
      },
    }),
  };
  return {
    def, recordings,
    ctx: (channelId: number) => eventually(() => contexts.get(channelId), `connector of channel ${channelId} started`),
  };
}

export interface Operator {
  id: number;
  api: ApiClient;
}

let n = 0;

/** A signed-in operator, online unless told otherwise. */
export async function operator(t: TestHub, admin: ApiClient, name: string, presence: 'online' | 'offline' = 'online'): Promise<Operator> {
  const email = `${name.toLowerCase()}-${++n}@test.local`;
  const u = await admin.call('POST', '/api/users', { email, name, role: 'operator', password: 'operator-pass-1' });
  if (u.status !== 201) throw new Error(JSON.stringify(u.body));
  const api = await login(t.url, email, 'operator-pass-1');
  if (presence === 'online') await api.call('PUT', '/api/me/presence', { presence: 'online' });
  return { id: u.body.id, api };
}

/** A line with these members and line settings; answers its id. */
export async function line(admin: ApiClient, name: string, memberIds: number[], settings: Record<string, unknown> = {}): Promise<number> {
  const r = await admin.call('POST', '/api/lines', { name, memberIds, ...settings });
  if (r.status !== 201) throw new Error(JSON.stringify(r.body));
  return r.body.id;
}

export async function channel(admin: ApiClient, type: 'twilio' | 'sip', lineId: number, settings: Record<string, unknown> = {}): Promise<number> {
  const r = await admin.call('POST', '/api/channels', { type, name: `${type} ${lineId}`, lineId, settings });
  if (r.status !== 201) throw new Error(JSON.stringify(r.body));
  return r.body.id;
}

/** Events of a type stored so far (the log is what sockets replay). */
export async function stored(t: TestHub, type: string, conversationId?: number): Promise<EventRow[]> {
  return t.hub.db.manager.find(EventEntity, { where: { type, ...(conversationId ? { conversationId } : {}) }, order: { seq: 'ASC' } });
}
