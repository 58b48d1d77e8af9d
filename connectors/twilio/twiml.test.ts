import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { dialCustomer, MAX_CLIENTS, refuse, ringOperators, voicemail } from './twiml.js';

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: false, parseTagValue: false, isArray: (name) => name === 'Client' });
const hook = 'https://hub.example.com/hooks/twilio/7';
const CALL = 'CAa1b2c3d4e5f60718293a4b5c6d7e8f90';

describe('twiml', () => {
  it('rings each operator as a <Client> with the call id, and hops to the next step after the timeout', () => {
    const doc = xml.parse(ringOperators({ hook, callSid: CALL, operatorIds: [3, 5], ringSeconds: 20, next: 2 }));
    expect(doc.Response.Dial).toMatchObject({ answerOnBridge: 'true', timeout: '20', action: `${hook}/dial?i=2` });
    expect(doc.Response.Dial.Client).toEqual([3, 5].map((id) => ({
      statusCallback: `${hook}/status`, statusCallbackEvent: 'answered completed', Identity: `op_${id}`, Parameter: { name: 'callId', value: CALL },
    })));
    const many = xml.parse(ringOperators({ hook, callSid: CALL, operatorIds: Array.from({ length: 12 }, (_, i) => i + 1), ringSeconds: 20, next: 10 }));
    expect(many.Response.Dial.Client).toHaveLength(MAX_CLIENTS);
  });

  it('plays the greeting and records, reporting the recording', () => {
    const doc = xml.parse(voicemail({ hook, greeting: 'Leave a message', maxSeconds: 90 }));
    expect(doc.Response.Say).toBe('Leave a message');
    expect(doc.Response.Record).toMatchObject({ action: `${hook}/done`, maxLength: '90', playBeep: 'true', recordingStatusCallback: `${hook}/recording`, recordingStatusCallbackEvent: 'completed' });
  });

  it('calls a customer from the channel number, and refuses with words', () => {
    const doc = xml.parse(dialCustomer({ hook, callerId: '+14155550100', to: '+16505550123', operatorId: 2 }));
    expect(doc.Response.Dial).toMatchObject({ callerId: '+14155550100', action: `${hook}/done` });
    expect(doc.Response.Dial.Number).toEqual({ '#text': '+16505550123', statusCallback: `${hook}/status?op=2`, statusCallbackEvent: 'answered completed' });
    expect(xml.parse(refuse('No.')).Response).toEqual({ Say: 'No.', Hangup: '' });
  });
});
