import { MessageEntity, type Message } from '../../server/conversations/message.entity.js';
import { ContactEntity } from '../../server/contacts/contact.entity.js';
import { ConversationEntity } from '../../server/conversations/conversation.entity.js';
import type { ApiClient } from '../helpers/clients.js';
import { eventually } from '../helpers/clients.js';
import type { TestHub } from '../helpers/hub.js';

/** Creates a channel as admin and returns its id; fails the test with the server's message otherwise. */
export async function createChannel(admin: ApiClient, type: string, name: string, settings: Record<string, unknown>): Promise<number> {
  const r = await admin.call('POST', '/api/channels', { type, name, lineId: 1, settings });
  if (r.status !== 201) throw new Error(`channel not created: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.id as number;
}

export async function channelDto(admin: ApiClient, id: number): Promise<{ status: string; statusReason: string | null; capabilities: Record<string, unknown> }> {
  const r = await admin.call('GET', '/api/channels');
  return r.body.items.find((c: { id: number }) => c.id === id);
}

/** Waits until the channel reports this status (and, when given, a reason matching `reason`). */
export function channelReaches(admin: ApiClient, id: number, status: string, reason?: RegExp, timeoutMs = 15_000) {
  return eventually(async () => {
    const c = await channelDto(admin, id);
    return c?.status === status && (!reason || reason.test(c.statusReason ?? '')) ? c : false;
  }, `channel ${id} ${status} ${reason ?? ''}`, timeoutMs);
}

export function messagesOf(t: TestHub, channelId: number): Promise<Message[]> {
  return t.hub.db.manager.find(MessageEntity, { where: { channelId }, order: { id: 'ASC' } });
}

export async function inboundBy(t: TestHub, channelId: number, externalId: string): Promise<Message[]> {
  return t.hub.db.manager.find(MessageEntity, { where: { channelId, externalId, direction: 'in' } });
}

export async function contactOf(t: TestHub, conversationId: number) {
  const conv = await t.hub.db.manager.findOneByOrFail(ConversationEntity, { id: conversationId });
  return t.hub.db.manager.findOneByOrFail(ContactEntity, { id: conv.contactId });
}

/** The outbound message's delivery as operators see it. */
export async function delivery(admin: ApiClient, conversationId: number, messageId: number): Promise<{ deliveryStatus: string; deliveryError: string | null } | undefined> {
  const page = await admin.call('GET', `/api/conversations/${conversationId}/messages`);
  return page.body.items.find((m: { id: number }) => m.id === messageId);
}

/** Uploads a file as the operator would before attaching it to a reply. */
export async function upload(url: string, admin: ApiClient, fileName: string, mimeType: string, data: Buffer): Promise<number> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(data)], { type: mimeType }), fileName);
  const r = await fetch(`${url}/api/uploads`, { method: 'POST', headers: { cookie: admin.cookie, 'x-csrf-token': admin.session.csrfToken }, body: form });
  if (r.status !== 201) throw new Error(`upload failed: ${r.status} ${await r.text()}`);
  return ((await r.json()) as { id: number }).id;
}
