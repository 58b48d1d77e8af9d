import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSoftphone } from '../phones/create-phone';
import { fakeFetch, query, type Call } from '../testing/fake-fetch';
import { FakePhone } from '../testing/fake-phone';
import { callDetails, incomingCall, msg, sipPhone, twilioPhone, user } from '../testing/fixtures';
import { UNANSWERABLE_RING_MS, useCallsStore } from './calls';
import { useSessionStore } from './session';

vi.mock('../phones/create-phone', async () => (await import('../testing/fake-phone')).fakeCreatePhone());

const logged = (over: { messageId?: number; conversationId?: number } = {}, card = true) => ({
  messageId: 60,
  conversationId: 6,
  incoming: card ? incomingCall({ messageId: 60, conversationId: 6, channelId: 4, channelType: 'sip', callId: 'sip-1', operatorIds: [7] }) : null,
  ...over,
});
const reports = (calls: Call[]) => calls.filter((c) => c.url === '/api/calls/sip').map((c) => c.body as Record<string, unknown>);

async function started(phones = [twilioPhone(), sipPhone()], routes: Parameters<typeof fakeFetch>[0] = {}) {
  const net = fakeFetch({ 'GET /api/calls/phones': () => ({ body: { items: phones } }), 'POST /api/calls/sip': () => ({ body: logged() }), ...routes });
  const store = useCallsStore();
  await store.start();
  const phone = (kind: 'twilio' | 'sip') => FakePhone.made.find((p) => p.kind === kind) as FakePhone;
  return { store, net, phone };
}

