import { describe, expect, it } from 'vitest';
import fixtures from './fixtures/updates.json';
import { decodeUpdate, TgUpdate } from './inbound.js';
import { updateMode, webhookSecret } from './settings.js';

const decode = (name: keyof typeof fixtures, groups = false) => decodeUpdate(TgUpdate.parse(fixtures[name]), groups);

describe('telegram inbound decoding', () => {
  it('keys messages by chat and message id; the chat id is the sender', () => {
    const d = decode('text');
    expect(d).toMatchObject({ kind: 'message', file: null, message: { externalId: '5551001:10', sender: { externalId: '5551001', name: 'Anna Petrova' }, text: 'Hello, is the bike still available?', sentAt: '2024-06-10T06:13:20.000Z' } });
  });

  it('records the /start payload as the lead source', () => {
    const d = decode('start');
    expect(d.kind === 'message' && d.message.meta).toMatchObject({ leadSource: 'spring-ad_42' });
  });

  it('takes the largest photo, documents with their names, voice and video', () => {
    expect(decode('photo')).toMatchObject({ file: { fileId: 'AgAD-large', mimeType: 'image/jpeg' }, message: { text: 'this one' } });
    expect(decode('document')).toMatchObject({ file: { fileId: 'BQAD-doc', fileName: 'invoice.pdf', mimeType: 'application/pdf' } });
    expect(decode('voice')).toMatchObject({ file: { fileName: 'voice-AgADvoice.ogg', mimeType: 'audio/ogg' }, message: { meta: { voice: { durationSeconds: 3 } } } });
    expect(decode('video')).toMatchObject({ file: { fileName: 'clip.mp4', mimeType: 'video/mp4' } });
  });

  it('shows an animated sticker as its still thumbnail, with the emoji as text', () => {
    expect(decode('sticker')).toMatchObject({ file: { fileId: 'AAMC-thumb', mimeType: 'image/webp' }, message: { text: '👍' } });
  });

  it('keeps a location as coordinates and a shared own contact as the sender phone in E.164', () => {
    expect(decode('location')).toMatchObject({ message: { meta: { location: { lat: 55.755826, lon: 37.6173 } } } });
    expect(decode('contact')).toMatchObject({ message: { sender: { phone: '+79161234567' }, meta: { sharedContact: { own: true, phone: '+79161234567' } } } });
    const other = TgUpdate.parse({ ...fixtures.contact, message: { ...fixtures.contact.message, contact: { phone_number: '+4915112345678', first_name: 'Max', user_id: 1 } } });
    const d = decodeUpdate(other, false);
    expect(d.kind === 'message' && d.message.sender.phone).toBeFalsy();
  });

  it('turns an edited message into an edit of the stored one', () => {
    expect(decode('edited')).toEqual({ kind: 'edit', externalId: '5551001:10', text: 'Hello, is the red bike still available?' });
  });

  it('skips groups unless accepted; an accepted group is one conversation with the author named', () => {
    expect(decode('group')).toMatchObject({ kind: 'skip' });
    expect(decode('group', true)).toMatchObject({ message: { sender: { externalId: '-1001234567890', name: 'Bike club' }, text: 'Boris: Do you ship to Kazan?' } });
  });

  it('marks unknown message kinds unsupported and skips non-message updates', () => {
    expect(decode('poll')).toMatchObject({ message: { text: '[unsupported Telegram message: poll]', meta: { unsupported: 'poll' } } });
    expect(decode('callback')).toMatchObject({ kind: 'skip' });
  });
});

describe('telegram settings', () => {
  it('uses a webhook only when the public URL is https, unless told otherwise', () => {
    expect(updateMode('auto', 'https://hub.example.com')).toBe('webhook');
    expect(updateMode('auto', 'http://localhost:8080')).toBe('polling');
    expect(updateMode('polling', 'https://hub.example.com')).toBe('polling');
  });

  it('derives a webhook secret Telegram accepts, per bot and channel', () => {
    const s = webhookSecret('123:abc', 1);
    expect(s).toMatch(/^[A-Za-z0-9_-]{1,256}$/);
    expect(s).not.toBe(webhookSecret('123:abc', 2));
  });
});
