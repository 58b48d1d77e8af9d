import twilio from 'twilio';

const { VoiceResponse, MessagingResponse } = twilio.twiml;

/** Twilio rings at most ten `<Client>`s of one `<Dial>` at once. */
export const MAX_CLIENTS = 10;

/** The Voice SDK identity of an operator's browser phone: the same in their access token and in `<Client>`. */
export const identityOf = (userId: number) => `op_${userId}`;

/**
 * Rings operators' browsers for an incoming call, all of the given ones at once, for `ringSeconds`. Each
 * `<Client>` carries the parent CallSid as `callId`, so the browser matches the popup (`IncomingCallDto.callId`).
 * When the dial ends Twilio asks `<hook>/dial?i=<next>`: the next operator in turn, or voicemail.
 *
 * @example <Dial answerOnBridge="true" timeout="20" action="…/dial?i=1"><Client statusCallback="…/status" …><Identity>op_3</Identity><Parameter name="callId" value="CA…"/></Client></Dial>
 */
export function ringOperators(o: { hook: string; callSid: string; operatorIds: number[]; ringSeconds: number; next: number }): string {
  const r = new VoiceResponse();
  const dial = r.dial({ answerOnBridge: true, timeout: o.ringSeconds, action: `${o.hook}/dial?i=${o.next}` });
  for (const id of o.operatorIds.slice(0, MAX_CLIENTS)) {
    const client = dial.client({ statusCallback: `${o.hook}/status`, statusCallbackEvent: ['answered', 'completed'] });
    client.identity(identityOf(id));
    client.parameter({ name: 'callId', value: o.callSid });
  }
  return r.toString();
}

/** The greeting, then a recording Twilio reports to `<hook>/recording`; `<hook>/done` hangs up after it. */
export function voicemail(o: { hook: string; greeting: string; maxSeconds: number }): string {
  const r = new VoiceResponse();
  r.say(o.greeting);
  r.record({
    action: `${o.hook}/done`, maxLength: o.maxSeconds, playBeep: true, timeout: 5, trim: 'trim-silence',
    recordingStatusCallback: `${o.hook}/recording`, recordingStatusCallbackEvent: ['completed'],
  });
  return r.toString();
}

/**
 * An operator's browser calls a customer from the channel's number. The customer's leg reports to
 * `<hook>/status?op=<operator>`: answered, then how it ended.
 */
export function dialCustomer(o: { hook: string; callerId: string; to: string; operatorId: number }): string {
  const r = new VoiceResponse();
  const dial = r.dial({ callerId: o.callerId, answerOnBridge: true, action: `${o.hook}/done` });
  dial.number({ statusCallback: `${o.hook}/status?op=${o.operatorId}`, statusCallbackEvent: ['answered', 'completed'] }, o.to);
  return r.toString();
}

/** Says why, then hangs up. */
export function refuse(text: string): string {
  const r = new VoiceResponse();
  r.say(text);
  r.hangup();
  return r.toString();
}

export function hangup(): string {
  const r = new VoiceResponse();
  r.hangup();
  return r.toString();
}

/** An SMS is answered by an operator later, not by TwiML: an empty `<Response/>`. */
export const noReply = (): string => new MessagingResponse().toString();
