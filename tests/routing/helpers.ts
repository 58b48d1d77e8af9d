import type { LineSettings } from '../../shared/routing.js';
import { ConversationEntity } from '../../server/conversations/conversation.entity.js';
import { login, type ApiClient } from '../helpers/clients.js';
import type { TestHub } from '../helpers/hub.js';

/** A clock the test moves by hand: routing, working hours and timers all read it. */
export function manualClock(startIso = '2026-11-23T10:00:00Z') {
  let now = Date.parse(startIso);
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

export interface Team {
  lineId: number;
  channelId: number;
  operators: Array<{ id: number; api: ApiClient }>;
}

/** A line with its own site chat and `n` operators in queue order, all online. */
export async function team(t: TestHub, admin: ApiClient, name: string, n: number, settings: Partial<{ [K in keyof LineSettings]: Partial<LineSettings[K]> }>, capacity = 0): Promise<Team> {
  const operators: Team['operators'] = [];
  for (let i = 1; i <= n; i++) {
    const email = `${name.toLowerCase().replace(/\W/g, '')}-${i}@test.local`;
    const u = await admin.call('POST', '/api/users', { email, name: `${name} ${i}`, password: 'operator-pass-1', maxOpenDialogs: capacity });
    const api = await login(t.url, email, 'operator-pass-1');
    await api.call('PUT', '/api/me/presence', { presence: 'online' });
    operators.push({ id: u.body.id, api });
  }
  const line = await admin.call('POST', '/api/lines', { name, memberIds: operators.map((o) => o.id), ...settings });
  if (line.status !== 201) throw new Error(JSON.stringify(line.body));
  const channel = await admin.call('POST', '/api/channels', { type: 'webchat', name: `${name} chat`, lineId: line.body.id });
  await settle(t);
  return { lineId: line.body.id, channelId: channel.body.id, operators };
}

/** Waits until every event published so far has been routed. */
export async function settle(t: TestHub): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, 5));
    await t.hub.routing.idle();
  }
}

export const write = (t: TestHub, channelId: number, visitor: string, text = 'hello') =>
  t.hub.ingest.ingest({ channelId, externalId: `${visitor}-${Math.random()}`, sender: { externalId: visitor }, text });

export async function assignees(t: TestHub, lineId: number): Promise<Map<number | null, number>> {
  const counts = new Map<number | null, number>();
  for (const c of await t.hub.db.manager.find(ConversationEntity, { where: { lineId } })) counts.set(c.assigneeId, (counts.get(c.assigneeId) ?? 0) + 1);
  return counts;
}
