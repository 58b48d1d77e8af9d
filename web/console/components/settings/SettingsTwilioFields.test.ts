// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import type { ChannelDto } from '../../../../shared/channels';
import { i18n } from '../../i18n';
import SettingsTwilioFields from './SettingsTwilioFields.vue';

const channel = {
  id: 9, type: 'twilio', name: 'Sales number', lineId: 1, enabled: true, status: 'connected', statusReason: null,
  settings: {}, publicKey: null, createdAt: '2024-01-01T00:00:00.000Z',
  capabilities: { attachments: true, maxTextLength: 1600, maxAttachmentBytes: 5_000_000, edits: false, readReceipts: false, typing: false, replyWindowHours: null },
} satisfies ChannelDto;

describe('SettingsTwilioFields', () => {
  it('shows the four webhooks to paste into Twilio once the channel exists', () => {
    const fresh = mount(SettingsTwilioFields, { props: { modelValue: { ringSeconds: 20 } }, global: { plugins: [i18n] } });
    expect(fresh.find('[data-test=twilio-webhooks]').exists()).toBe(false);
    const saved = mount(SettingsTwilioFields, { props: { modelValue: {}, channel }, global: { plugins: [i18n] } });
    const hooks = ['voice', 'status', 'sms', 'sms-status'].map((h) => saved.get(`[data-test=twilio-hook-${h}]`).text());
    expect(hooks).toEqual(['voice', 'status', 'sms', 'sms-status'].map((h) => `${location.origin}/hooks/twilio/9/${h}`));
    expect(saved.get('[data-test=twilio-webhooks]').text()).toContain('Messaging status callback');
  });

  it('edits settings through v-model and keeps masked secrets', async () => {
    const w = mount(SettingsTwilioFields, { props: { modelValue: { authToken: '********', ringSeconds: 20 } }, global: { plugins: [i18n] } });
    expect(w.get('[data-test=twilio-authToken]').attributes('placeholder')).toContain('Saved value kept');
    await w.get('[data-test=twilio-phoneNumber]').setValue('+14155550100');
    expect(w.emitted('update:modelValue')?.at(-1)).toEqual([{ authToken: '********', ringSeconds: 20, phoneNumber: '+14155550100' }]);
    await w.get('[data-test=twilio-ringSeconds]').setValue('30');
    expect(w.emitted('update:modelValue')?.at(-1)?.[0]).toMatchObject({ authToken: '********', ringSeconds: 30 });
  });
});
