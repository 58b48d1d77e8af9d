import { MessageEntity, type Message } from '../../../server/conversations/message.entity.js';
import { login, operatorSocket, type ApiClient, type OperatorSocket } from '../../helpers/clients.js';
import { startHub, type TestHub } from '../../helpers/hub.js';
import { channelReaches } from '../../messengers/helpers.js';
import { sid, startTwilioApi, type FakeTwilio, type FakeTwilioAccount } from './twilio-api.js';
import { twilioHooks, type PostHook } from './twilio-hooks.js';
import type { EventEnvelope } from '../../../shared/events.js';

export const ACCOUNT: FakeTwilioAccount = {
  accountSid: sid('AC'), authToken: sid('').slice(0, 32), apiKeySid: sid('SK'), apiKeySecret: 'api-key-secret-for-tests-0123', twimlAppSid: sid('AP'), phoneNumber: '+14155550100',
};

/** The channel's settings, pointed at the fake REST API. */
export const settingsFor = (fake: FakeTwilio, patch: Record<string, unknown> = {}) => ({
  accountSid: ACCOUNT.accountSid, authToken: ACCOUNT.authToken, apiKeySid: ACCOUNT.apiKeySid, apiKeySecret: ACCOUNT.apiKeySecret,
  twimlAppSid: ACCOUNT.twimlAppSid, phoneNumber: ACCOUNT.phoneNumber, apiBaseUrl: fake.url, ...patch,
});

export interface Operator {
  id: number;
  api: ApiClient;
  socket: OperatorSocket;
  events: EventEnvelope[];
}

export interface TwilioHub {
  t: TestHub;
  fake: FakeTwilio;
  admin: ApiClient;
  lineId: number;
  channelId: number;
  /** `<hub>/hooks/twilio/<channel id>` */
  hook: string;
  post: PostHook;
  operators: Operator[];
  /** Another operator, online but not a member of the channel's line. */
  outsider: Operator;
  stop(): Promise<void>;
}

/** An operator logged in over HTTP, online, with a live socket. */
export async function onlineOperator(t: TestHub, admin: ApiClient, email: string): Promise<Operator> {
  const u = await admin.call('POST', '/api/users', { email, name: email.split('@')[0], password: 'operator-pass-1' });
  if (u.status !== 201) throw new Error(`user not created: ${JSON.stringify(u.body)}`);
  const api = await login(t.url, email, 'operator-pass-1');
  await api.call('PUT', '/api/me/presence', { presence: 'online' });
  const { socket, events } = await operatorSocket(t.url, api.cookie);
  return { id: u.body.id, api, socket, events };
}

/** A hub with a Twilio channel on a line of two online operators ("to everyone" unless told), and the fake REST API. */
export async function startTwilioHub(routingMode = 'everyone'): Promise<TwilioHub> {
  const fake = await startTwilioApi(ACCOUNT);
  const t = await startHub();
  const admin = await login(t.url, t.admin.email, t.admin.password);
  const operators = [await onlineOperator(t, admin, 'ann@test.local'), await onlineOperator(t, admin, 'bob@test.local')];
  const outsider = await onlineOperator(t, admin, 'otto@test.local');
  const line = await admin.call('POST', '/api/lines', { name: 'Phones', memberIds: operators.map((o) => o.id), routing: { mode: routingMode } });
  if (line.status !== 201) throw new Error(`line not created: ${JSON.stringify(line.body)}`);
  const r = await admin.call('POST', '/api/channels', { type: 'twilio', name: 'Main number', lineId: line.body.id, settings: settingsFor(fake) });
  if (r.status !== 201) throw new Error(`channel not created: ${r.status} ${JSON.stringify(r.body)}`);
  await channelReaches(admin, r.body.id, 'connected', /Omni Bikes/);
  const hook = `${t.url}/hooks/twilio/${r.body.id}`;
  return {
    t, fake, admin, lineId: line.body.id, channelId: r.body.id, hook, post: twilioHooks(hook, ACCOUNT.authToken), operators, outsider,
    async stop() {
      for (const o of [...operators, outsider]) o.socket.disconnect();
      await t.stop();
      await fake.close();
    },
  };
}

export function messagesOf(h: TwilioHub): Promise<Message[]> {
  return h.t.hub.db.manager.find(MessageEntity, { where: { channelId: h.channelId }, order: { id: 'ASC' } });
}

export async function messageBy(h: TwilioHub, externalId: string): Promise<Message | null> {
  return h.t.hub.db.manager.findOneBy(MessageEntity, { channelId: h.channelId, externalId });
}

/** The message as the console gets it (`GET /api/conversations/:id/messages`). */
export async function messageDto(api: ApiClient, m: Pick<Message, 'id' | 'conversationId'>): Promise<Record<string, any> | undefined> {
  const page = await api.call('GET', `/api/conversations/${m.conversationId}/messages`);
  return page.body.items?.find((x: { id: number }) => x.id === m.id);
}
