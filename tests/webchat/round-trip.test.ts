import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, login, operatorSocket, visitor, visitorSession, type ApiClient } from '../helpers/clients.js';
import { startHub, type TestHub } from '../helpers/hub.js';
import { postgresAvailable } from '../helpers/postgres.js';

const databases = ['sqlite', ...((await postgresAvailable()) ? ['postgres' as const] : [])] as const;

describe.each(databases)('site chat round trip over real sockets (%s)', (database) => {
  let t: TestHub;
  let admin: ApiClient;
  beforeAll(async () => {
    t = await startHub({ database });
    admin = await login(t.url, t.admin.email, t.admin.password);
  });
  afterAll(() => t.stop());

  it('visitor message reaches the operator live with a lead; the reply reaches the visitor live', async () => {
    const op = await operatorSocket(t.url, admin.cookie);
    const v = await visitor(t.url, t.demoWidgetKey, { name: 'Alice Buyer', email: 'alice@example.com' });

    const sent = await v.send('Hello, do you ship to Norway?');
    expect(sent.ok).toBe(true);
    const created = await eventually(() => op.events.find((e) => e.type === 'message.created'), 'message.created');
    if (created.type !== 'message.created') throw new Error('unreachable');
    expect(created.payload.message.text).toBe('Hello, do you ship to Norway?');
    expect(created.payload.conversation.contactName).toBe('Alice Buyer');
    const lead = await eventually(() => op.events.find((e) => e.type === 'lead.created'), 'lead.created');
    if (lead.type !== 'lead.created') throw new Error('unreachable');
    expect(lead.payload.lead).toMatchObject({ status: 'new', source: 'Website' });

    const convId = created.payload.conversation.id;
    const reply = await admin.call('POST', `/api/conversations/${convId}/messages`, { text: 'Yes, in 3 days.' });
    expect(reply.status).toBe(201);
    expect(reply.body.deliveryStatus).toBe('pending');
    const got = await eventually(() => v.received.find((m) => m.text === 'Yes, in 3 days.'), 'reply at visitor');
    expect(got).toMatchObject({ direction: 'out', authorName: 'Administrator' });
    const sentEvent = await eventually(() => op.events.find((e) => e.type === 'message.updated' && e.payload.message.deliveryStatus === 'sent'), 'sent');
    expect(sentEvent.seq).toBeGreaterThan(created.seq);

    const conv = await admin.call('GET', `/api/conversations/${convId}`);
    expect(conv.body).toMatchObject({ status: 'waiting', assigneeId: admin.session.user.id });
    const contact = await admin.call('GET', `/api/contacts/${conv.body.contactId}`);
    expect(contact.body).toMatchObject({ name: 'Alice Buyer', email: 'alice@example.com' });
    op.socket.close();
    v.socket.close();
  });

  it('a returning visitor continues the same conversation and gets the history', async () => {
    const first = await visitor(t.url, t.demoWidgetKey);
    expect((await first.send('first visit')).ok).toBe(true);
    first.socket.close();
    const again = await visitorSession(t.url, t.demoWidgetKey, { token: first.token });
    expect(again.body.visitorId).toBe(first.visitorId);
    const forged = await visitorSession(t.url, t.demoWidgetKey, { token: `${first.token.split('.')[0]}.forged` });
    expect(forged.status).toBe(401);
    const back = await visitor(t.url, t.demoWidgetKey, { token: first.token });
    const hist = await back.history(0);
    if (!hist.ok) throw new Error(hist.error.message);
    expect(hist.messages.map((m) => m.text)).toEqual(['first visit']);
    // The visitor's own clientId comes back, so a widget can match a message whose ack was lost.
    expect(hist.messages[0]!.clientId).toMatch(/^c\d+/);
    expect((await back.send('second visit')).ok).toBe(true);
    const convs = await admin.call('GET', '/api/conversations?scope=all&q=visit');
    expect(convs.body.items).toHaveLength(1);
    back.socket.close();
  });

  it('the operator typing indicator reaches the visitor only in reply mode', async () => {
    const v = await visitor(t.url, t.demoWidgetKey);
    const typing: boolean[] = [];
    v.socket.on('typing', (e) => typing.push(e.typing));
    await v.send('hi');
    const page = await admin.call('GET', '/api/conversations?scope=queue');
    const conv = page.body.items.find((c: { lastMessagePreview: string }) => c.lastMessagePreview === 'hi');
    const op = await operatorSocket(t.url, admin.cookie);
    await new Promise((r) => op.socket.emit('typing', { conversationId: conv.id, typing: true, mode: 'note' }, r));
    await new Promise((r) => op.socket.emit('typing', { conversationId: conv.id, typing: true, mode: 'reply' }, r));
    await eventually(() => typing.length > 0, 'typing');
    await new Promise((r) => setTimeout(r, 100));
    expect(typing).toEqual([true]);
    op.socket.close();
    v.socket.close();
  });

  it('attachments: uploaded within limits, refused over the size limit or of a type not allowed', async () => {
    const v = await visitor(t.url, t.demoWidgetKey);
    const upload = (data: Blob, name: string, token = v.token) => {
      const form = new FormData();
      form.append('file', data, name);
      return fetch(`${t.url}/api/widget/${t.demoWidgetKey}/uploads`, { method: 'POST', body: form, headers: { authorization: `Bearer ${token}` } });
    };
    const ok = await upload(new Blob(['hello file'], { type: 'text/plain' }), 'note.txt');
    expect(ok.status).toBe(201);
    const { attachment } = (await ok.json()) as { attachment: { id: number; url: string } };
    const big = await upload(new Blob([new Uint8Array(6 * 1024 * 1024)], { type: 'image/png' }), 'big.png');
    expect(big.status).toBe(413);
    expect((await big.json()).error.code).toBe('payload_too_large');
    const exe = await upload(new Blob(['MZ'], { type: 'application/x-msdownload' }), 'x.exe');
    expect(exe.status).toBe(415);
    await admin.call('PATCH', `/api/channels/${t.demoChannelId}`, { settings: { attachments: { enabled: true, maxBytes: 5 * 1024 * 1024, allowedTypes: ['image/*', 'text/plain'] } } });
    expect((await upload(new Blob(['GIF89a'], { type: 'image/avif' }), 'a.avif')).status).toBe(201);
    expect((await upload(new Blob(['%PDF'], { type: 'application/pdf' }), 'a.pdf')).status).toBe(415);
    const noToken = await upload(new Blob(['x'], { type: 'text/plain' }), 'a.txt', 'forged.token');
    expect(noToken.status).toBe(401);

    const sent = await v.send('see attached', undefined, [attachment.id]);
    if (!sent.ok) throw new Error(sent.error.message);
    expect(sent.message.attachments).toHaveLength(1);
    const download = await fetch(sent.message.attachments[0]!.url);
    expect(await download.text()).toBe('hello file');
    // The same upload cannot be attached twice, nor by another visitor.
    const other = await visitor(t.url, t.demoWidgetKey);
    const stolen = await other.send('mine now', undefined, [attachment.id]);
    expect(stolen.ok).toBe(false);
    v.socket.close();
    other.socket.close();
  });

  it('a site not on the allow-list cannot open the widget', async () => {
    const denied = await visitorSession(t.url, t.demoWidgetKey, {}, 'https://evil.example');
    expect(denied.status).toBe(403);
    const channel = await admin.call('PATCH', `/api/channels/${t.demoChannelId}`, { settings: { allowedOrigins: ['https://shop.example'] } });
    expect(channel.status).toBe(200);
    const allowed = await visitorSession(t.url, t.demoWidgetKey, {}, 'https://shop.example');
    expect(allowed.status).toBe(200);
    const config = await fetch(`${t.url}/api/widget/${t.demoWidgetKey}/config`, { headers: { origin: 'https://shop.example' } });
    expect(config.headers.get('access-control-allow-origin')).toBe('https://shop.example');
  });

  it('visitors see the chat go online and offline as operators change presence', async () => {
    // An operator without sockets: no presence-grace timer of an earlier test can interfere.
    const u = await admin.call('POST', '/api/users', { email: 'olga@test.local', name: 'Olga', password: 'operator-pass-1' });
    await admin.call('PATCH', '/api/lines/1', { memberIds: [u.body.id] });
    const olga = await login(t.url, 'olga@test.local', 'operator-pass-1');
    const v = await visitor(t.url, t.demoWidgetKey);
    const seen: boolean[] = [];
    v.socket.on('status', (s) => seen.push(s.online));
    await olga.call('PUT', '/api/me/presence', { presence: 'online' });
    await eventually(() => seen.includes(true), 'online');
    const config = await (await fetch(`${t.url}/api/widget/${t.demoWidgetKey}/config`)).json();
    expect(config.online).toBe(true);
    await olga.call('PUT', '/api/me/presence', { presence: 'away' });
    await eventually(() => seen.at(-1) === false, 'offline');
    v.socket.close();
  });

  it('an e-mail left in the offline form reaches the contact at once', async () => {
    const v = await visitor(t.url, t.demoWidgetKey);
    const sent = await v.send('anyone there?');
    if (!sent.ok) throw new Error(sent.error.message);
    const r = await visitorSession(t.url, t.demoWidgetKey, { token: v.token, email: 'late@example.com' });
    expect(r.body.visitorId).toBe(v.visitorId);
    const conv = (await admin.call('GET', '/api/conversations?scope=all&q=anyone%20there')).body.items[0];
    await eventually(async () => (await admin.call('GET', `/api/contacts/${conv.contactId}`)).body.email === 'late@example.com', 'contact e-mail');
    v.socket.close();
  });

  it('a site chat cannot mail a transcript: the operator is told so', async () => {
    const page = await admin.call('GET', '/api/conversations?scope=all');
    const r = await admin.call('POST', `/api/conversations/${page.body.items[0].id}/transcript`);
    expect(r.status).toBe(409);
    expect(r.body.error.message).toBe('This channel cannot send a transcript');
  });

  it('the widget bundle and the demo page are served', async () => {
    const demo = await fetch(`${t.url}/demo`);
    expect(demo.status).toBe(200);
    const html = await demo.text();
    expect(html).toContain(`data-key="${t.demoWidgetKey}"`);
    expect(html).not.toContain('__OMNILINE_WIDGET_KEY__');
  });
});
