import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fixtures from './fixtures/webhooks.json';
import { validSignature } from './channel.js';
import { CloudMessage, CloudStatus, CloudWebhook, decodeMessage, decodeStatus } from './inbound.js';
import { mediaKind, templatePayload, windowOpen } from './outbound.js';
import { WhatsappTemplate } from './settings.js';

function first(name: keyof typeof fixtures) {
  const value = CloudWebhook.parse(fixtures[name]).entry[0]!.changes[0]!.value;
  const names = new Map((value.contacts ?? []).map((c) => [c.wa_id, c.profile?.name ?? '']));
  return { value, names, message: value.messages?.length ? CloudMessage.parse(value.messages[0]) : null };
}
const decode = (name: keyof typeof fixtures) => {
  const f = first(name);
  return decodeMessage(f.message!, f.names);
};

describe('whatsapp cloud inbound', () => {
  it('keys by wamid, sender in E.164 with the profile name', () => {
    expect(decode('text')).toMatchObject({
      kind: 'message', media: null,
      message: { externalId: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=', sender: { externalId: '+16505551234', phone: '+16505551234', name: 'Sheena Nelson' }, text: 'Does it come in another colour?' },
    });
  });

  it('refers media by id with a file name, voice notes flagged', () => {
    expect(decode('image')).toMatchObject({ media: { mediaId: '1003383421387256', mimeType: 'image/jpeg', fileName: 'image-1003383421387256.jpg' }, message: { text: 'This one' } });
    expect(decode('voice')).toMatchObject({ media: { mimeType: 'audio/ogg', fileName: 'audio-2003383421387257.ogg' }, message: { meta: { voice: true } } });
  });

  it('reads locations, contact cards, button replies, ads and unsupported types', () => {
    expect(decode('location')).toMatchObject({ message: { meta: { location: { lat: 37.483307, lon: -122.148981, title: 'Main office' } } } });
    expect(decode('contacts')).toMatchObject({ message: { text: '👤 Barbara Johnson +19405551234' } });
    expect(decode('button')).toMatchObject({ message: { text: 'Track my order', meta: { button: { payload: 'TRACK_ORDER' }, replyTo: 'wamid.tpl1' } } });
    expect(decode('referral')).toMatchObject({ message: { meta: { leadSource: 'ad:120226305854810726' } } });
    expect(decode('unsupported')).toMatchObject({ message: { text: '[unsupported WhatsApp message: unsupported]' } });
  });

  it('maps statuses; a failure carries the reason', () => {
    const status = (name: 'status' | 'failedStatus') => decodeStatus(CloudStatus.parse(first(name).value.statuses![0]));
    expect(status('status')).toEqual({ externalId: 'wamid.out1', status: 'delivered' });
    expect(status('failedStatus')).toEqual({ externalId: 'wamid.out2', status: 'failed', reason: 'WhatsApp: Message undeliverable: Message Undeliverable. (131026)' });
  });

  it('checks X-Hub-Signature-256 over the exact bytes', () => {
    const raw = Buffer.from('{"a":"é"}');
    const sig = `sha256=${createHmac('sha256', 'app-secret').update(raw).digest('hex')}`;
    expect(validSignature(raw, sig, 'app-secret')).toBe(true);
    expect(validSignature(Buffer.from('{"a":"e"}'), sig, 'app-secret')).toBe(false);
    expect(validSignature(raw, sig, 'other-secret')).toBe(false);
    expect(validSignature(raw, undefined, 'app-secret')).toBe(false);
    expect(validSignature(raw, 'sha256=zz', 'app-secret')).toBe(false);
  });
});

describe('whatsapp cloud outbound rules', () => {
  it('keeps the 24-hour window from the customer’s last message', () => {
    const now = Date.parse('2025-01-02T12:00:00Z');
    expect(windowOpen(now - 23 * 3600_000, now)).toBe(true);
    expect(windowOpen(now - 25 * 3600_000, now)).toBe(false);
    expect(windowOpen(null, now)).toBe(false);
  });

  it('builds template payloads and picks media kinds by type and size', () => {
    expect(templatePayload(WhatsappTemplate.parse({ name: 'order_update', language: 'en_US', variables: ['#1042'] }))).toEqual({
      type: 'template', template: { name: 'order_update', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: '#1042' }] }] },
    });
    expect(mediaKind('image/png', 1000)).toBe('image');
    expect(mediaKind('image/png', 6 * 1024 * 1024)).toBe('document');
    expect(mediaKind('image/gif', 10)).toBe('document');
    expect(mediaKind('audio/ogg', 10)).toBe('audio');
  });
});
