import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import { OPERATOR_NAMESPACE } from '../../shared/operator-socket.js';
import { eventually, login, operatorSocket, sync, visitor, type ApiClient } from '../helpers/clients.js';
import { startHub, type TestHub } from '../helpers/hub.js';
import { team, type Team } from '../routing/helpers.js';

/**
 * An operator of one line asks for another line's objects by id. The answer is the one an id that
 * does not exist gets (404), so ids cannot be probed; nothing changes.
 */
describe("another line's objects by id", () => {
  let t: TestHub;
  let admin: ApiClient;
  let sales: Team;
  let support: Team;
  let outsider: ApiClient;
  const ids = { conversation: 0, message: 0, contact: 0, lead: 0, attachment: 0 };

  beforeAll(async () => {
    t = await startHub();
    admin = await login(t.url, t.admin.email, t.admin.password);
    sales = await team(t, admin, 'Sales', 1, {});
    support = await team(t, admin, 'Support', 1, {});
    outsider = support.operators[0]!.api;
    const key = (await admin.call('GET', '/api/channels')).body.items.find((c: { id: number }) => c.id === sales.channelId).publicKey;
    const v = await visitor(t.url, key, { name: 'Secret Client' });
    const form = new FormData();
    form.append('file', new Blob(['contract draft'], { type: 'text/plain' }), 'contract.txt');
    const up = await fetch(`${t.url}/api/widget/${key}/uploads`, { method: 'POST', body: form, headers: { authorization: `Bearer ${v.token}` } });
    const { attachment } = (await up.json()) as { attachment: { id: number } };
    const sent = await v.send('our contract', undefined, [attachment.id]);
    if (!sent.ok) throw new Error(sent.error.message);
    v.socket.close();
    const seller = sales.operators[0]!.api;
    await eventually(async () => (await seller.call('GET', '/api/conversations?scope=all')).body.items.length === 1, 'sales sees the dialog');
    const conv = (await seller.call('GET', '/api/conversations?scope=all')).body.items[0];
    const reply = await seller.call('POST', `/api/conversations/${conv.id}/messages`, { text: 'sent you the terms' });
    const leads = await seller.call('GET', `/api/leads?contactId=${conv.contactId}`);
    Object.assign(ids, { conversation: conv.id, message: reply.body.id, contact: conv.contactId, lead: leads.body.items[0].id, attachment: attachment.id });
  });
  afterAll(() => t.stop());

  it('answers 404 to every read and write, and changes nothing', async () => {
    const c = ids.conversation;
    const attempts: Array<[string, string, unknown?]> = [
      ['GET', `/api/conversations/${c}`],
      ['GET', `/api/conversations/${c}/messages`],
      ['GET', `/api/conversations/${c}/participants`],
      ['POST', `/api/conversations/${c}/messages`, { text: 'hijack' }],
      ['POST', `/api/conversations/${c}/notes`, { text: 'peek' }],
      ['POST', `/api/conversations/${c}/assign`, { assigneeId: support.operators[0]!.id }],
      ['POST', `/api/conversations/${c}/transfer`, { lineId: support.lineId }],
      ['POST', `/api/conversations/${c}/participants`, { userId: support.operators[0]!.id }],
      ['PUT', `/api/conversations/${c}/pin`, {}],
      ['POST', `/api/conversations/${c}/spam`, {}],
      ['POST', `/api/conversations/${c}/transcript`, {}],
      ['POST', `/api/conversations/${c}/skip`, {}],
      ['POST', `/api/conversations/${c}/close`, {}],
      ['POST', `/api/messages/${ids.message}/retry`, {}],
      ['GET', `/api/contacts/${ids.contact}`],
      ['PATCH', `/api/contacts/${ids.contact}`, { name: 'Renamed' }],
      ['GET', `/api/leads/${ids.lead}`],
      ['PATCH', `/api/leads/${ids.lead}`, { status: 'junk' }],
      ['GET', `/api/attachments/${ids.attachment}`],
    ];
    for (const [method, path, body] of attempts) {
      const res = await outsider.call(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    const seller = sales.operators[0]!.api;
    const conv = await seller.call('GET', `/api/conversations/${c}`);
    expect(conv.body).toMatchObject({ status: 'waiting', lineId: sales.lineId, contactName: 'Secret Client' });
    const messages = await seller.call('GET', `/api/conversations/${c}/messages`);
    expect(messages.body.items.map((m: { text: string }) => m.text)).not.toContain('hijack');
    expect((await seller.call('GET', `/api/leads/${ids.lead}`)).body.status).not.toBe('junk');
  });

  it('leaves them out of lists and searches', async () => {
    for (const path of ['/api/conversations?scope=all', '/api/conversations?q=contract', '/api/contacts?q=Secret', '/api/leads']) {
      const res = await outsider.call('GET', path);
      expect(res.status, path).toBe(200);
      expect(JSON.stringify(res.body), path).not.toContain('Secret Client');
    }
  });

  it('over the socket: no replayed or live events of the other line, typing refused, no session no socket', async () => {
    const { socket, events } = await operatorSocket(t.url, outsider.cookie);
    const replay = await sync(socket, 0);
    if (!replay.ok) throw new Error(replay.error.message);
    expect(JSON.stringify(replay.events)).not.toContain('Secret Client');
    const typing = await new Promise<{ ok: boolean; error?: { code: string } }>((resolve) => socket.emit('typing', { conversationId: ids.conversation, typing: true, mode: 'reply' }, resolve as never));
    expect(typing).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const seller = sales.operators[0]!.api;
    const { events: sellerEvents, socket: sellerSocket } = await operatorSocket(t.url, seller.cookie);
    await seller.call('POST', `/api/conversations/${ids.conversation}/messages`, { text: 'live secret terms' });
    await eventually(() => sellerEvents.some((e) => e.type === 'message.created'), 'the seller gets the live event');
    expect(JSON.stringify(events)).not.toContain('live secret terms');
    socket.close();
    sellerSocket.close();

    const anonymous = connect(`${t.url}${OPERATOR_NAMESPACE}`, { transports: ['websocket'], reconnection: false, forceNew: true });
    const refusal = await new Promise<Error>((resolve) => anonymous.once('connect_error', resolve));
    expect(refusal.message).toMatch(/sign in|unauth/i);
    anonymous.close();
  });
});
