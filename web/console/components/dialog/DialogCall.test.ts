// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { i18n } from '../../i18n';
import DialogCall from './DialogCall.vue';

const call = {
  direction: 'in' as const, from: '+4930123456', to: '+4930999999', outcome: 'answered' as const, answeredBy: 2,
  startedAt: '2026-11-23T10:00:00.000Z', answeredAt: '2026-11-23T10:00:05.000Z', endedAt: '2026-11-23T10:03:05.000Z',
  durationSeconds: 180, recordingUrl: '/api/calls/CA1/recording',
};

describe('DialogCall', () => {
  it('shows direction, outcome, duration and a player for the recording', () => {
    const w = mount(DialogCall, { props: { call }, global: { plugins: [i18n] } });
    expect(w.text()).toContain('Incoming call');
    expect(w.get('[data-test=call-outcome]').text()).toBe('answered');
    expect(w.get('[data-test=call-duration]').text()).toBe('3:00');
    expect(w.get('[data-test=call-recording]').attributes('src')).toBe('/api/calls/CA1/recording');
  });

  it('marks a missed call and has no player without a recording', () => {
    const w = mount(DialogCall, { props: { call: { ...call, outcome: 'missed', durationSeconds: null, recordingUrl: null } }, global: { plugins: [i18n] } });
    expect(w.get('[data-test=call]').classes()).toContain('missed');
    expect(w.find('[data-test=call-recording]').exists()).toBe(false);
    expect(w.find('[data-test=call-duration]').exists()).toBe(false);
  });
});
