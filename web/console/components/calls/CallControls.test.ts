// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { i18n } from '../../i18n';
import { useCallsStore } from '../../stores/calls';
import { useSessionStore } from '../../stores/session';
import { fakeFetch } from '../../testing/fake-fetch';
import { FakePhone } from '../../testing/fake-phone';
import { incomingCall, sipPhone, twilioPhone, user } from '../../testing/fixtures';
import { testRouter } from '../../testing/router';
import CallControls from './CallControls.vue';
import CallPhoneStatus from './CallPhoneStatus.vue';

vi.mock('../../phones/create-phone', async () => (await import('../../testing/fake-phone')).fakeCreatePhone());

async function setup(phones = [twilioPhone(), sipPhone()]) {
  const pinia = createPinia();
  setActivePinia(pinia);
  useSessionStore().user = user({ id: 7 });
  FakePhone.made = [];
  fakeFetch({
    'GET /api/calls/phones': () => ({ body: { items: phones } }),
    'POST /api/calls/sip': () => ({ body: { messageId: 60, conversationId: 6, incoming: incomingCall({ callId: 'sip-1', channelId: 4, channelType: 'sip' }) } }),
  });
  const calls = useCallsStore();
  await calls.start();
  const global = { plugins: [pinia, i18n, testRouter()] };
  return { calls, global, phone: (kind: string) => FakePhone.made.find((p) => p.kind === kind) as FakePhone };
}

afterEach(() => vi.unstubAllGlobals());

describe('CallControls', () => {
  it('drives a SIP call: timer, mute, hold, blind transfer, hang up', async () => {
    const { calls, global, phone } = await setup();
    const w = mount(CallControls, { global });
    expect(w.find('[data-test=call-controls]').exists()).toBe(false);
    const call = phone('sip').ring('sip-1', '1002');
    calls.answer('sip-1');
    await flushPromises();
    expect(w.get('[data-test=call-controls]').attributes('data-stage')).toBe('connecting');
    expect(w.get('[data-test=call-timer]').text()).toBe('Connecting…');
    call.accepted();
    await flushPromises();
    expect(w.get('[data-test=call-timer]').text()).toBe('0:00');
    expect(w.text()).toContain('Anna Petrova');
    await w.get('[data-test=call-mute]').trigger('click');
    expect(call.mute).toHaveBeenCalledWith(true);
    expect(w.get('[data-test=call-mute]').attributes('aria-pressed')).toBe('true');
    await w.get('[data-test=call-hold]').trigger('click');
    expect(call.hold).toHaveBeenCalledWith(true);
    expect(w.get('[data-test=call-timer]').text()).toBe('On hold');
    await w.get('[data-test=call-transfer]').trigger('click');
    await w.get('[data-test=call-transfer-target]').setValue('1005');
    await w.get('form').trigger('submit');
    expect(call.transfer).toHaveBeenCalledWith('1005');
    await w.get('[data-test=call-hangup]').trigger('click');
    expect(call.hangup).toHaveBeenCalled();
    call.ended(true);
    await flushPromises();
    expect(w.find('[data-test=call-controls]').exists()).toBe(false);
  });

  it('offers neither hold nor transfer on a Twilio call', async () => {
    const { calls, global, phone } = await setup([twilioPhone()]);
    const w = mount(CallControls, { global });
    phone('twilio').ring('CA1').accepted();
    calls.answer('CA1');
    await flushPromises();
    expect(w.find('[data-test=call-mute]').exists()).toBe(true);
    expect(w.find('[data-test=call-hold]').exists()).toBe(false);
    expect(w.find('[data-test=call-transfer]').exists()).toBe(false);
  });
});

describe('CallPhoneStatus', () => {
  it('shows the phone state with the reason of an error, and nothing without phones', async () => {
    const { global, phone } = await setup();
    const w = mount(CallPhoneStatus, { global });
    expect(w.get('[data-test=phone-status]').attributes('data-status')).toBe('ready');
    phone('sip').status('error', 'Registration failed: 403 Forbidden');
    await flushPromises();
    expect(w.get('[data-test=phone-status]').attributes('data-status')).toBe('error');
    expect(w.get('[data-test=phone-status]').text()).toContain('Registration failed: 403 Forbidden');
    const none = await setup([]);
    expect(mount(CallPhoneStatus, { global: none.global }).find('[data-test=phone-status]').exists()).toBe(false);
  });
});