beforeEach(() => {
  setActivePinia(createPinia());
  useSessionStore().user = user({ id: 7 });
  FakePhone.made = [];
  vi.mocked(createSoftphone).mockClear();
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('calls store: phones', () => {
  it('starts one softphone per phone and shows the worst status', async () => {
    const { store, phone } = await started();
    expect(FakePhone.made.map((p) => `${p.kind}:${p.channelId}`)).toEqual(['twilio:3', 'sip:4']);
    expect(store.status).toBe('ready');
    phone('sip').status('error', 'Registration failed: 403 Forbidden');
    expect(store.status).toBe('error');
    expect(store.phones.find((p) => p.kind === 'sip')?.reason).toBe('Registration failed: 403 Forbidden');
    store.stop();
    expect(phone('twilio').stop).toHaveBeenCalled();
    expect(store.hasPhone).toBe(false);
  });

  it('loads no phone code at all for an operator without phones', async () => {
    const { store } = await started([]);
    expect(createSoftphone).not.toHaveBeenCalled();
    expect(store.status).toBeNull();
  });
});

describe('calls store: the popup', () => {
  it('shows a call ringing for everyone or for me, not one meant for a colleague', async () => {
    const { store } = await started();
    store.ringing(incomingCall({ callId: 'CA-other', operatorIds: [8] }), true);
    expect(store.popup).toBeNull();
    store.ringing(incomingCall({ callId: 'CA-me', operatorIds: [8, 7] }), true);
    expect(store.popup?.key).toBe('CA-me');
    expect(store.popup?.incoming?.contact.name).toBe('Anna Petrova');
    expect(store.popup?.hasPhone).toBe(false);
  });

  it('ignores ringing replayed after a reconnect once it is older than 60 s', async () => {
    const { store } = await started();
    store.ringing(incomingCall({ callId: 'CA-old', at: new Date(Date.now() - 90_000).toISOString() }), false);
    expect(store.popup).toBeNull();
    store.ringing(incomingCall({ callId: 'CA-recent', at: new Date(Date.now() - 10_000).toISOString() }), false);
    expect(store.popup?.key).toBe('CA-recent');
  });

  it('matches the Twilio phone ringing to the pushed card by callId and answers it; the hub gets no reports', async () => {
    const { store, net, phone } = await started();
    store.ringing(incomingCall({ callId: 'CA1' }), true);
    const call = phone('twilio').ring('CA1');
    expect(store.calls).toHaveLength(1);
    expect(store.popup).toMatchObject({ key: 'CA1', hasPhone: true, canHold: false, canTransfer: false, conversationId: 5 });
    store.answer();
    expect(call.answer).toHaveBeenCalled();
    expect(store.popup).toBeNull();
    call.accepted();
    expect(store.active).toMatchObject({ key: 'CA1', stage: 'active' });
    // My own answer coming back from the hub does not close my call.
    store.messageUpdated(msg({ id: 50, kind: 'call', call: callDetails({ outcome: 'in_progress', answeredBy: 7 }) }));
    expect(store.active?.key).toBe('CA1');
    call.ended(true);
    expect(store.active).toBeNull();
    expect(reports(net.calls)).toEqual([]);
  });

  it('looks the caller up when the Twilio phone rings before the card arrives', async () => {
    const lookup = { e164: '+4930123456', contact: null, lead: null };
    const { store, net, phone } = await started([twilioPhone()], { 'GET /api/calls/lookup': () => ({ body: lookup }) });
    phone('twilio').ring('CA9', '+4930123456');
    await vi.waitFor(() => expect(store.popup?.lookup).toEqual(lookup));
    expect(query(net.calls.at(-1)?.url ?? '')).toEqual({ number: '+4930123456' });
  });

  it('hides when the call is answered elsewhere (message.updated), and Esc only hides it', async () => {
    const { store } = await started();
    store.ringing(incomingCall({ callId: 'CA1', messageId: 50 }), true);
    store.setHidden('CA1', true);
    expect(store.popup).toBeNull();
    expect(store.hiddenRinging.map((c) => c.key)).toEqual(['CA1']);
    store.setHidden('CA1', false);
    store.messageUpdated(msg({ id: 51, kind: 'call', call: callDetails({ outcome: 'answered' }) }));
    expect(store.popup?.key).toBe('CA1');
    store.messageUpdated(msg({ id: 50, kind: 'call', call: callDetails({ outcome: 'ringing' }) }));
    expect(store.popup?.key).toBe('CA1');
    store.messageUpdated(msg({ id: 50, kind: 'call', call: callDetails({ outcome: 'answered', answeredBy: 8 }) }));
    expect(store.popup).toBeNull();
    expect(store.calls).toEqual([]);
  });

  it('declines on the phone, and a late push of that call does not bring the popup back', async () => {
    const { store, phone } = await started();
    const call = phone('twilio').ring('CA2');
    store.decline();
    expect(call.decline).toHaveBeenCalled();
    expect(store.popup).toBeNull();
    store.ringing(incomingCall({ callId: 'CA2' }), true);
    expect(store.popup).toBeNull();
  });

  it('drops a popup no phone of mine rings for when no update ever comes', async () => {
    vi.useFakeTimers();
    const { store } = await started([]);
    store.ringing(incomingCall({ callId: 'CA3' }), true);
    vi.advanceTimersByTime(UNANSWERABLE_RING_MS);
    expect(store.popup).toBeNull();
  });
});

describe('calls store: SIP reports', () => {
  it('reports ringing, answered and ended in order, and shows the card from the ringing answer', async () => {
    const { store, net, phone } = await started();
    const call = phone('sip').ring('sip-1', '1002');
    await vi.waitFor(() => expect(store.popup?.incoming?.messageId).toBe(60));
    expect(store.popup).toMatchObject({ conversationId: 6, canTransfer: true });
    store.answer();
    call.accepted();
    store.mute(true);
    expect(call.mute).toHaveBeenCalledWith(true);
    store.hold(true);
    expect(call.hold).toHaveBeenCalledWith(true);
    store.transfer(' 1005 ');
    expect(call.transfer).toHaveBeenCalledWith('1005');
    call.ended(true);
    await vi.waitFor(() => expect(reports(net.calls)).toHaveLength(3));
    expect(reports(net.calls)).toEqual([
      { channelId: 4, callId: 'sip-1', direction: 'in', remote: '1002', event: 'ringing' },
      { channelId: 4, callId: 'sip-1', direction: 'in', remote: '1002', event: 'answered' },
      { channelId: 4, callId: 'sip-1', direction: 'in', remote: '1002', event: 'ended' },
    ]);
  });

  it('reports a call the caller gave up on as ended/cancelled and closes the popup', async () => {
    const { store, net, phone } = await started();
    const call = phone('sip').ring('sip-1', '1002');
    call.ended(false, 'cancelled');
    expect(store.popup).toBeNull();
    await vi.waitFor(() => expect(reports(net.calls).map((r) => [r.event, r.reason])).toEqual([['ringing', undefined], ['ended', 'cancelled']]));
  });

  it('reports an outgoing SIP call with direction out', async () => {
    const { store, net, phone } = await started(undefined, {
      'POST /api/calls/dial': () => ({ body: { channelId: 4, kind: 'sip', to: '+4930123456' } }),
      'POST /api/calls/sip': () => ({ body: logged({}, false) }),
    });
    expect(await store.dial(1, { name: 'Anna Petrova' })).toBe(true);
    const call = phone('sip').placed[0];
    expect(phone('sip').call).toHaveBeenCalledWith('+4930123456');
    expect(store.active).toMatchObject({ direction: 'out', stage: 'connecting', name: 'Anna Petrova' });
    call?.accepted();
    call?.ended(true);
    await vi.waitFor(() => expect(reports(net.calls).map((r) => `${r.direction}:${r.event}`)).toEqual(['out:ringing', 'out:answered', 'out:ended']));
    expect(store.active).toBeNull();
  });
});

describe('calls store: click-to-call', () => {
  it('keeps the server’s refusal as text', async () => {
    const { store } = await started(undefined, {
      'POST /api/calls/dial': () => ({ status: 404, body: { error: { code: 'not_found', message: 'This contact has no phone number.' } } }),
    });
    expect(await store.dial(1)).toBe(false);
    expect(store.dialError).toBe('This contact has no phone number.');
    expect(store.dialing).toBe(false);
  });

  it('says so when no phone of mine serves that channel, or it is not ready', async () => {
    const { store, phone } = await started([twilioPhone()], { 'POST /api/calls/dial': () => ({ body: { channelId: 9, kind: 'sip', to: '1002' } }) });
    expect(await store.dial(1)).toBe(false);
    expect(store.dialError).toBe('None of your phones can call this client.');
    fakeFetch({ 'POST /api/calls/dial': () => ({ body: { channelId: 3, kind: 'twilio', to: '+4930123456' } }) });
    phone('twilio').status('error', 'Token expired');
    expect(await store.dial(1)).toBe(false);
    expect(store.dialError).toBe('Your phone is not ready: Token expired');
    expect(phone('twilio').call).not.toHaveBeenCalled();
  });

  it('does not dial during a call', async () => {
    const { store, net, phone } = await started();
    phone('twilio').ring('CA1').accepted();
    expect(store.busy).toBe(true);
    expect(await store.dial(1)).toBe(false);
    expect(net.calls.some((c) => c.url === '/api/calls/dial')).toBe(false);
  });
});
