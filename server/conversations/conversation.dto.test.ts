import { describe, expect, it } from 'vitest';
import { messageDtoOf } from './conversation.dto.js';
import type { Message } from './message.entity.js';

const base: Message = {
  id: 7, conversationId: 3, channelId: 1, direction: 'in', visibility: 'public', kind: 'call', authorId: null, text: 'Incoming call',
  html: null, externalId: 'CA1', deliveryStatus: null, deliveryError: null, meta: {}, createdAt: Date.parse('2026-11-23T10:00:00Z'),
};

describe('call messages', () => {
  it('carry their details when the telephony connector stored them in the expected shape', () => {
    const call = {
      direction: 'in', from: '+4930123456', to: '+4930999999', outcome: 'answered', answeredBy: 2, startedAt: '2026-11-23T10:00:00.000Z',
      answeredAt: '2026-11-23T10:00:05.000Z', endedAt: '2026-11-23T10:03:05.000Z', durationSeconds: 180, recordingUrl: '/api/calls/CA1/recording',
    };
    expect(messageDtoOf({ ...base, meta: { call } }, null, []).call).toEqual(call);
  });

  it('show none for malformed details or for text messages', () => {
    expect(messageDtoOf({ ...base, meta: { call: { outcome: 'exploded' } } }, null, []).call).toBeNull();
    expect(messageDtoOf({ ...base, kind: 'text', meta: { call: {} } }, null, []).call).toBeNull();
  });
});
