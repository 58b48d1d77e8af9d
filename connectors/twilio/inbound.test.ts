import type { Request } from 'express';
import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import fixtures from './fixtures/webhooks.json';
import { callEnd, CallStatusCallback, decodeSms, decodeSmsStatus, incomingCall, legUpdate, SmsRequest, SmsStatusCallback, VoiceRequest } from './inbound.js';
import { isRecordingOf } from './media.js';
import { planSms } from './outbound.js';
import { rebase, toSendError } from './rest.js';
import { TwilioSettings } from './settings.js';
import { formParams, verifiedParams } from './signature.js';
import { dialable } from './voice.js';

const ACCOUNT = fixtures.incomingCall.AccountSid;
const settings = TwilioSettings.parse({
  accountSid: ACCOUNT, authToken: '0123456789abcdef0123456789abcdef', apiKeySid: `SK${'1'.repeat(32)}`, apiKeySecret: 'api-key-secret-0123456789',
  twimlAppSid: fixtures.outgoingCall.ApplicationSid, phoneNumber: '+1 415 555 0100',
});

describe('twilio settings', () => {
  it('normalises the number to E.164 and defaults the rest', () => {
    expect(settings).toMatchObject({ phoneNumber: '+14155550100', ringSeconds: 20, voicemailMaxSeconds: 120, apiBaseUrl: 'https://api.twilio.com' });
    expect(TwilioSettings.safeParse({ ...settings, phoneNumber: '4155550100' }).success).toBe(false);
    expect(TwilioSettings.safeParse({ ...settings, accountSid: 'AC123' }).success).toBe(false);
  });
});

describe('twilio webhook signatures', () => {
  const url = 'https://hub.example.com/hooks/twilio/7';
  const request = (path: string, params: Record<string, string>, signature: string) =>
    ({ method: 'POST', url: path, headers: { 'x-twilio-signature': signature }, body: Buffer.from(new URLSearchParams(params).toString()) }) as unknown as Request;

  it('accepts exactly what Twilio signs: the full URL with its query, and the POSTed parameters', () => {
    const params = fixtures.dialNoAnswer;
    const sig = twilio.getExpectedTwilioSignature(settings.authToken, `${url}/dial?i=1`, params);
    expect(verifiedParams(request('/dial?i=1', params, sig), url, settings.authToken)).toEqual(params);
    expect(verifiedParams(request('/dial?i=2', params, sig), url, settings.authToken)).toBeNull();
    expect(verifiedParams(request('/dial?i=1', { ...params, DialCallStatus: 'completed' }, sig), url, settings.authToken)).toBeNull();
    expect(verifiedParams(request('/dial?i=1', params, sig), url, 'ffffffffffffffffffffffffffffffff')).toBeNull();
  });

  it('reads repeated form fields as lists', () => {
    expect(formParams('A=1&B=2&A=3')).toEqual({ A: ['1', '3'], B: '2' });
  });
});

describe('twilio calls', () => {
  it('an incoming call is ringing, from the caller in E.164', () => {
    expect(incomingCall(VoiceRequest.parse(fixtures.incomingCall))).toEqual({
      externalId: 'CAa1b2c3d4e5f60718293a4b5c6d7e8f90', sender: { externalId: '+16505550123', phone: '+16505550123' }, text: '',
      call: { direction: 'in', from: '+16505550123', to: '+14155550100', outcome: 'ringing' },
    });
    expect(incomingCall(VoiceRequest.parse({ ...fixtures.incomingCall, From: 'anonymous' })).sender).toEqual({ externalId: 'anonymous' });
    expect(VoiceRequest.safeParse({ ...fixtures.incomingCall, CallSid: '' }).success).toBe(false);
  });

  it("a browser leg's answer names the operator; its no-answer is left to the call", () => {
    expect(legUpdate(CallStatusCallback.parse(fixtures.clientLegAnswered), null)).toEqual({ outcome: 'answered', answeredBy: 2, answeredAt: '2026-11-22T10:00:07.000Z' });
    expect(legUpdate(CallStatusCallback.parse(fixtures.clientLegCompleted), null)).toEqual({ endedAt: '2026-11-22T10:01:42.000Z', durationSeconds: 95 });
    expect(legUpdate(CallStatusCallback.parse(fixtures.clientLegNoAnswer), null)).toBeNull();
  });

  it("an outgoing call's customer leg decides its outcome", () => {
    expect(legUpdate(CallStatusCallback.parse(fixtures.numberLegBusy), 2)).toEqual({ outcome: 'busy', endedAt: '2026-11-22T10:05:09.000Z' });
    expect(legUpdate(CallStatusCallback.parse({ ...fixtures.numberLegBusy, CallStatus: 'in-progress' }), 2)).toMatchObject({ outcome: 'answered', answeredBy: 2 });
    expect(legUpdate(CallStatusCallback.parse({ ...fixtures.numberLegBusy, CallStatus: 'no-answer' }), 2)).toMatchObject({ outcome: 'missed' });
  });

  it('an incoming call ends missed, or as voicemail when it reached it', () => {
    const done = CallStatusCallback.parse(fixtures.callCompleted);
    expect(callEnd(done, false)).toEqual({ outcome: 'missed', endedAt: '2026-11-22T10:01:43.000Z' });
    expect(callEnd(done, true)).toMatchObject({ outcome: 'voicemail' });
    expect(callEnd({ ...done, CallStatus: 'busy' }, false)).toMatchObject({ outcome: 'busy' });
    expect(callEnd({ ...done, CallStatus: 'ringing' }, false)).toBeNull();
  });

  it('dials what operators type: E.164, or national numbers of the channel\'s country', () => {
    expect(dialable('+44 20 7946 0018', settings.phoneNumber)).toBe('+442079460018');
    expect(dialable('(650) 555-0123', settings.phoneNumber)).toBe('+16505550123');
    expect(dialable('12', settings.phoneNumber)).toBeNull();
  });

  it('fetches recordings only from the account on the configured API host', () => {
    expect(isRecordingOf(fixtures.recording.RecordingUrl, settings)).toBe(true);
    expect(isRecordingOf(fixtures.recording.RecordingUrl.replace('api.twilio.com', 'evil.example.com'), settings)).toBe(false);
    expect(isRecordingOf(fixtures.recording.RecordingUrl.replace(ACCOUNT, `AC${'0'.repeat(32)}`), settings)).toBe(false);
    expect(isRecordingOf(`${fixtures.recording.RecordingUrl}/../../Messages`, settings)).toBe(false);
  });
});

