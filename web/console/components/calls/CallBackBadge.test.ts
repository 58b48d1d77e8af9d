// @vitest-environment happy-dom
import { mount, shallowMount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { i18n } from '../../i18n';
import { fakeFetch } from '../../testing/fake-fetch';
import { conv } from '../../testing/fixtures';
import { testRouter } from '../../testing/router';
import DialogHeader from '../dialog/DialogHeader.vue';
import InboxRow from '../inbox/InboxRow.vue';
import CallBackBadge from './CallBackBadge.vue';

afterEach(() => vi.unstubAllGlobals());

async function global() {
  const pinia = createPinia();
  setActivePinia(pinia);
  const router = testRouter();
  await router.push('/inbox/queue');
  return { plugins: [pinia, i18n, router] };
}

describe('"Call back" badge', () => {
  it('marks an inbox row with a missed call nobody returned', async () => {
    const g = await global();
    const row = (callBack?: boolean) => mount(InboxRow, { props: { conversation: conv({ callBack, channelType: 'twilio' }), active: false, showAssignee: false }, global: g });
    expect(row(true).get('[data-test=call-back-badge]').text()).toContain('Call back');
    expect(row(false).find('[data-test=call-back-badge]').exists()).toBe(false);
    expect(row().find('[data-test=call-back-badge]').exists()).toBe(false);
  });

  it('marks the dialog header', async () => {
    fakeFetch({ 'GET /api/leads': () => ({ body: { items: [], nextCursor: null } }) });
    const g = await global();
    const header = (callBack: boolean) => shallowMount(DialogHeader, { props: { conversation: conv({ callBack }), crmOpen: false }, global: g });
    expect(header(true).findComponent(CallBackBadge).exists()).toBe(true);
    expect(header(false).findComponent(CallBackBadge).exists()).toBe(false);
  });
});
