import { describe, expect, it } from 'vitest';
import { callDuration, dialable, dialogRoute } from './call';

describe('callDuration', () => {
  it.each([[7, '0:07'], [185, '3:05'], [3729, '1:02:09'], [-3, '0:00']])('%i s → %s', (s, out) => expect(callDuration(s)).toBe(out));
});

describe('click-to-call helpers', () => {
  it('calls a contact with a phone in the card or a caller number from a phone channel', () => {
    expect(dialable({ phone: '+4930123456', identities: [] })).toBe(true);
    expect(dialable({ phone: ' ', identities: [{ channelType: 'telegram' }] })).toBe(false);
    expect(dialable({ phone: null, identities: [{ channelType: 'sip' }] })).toBe(true);
  });

  it('opens the dialog in the current inbox tab, mine from elsewhere', () => {
    expect(dialogRoute(5, 'queue')).toEqual({ name: 'inbox', params: { scope: 'queue', id: 5 } });
    expect(dialogRoute(5, undefined)).toEqual({ name: 'inbox', params: { scope: 'mine', id: 5 } });
  });
});
