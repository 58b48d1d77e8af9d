// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChannelDto } from '../../../../shared/channels';
import { i18n } from '../../i18n';
import { fakeFetch } from '../../testing/fake-fetch';
import { line, user } from '../../testing/fixtures';
import SettingsSipAccounts from './SettingsSipAccounts.vue';

const channel = {
  id: 4, type: 'sip', name: 'Office PBX', lineId: 1, enabled: true, status: 'connected', statusReason: null,
  settings: { wsUrl: 'wss://pbx.example.com/ws', domain: 'pbx.example.com' }, publicKey: null,
  capabilities: { attachments: false, maxTextLength: 1, maxAttachmentBytes: 0, edits: false, readReceipts: false, typing: false, replyWindowHours: null },
  createdAt: '2024-01-01T00:00:00.000Z',
} satisfies ChannelDto;

afterEach(() => vi.unstubAllGlobals());

async function setup(put = vi.fn((body: { extension: string }) => ({ body: { userId: 8, extension: body.extension, hasPassword: true } }))) {
  const net = fakeFetch({
    'GET /api/lines': () => ({ body: { items: [line({ memberIds: [7, 8] })] } }),
    'GET /api/users': () => ({ body: { items: [user({ id: 7, name: 'Olga' }), user({ id: 8, name: 'Boris' })] } }),
    'GET /api/channels/4/sip-accounts': () => ({ body: { items: [{ userId: 7, extension: '1001', hasPassword: true }] } }),
    'PUT /api/channels/4/sip-accounts/8': ({ body }) => put(body as { extension: string }),
    'PUT /api/channels/4/sip-accounts/7': ({ body }) => ({ body: { userId: 7, extension: (body as { extension: string }).extension, hasPassword: true } }),
    'DELETE /api/channels/4/sip-accounts/7': () => ({ status: 204 }),
  });
  const pinia = createPinia();
  setActivePinia(pinia);
  const w = mount(SettingsSipAccounts, { props: { channel }, global: { plugins: [pinia, i18n] } });
  await flushPromises();
  const rows = () => w.findAll('[data-test=sip-account-row]');
  return { w, net, rows };
}

describe('SettingsSipAccounts', () => {
  it('lists the line’s operators with their extension; a stored password is never shown', async () => {
    const { rows } = await setup();
    expect(rows().map((r) => r.text())).toEqual([expect.stringContaining('Olga'), expect.stringContaining('Boris')]);
    const [olga, boris] = rows();
    expect((olga?.get('[data-test=sip-extension]').element as HTMLInputElement).value).toBe('1001');
    expect(olga?.get('[data-test=sip-password]').attributes('placeholder')).toBe('stored');
    expect((olga?.get('[data-test=sip-password]').element as HTMLInputElement).value).toBe('');
    expect(boris?.get('[data-test=sip-password]').attributes('placeholder')).toBe('');
  });

  it('saves a new extension with its password, and keeps a stored password when the field is empty', async () => {
    const { rows, net } = await setup();
    const boris = rows()[1];
    await boris?.get('[data-test=sip-extension]').setValue('1002');
    await boris?.get('[data-test=sip-account-save]').trigger('click');
    await flushPromises();
    expect(boris?.get('[data-test=sip-account-error]').text()).toBe('Set a password.');
    await boris?.get('[data-test=sip-password]').setValue('s3cret');
    await boris?.get('[data-test=sip-account-save]').trigger('click');
    await flushPromises();
    expect(net.calls.at(-1)).toMatchObject({ method: 'PUT', url: '/api/channels/4/sip-accounts/8', body: { extension: '1002', password: 's3cret' } });
    expect(rows()[1]?.get('[data-test=sip-password]').attributes('placeholder')).toBe('stored');

    const olga = rows()[0];
    await olga?.get('[data-test=sip-extension]').setValue('2001');
    await olga?.get('[data-test=sip-extension]').trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(net.calls.at(-1)).toMatchObject({ method: 'PUT', url: '/api/channels/4/sip-accounts/7', body: { extension: '2001' } });
  });

  it('refuses a malformed extension before asking the hub, and removes an account', async () => {
    const { rows, net } = await setup();
    const olga = rows()[0];
    await olga?.get('[data-test=sip-extension]').setValue('10 01');
    await olga?.get('[data-test=sip-account-save]').trigger('click');
    await flushPromises();
    expect(olga?.get('[data-test=sip-account-error]').text()).toContain('1001');
    expect(net.calls.some((c) => c.method === 'PUT')).toBe(false);
    await olga?.get('[data-test=sip-account-remove]').trigger('click');
    await flushPromises();
    expect(net.calls.at(-1)).toMatchObject({ method: 'DELETE', url: '/api/channels/4/sip-accounts/7' });
    expect(rows()[0]?.find('[data-test=sip-account-remove]').exists()).toBe(false);
  });
});
