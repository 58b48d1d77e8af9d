// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { i18n } from '../../i18n';
import { useCallsStore } from '../../stores/calls';
import { useSessionStore } from '../../stores/session';
import { fakeFetch, type Handler } from '../../testing/fake-fetch';
import { FakePhone } from '../../testing/fake-phone';
import { contact, twilioPhone, user } from '../../testing/fixtures';
import CallDialButton from './CallDialButton.vue';

vi.mock('../../phones/create-phone', async () => (await import('../../testing/fake-phone')).fakeCreatePhone());

async function setup(phones = [twilioPhone()], dial: Handler = () => ({ body: { channelId: 3, kind: 'twilio', to: '+4930123456' } })) {
  const pinia = createPinia();
  setActivePinia(pinia);
  useSessionStore().user = user({ id: 7 });
  FakePhone.made = [];
  fakeFetch({ 'GET /api/calls/phones': () => ({ body: { items: phones } }), 'POST /api/calls/dial': dial });
  const calls = useCallsStore();
  await calls.start();
  return { calls, global: { plugins: [pinia, i18n] } };
}

afterEach(() => vi.unstubAllGlobals());

describe('CallDialButton (CRM card)', () => {
  it('is there only with a phone of mine and a number to call', async () => {
    const { global } = await setup();
    expect(mount(CallDialButton, { props: { contact: contact() }, global }).find('[data-test=crm-call]').exists()).toBe(true);
    expect(mount(CallDialButton, { props: { contact: contact({ phone: null }) }, global }).find('[data-test=crm-call]').exists()).toBe(false);
    const caller = contact({ phone: null, identities: [{ id: 1, channelType: 'twilio', externalId: '+4930123456' }] });
    expect(mount(CallDialButton, { props: { contact: caller }, global }).find('[data-test=crm-call]').exists()).toBe(true);
    const without = await setup([]);
    expect(mount(CallDialButton, { props: { contact: contact() }, global: without.global }).find('[data-test=crm-call]').exists()).toBe(false);
  });

  it('dials, then is disabled during the call', async () => {
    const { global } = await setup();
    const w = mount(CallDialButton, { props: { contact: contact({ id: 12 }), conversationId: 5 }, global });
    await w.get('[data-test=crm-call]').trigger('click');
    await flushPromises();
    expect(FakePhone.made[0]?.call).toHaveBeenCalledWith('+4930123456');
    expect(w.get('[data-test=crm-call]').attributes('disabled')).toBeDefined();
  });

  it('shows why a call could not be placed', async () => {
    const { global } = await setup(undefined, () => ({ status: 403, body: { error: { code: 'forbidden', message: 'You may not call through this line.' } } }));
    const w = mount(CallDialButton, { props: { contact: contact() }, global });
    await w.get('[data-test=crm-call]').trigger('click');
    await flushPromises();
    expect(w.get('[data-test=crm-call-error]').text()).toBe('You may not call through this line.');
    expect(w.get('[data-test=crm-call]').attributes('disabled')).toBeUndefined();
  });
});