describe('twilio sms', () => {
  it('decodes an MMS with its media and a delivery report with its error', () => {
    expect(decodeSms(SmsRequest.parse(fixtures.sms))).toEqual({
      media: [], message: { externalId: fixtures.sms.MessageSid, sender: { externalId: '+16505550123', phone: '+16505550123' }, text: fixtures.sms.Body, meta: { to: '+14155550100' } },
    });
    expect(decodeSms(SmsRequest.parse(fixtures.mms)).media).toEqual([{ url: fixtures.mms.MediaUrl0, mimeType: 'image/jpeg', fileName: 'ME1b2c3d4e5f60718293a4b5c6d7e8f90a.jpg' }]);
    expect(decodeSmsStatus(SmsStatusCallback.parse(fixtures.smsDelivered))).toEqual({ externalId: fixtures.smsDelivered.MessageSid, status: 'delivered' });
    expect(decodeSmsStatus(SmsStatusCallback.parse(fixtures.smsUndelivered))).toEqual({
      externalId: fixtures.smsUndelivered.MessageSid, status: 'failed', reason: 'Twilio: unreachable destination handset (30003)',
    });
    expect(decodeSmsStatus(SmsStatusCallback.parse({ ...fixtures.smsDelivered, MessageStatus: 'queued' }))).toBeNull();
  });

  it('splits long text, puts files on the first part, and refuses what Twilio would', () => {
    const file = (id: number, size = 1000) => ({ id, fileName: 'a.png', mimeType: 'image/png', size, path: '/x' });
    expect(planSms({ text: 'x'.repeat(2000), attachments: [file(1)] }).map((p) => [p.body?.length, p.media])).toEqual([[1600, [1]], [400, []]]);
    expect(planSms({ text: '', attachments: [file(1)] })).toEqual([{ media: [1] }]);
    expect(() => planSms({ text: '', attachments: [file(1, 6 * 1024 * 1024)] })).toThrow(/5 MB/);
    expect(() => planSms({ text: ' ', attachments: [] })).toThrow(/Nothing to send/);
  });

  it('retries server errors, rate limits and network failures; other client errors are final', () => {
    expect(toSendError({ status: 400, code: 21211, message: "The 'To' number +1555 is not a valid phone number." })).toMatchObject({ transient: false, message: "Twilio: The 'To' number +1555 is not a valid phone number. (21211)" });
    expect(toSendError({ status: 429, code: 20429, message: 'Too Many Requests' }).transient).toBe(true);
    expect(toSendError({ status: 503, message: 'Service Unavailable' }).transient).toBe(true);
    expect(toSendError({ status: 401, code: 20003, message: 'Authenticate' })).toMatchObject({ transient: false, message: expect.stringMatching(/rejected the Account SID/) });
    expect(toSendError(new Error('connect ECONNREFUSED')).transient).toBe(true);
  });

  it('re-addresses the library\'s API URIs to the configured base only', () => {
    const uri = `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT}/Messages.json?PageSize=1`;
    expect(rebase(uri, 'https://api.twilio.com')).toBe(uri);
    expect(rebase(uri, 'http://127.0.0.1:4010')).toBe(`http://127.0.0.1:4010/2010-04-01/Accounts/${ACCOUNT}/Messages.json?PageSize=1`);
    expect(rebase('https://api.dublin.ie1.twilio.com/2010-04-01/Accounts.json', 'http://127.0.0.1:4010')).toBe('http://127.0.0.1:4010/2010-04-01/Accounts.json');
    expect(rebase('https://example.com/x', 'http://127.0.0.1:4010')).toBe('https://example.com/x');
  });
});
