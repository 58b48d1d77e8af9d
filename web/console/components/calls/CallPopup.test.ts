// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18n } from '../../i18n';
import { useCallsStore } from '../../stores/calls';
import { useSessionStore } from '../../stores/session';
import { fakeFetch } from '../../testing/fake-fetch';
import { FakePhone } from '../../testing/fake-phone';
import { incomingCall, twilioPhone, user } from '../../testing/fixtures';
import { testRouter } from '../../testing/router';
import CallPopup from './CallPopup.vue';

vi.mock('../../phones/create-phone', async () => (await import('../../testing/fake-phone')).fakeCreatePhone());

async function setup() {
  const pinia = createPinia();
  setActivePinia(pinia);
  useSessionStore().user = user({ id: 7 });
  FakePhone.made = [];
  fakeFetch({ 'GET /api/calls/phones': () => ({ body: { items: [twilioPhone()] } }) });
  const calls = useCallsStore();
  await calls.start();
  const router = testRouter();
  await router.push('/inbox/queue');
  const wrapper = mount(CallPopup, { attachTo: document.body, global: { plugins: [pinia, i18n, router] } });
  return { calls, wrapper, phone: FakePhone.made[0] as FakePhone };
}

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.innerHTML = '';
});
beforeEach(() => i18n.global.locale.value = 'en');

describe('CallPopup', () => {
  it('shows the caller’s CRM card with a link to the dialog before anyone answers', async () => {
    const { calls, wrapper } = await setup();
    expect(wrapper.find('[data-test=call-popup]').exists()).toBe(false);
    calls.ringing(incomingCall({ callId: 'CA1', conversationId: 5 }), true);
    await flushPromises();
    const popup = wrapper.get('[data-test=call-popup]');
    expect(popup.attributes('role')).toBe('alertdialog');
    expect(wrapper.get('[data-test=call-popup-name]').text()).toBe('Anna Petrova');
    expect(wrapper.get('[data-test=call-popup-number]').text()).toBe('+4930123456');
    expect(popup.text()).toContain('anna@example.com');
    expect(wrapper.get('[data-test=call-popup-lead]').text()).toBe('Solar panels for the roof · In progress');
    expect(wrapper.get('[data-test=call-open-dialog]').attributes('href')).toBe('/inbox/queue/5');
    // No phone of mine rings for it yet: nothing to answer, Decline just hides.
    expect(wrapper.get('[data-test=call-answer]').attributes('disabled')).toBeDefined();
    expect(wrapper.get('[data-test=call-decline]').text()).toBe('Hide');
  });

  it('answers and declines through the phone; focus lands on Answer', async () => {
    const { calls, wrapper, phone } = await setup();
    calls.ringing(incomingCall({ callId: 'CA1' }), true);
    const first = phone.ring('CA1');
    await flushPromises();
    expect(document.activeElement?.getAttribute('data-test')).toBe('call-answer');
    await wrapper.get('[data-test=call-answer]').trigger('click');
    expect(first.answer).toHaveBeenCalled();
    expect(wrapper.find('[data-test=call-popup]').exists()).toBe(false);

    const second = phone.ring('CA2', '+4930555000');
    await flushPromises();
    expect(wrapper.get('[data-test=call-popup-name]').text()).toBe('Unknown caller');
    await wrapper.get('[data-test=call-decline]').trigger('click');
    expect(second.decline).toHaveBeenCalled();
    expect(wrapper.find('[data-test=call-popup]').exists()).toBe(false);
  });

  it('answers on Enter and only hides on Esc', async () => {
    const { calls, wrapper, phone } = await setup();
    const call = phone.ring('CA1');
    await flushPromises();
    await wrapper.get('[data-test=call-popup]').trigger('keydown', { key: 'Escape' });
    expect(call.decline).not.toHaveBeenCalled();
    expect(wrapper.find('[data-test=call-popup]').exists()).toBe(false);
    expect(calls.hiddenRinging).toHaveLength(1);
    calls.setHidden('CA1', false);
    await flushPromises();
    await wrapper.get('[data-test=call-popup]').trigger('keydown', { key: 'Enter' });
    expect(call.answer).toHaveBeenCalled();
  });
});
